import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

/**
 * The Mordecai API's real database schema, as dumped from databases the API built itself
 * (scripts/api-schema/build-fixtures.sh; README.md next to this file):
 * - `models`: the API's Sequelize models synced with alter on an empty database (ENUM types named
 *   enum_<table>_<column>, no column defaults for ids and timestamps); what a database the API
 *   started with DB_SYNC_MODE=alter looks like.
 * - `migrations`: the API's migrations/*.sql alone (other ENUM type names such as
 *   interaction_log_outcome, gen_random_uuid()/CURRENT_TIMESTAMP defaults, 8 tables fewer).
 */
export type ApiSchemaVariant = 'models' | 'migrations';

export const API_SCHEMA_VARIANTS: readonly ApiSchemaVariant[] = ['models', 'migrations'];

/** The API commit both fixtures were made from (the unit test checks it against their headers). */
export const API_TABLES_COMMIT = 'e62825f5a65663513c0a4e400fdd5c78dc8cde75';

// The .sql/.json files sit next to this module in src/ and are copied next to it in dist/ by the
// build's postbuild step, so one path works for ts-jest, tsx and the compiled apps.
// A script compiled to another folder (the chaos build) finds them in the nearest src/ above it.
const fixturePath = (file: string): string => {
  const here = join(__dirname, file);
  if (existsSync(here)) return here;
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'src', 'database', 'api-schema', file);
    if (existsSync(candidate)) return candidate;
  }
  return here;
};

const sqlCache = new Map<ApiSchemaVariant, string>();

/**
 * The schema-only dump of one variant, loadable by a single `client.query(text)` (no psql
 * meta-commands, no session settings; every object is schema-qualified as public.*).
 */
export function apiSchemaSql(variant: ApiSchemaVariant): string {
  if (!API_SCHEMA_VARIANTS.includes(variant)) {
    throw new Error(`apiSchemaSql: unknown variant '${String(variant)}' (expected ${API_SCHEMA_VARIANTS.join(' or ')})`);
  }
  let sql = sqlCache.get(variant);
  if (sql === undefined) {
    sql = readFileSync(fixturePath(`${variant}.sql`), 'utf8');
    sqlCache.set(variant, sql);
  }
  return sql;
}

/** Names of the tables a schema dump creates (`CREATE TABLE public.<name> (`), sorted. */
export function tablesInSchemaSql(sql: string): string[] {
  const names = new Set<string>();
  for (const match of sql.matchAll(/^CREATE TABLE public\.("?)([a-z_][a-z0-9_]*)\1 \(/gm)) names.add(match[2]);
  return [...names].sort();
}

/** The tables the API owns (has a model for, in the `models` variant), sorted. */
export function apiTables(variant: ApiSchemaVariant = 'models'): readonly string[] {
  return tablesInSchemaSql(apiSchemaSql(variant));
}

/** One `softwares` row as the API's catalog service stores it from its seed scripts' payloads. */
export interface ApiSoftwareSeed {
  key: string;
  name: string;
  category: string;
  auth_type: string;
  auth_config: { requiredFields: string[] } & Record<string, unknown>;
  capabilities: Record<string, unknown>;
  logo_url: string | null;
  docs_url: string | null;
  is_enabled: boolean;
}

/** The API's buildium and rentvine `softwares` rows (columns as named in the table; no id/timestamps). */
export function apiSoftwareSeeds(): ApiSoftwareSeed[] {
  return JSON.parse(readFileSync(fixturePath('softwares.json'), 'utf8')) as ApiSoftwareSeed[];
}
