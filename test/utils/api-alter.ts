import { Client } from 'pg';
import { apiSchemaSql, type ApiSchemaVariant } from '../../src/database/api-schema/api-schema';
import { adminClient, dropDatabase, uniqueName } from './db';
import { TEST_DB } from './env';

/**
 * What the API's `sequelize.sync({ alter: true })` (run at every API start with
 * DB_SYNC_MODE=alter) does to the tables it has models for, reproduced on a database without the
 * API. The API's schema is the fixture of `variant`, loaded into a scratch reference database for
 * the duration of the call. Sequelize 6's alter, per model table (checked against the real loader,
 * see src/database/api-schema/README.md):
 * - adds the model's columns the table lacks, drops every column the model does not declare
 *   (Postgres drops the indexes and constraints on those columns with them);
 * - for every model column except the primary key ("changeColumn"):
 *   - a foreign-key column: drops every foreign key of the table that points at the same
 *     table(column) as the model's (ours included) and adds the model's back; sets NOT NULL if the
 *     model says so and its default if it declares one, and otherwise leaves nullability, default
 *     and type alone;
 *   - any other column: nullability, default (dropped when the model has none) and type become
 *     the model's; a column declared `unique: true` gets one more UNIQUE constraint
 *     (`<table>_<column>_key1`, `_key2`, ... at every start);
 * - creates the model's indexes that are missing by name.
 * It leaves alone: primary-key columns (a default such as gen_random_uuid() on `id` survives),
 * indexes, CHECK and UNIQUE constraints on the model's columns that the model does not declare,
 * triggers, and every table without a model.
 * The 'migrations' variant has no real counterpart (the API's loader fails on a database made by
 * its SQL migrations); it applies the same rules with that schema as the model.
 */
export async function simulateApiAlter(dbName: string, variant: ApiSchemaVariant): Promise<ApiAlterReport> {
  const sql = apiSchemaSql(variant);
  const refName = uniqueName('mw_test_apiref');
  const admin = adminClient();
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${refName}"`);
  } finally {
    await admin.end();
  }
  try {
    const ref = new Client({ ...TEST_DB, database: refName });
    await ref.connect();
    let reference: Catalog;
    try {
      await ref.query(sql);
      reference = await readCatalog(ref);
    } finally {
      await ref.end();
    }
    const target = new Client({ ...TEST_DB, database: dbName });
    await target.connect();
    try {
      return await alterLikeTheApi(target, reference);
    } finally {
      await target.end();
    }
  } finally {
    await dropDatabase(refName);
  }
}

/** What simulateApiAlter changed; entries are `table.column` or `table.name`, sorted. */
export interface ApiAlterReport {
  addedColumns: string[];
  droppedColumns: string[];
  /** Defaults removed from columns whose model declares none. */
  droppedDefaults: string[];
  /** Defaults replaced by the model's (`table.column: old -> new`). */
  changedDefaults: string[];
  droppedNotNull: string[];
  addedNotNull: string[];
  /** `table.column: old -> new`. */
  changedTypes: string[];
  /** Indexes gone after the alter (with a dropped column, or a constraint's index). */
  droppedIndexes: string[];
  /** Foreign keys gone after the alter (those re-added under the same name are not listed). */
  droppedForeignKeys: string[];
  /** Constraints the alter added under new names (the duplicate UNIQUE constraints, for one). */
  addedConstraints: string[];
  /** Model indexes the table lacked, created again. */
  createdIndexes: string[];
}

interface Column {
  table: string;
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  isEnum: boolean;
}
interface Constraint {
  table: string;
  name: string;
  type: 'p' | 'f' | 'u' | 'c' | 'x';
  columns: string[];
  /** For a foreign key: `table(column)` it points at. */
  target: string | null;
  definition: string;
}
interface Index {
  table: string;
  name: string;
  definition: string;
  /** The constraint the index belongs to, if any. */
  constraint: string | null;
}
interface Catalog {
  tables: string[];
  columns: Column[];
  constraints: Constraint[];
  indexes: Index[];
}

/** The public schema's tables, columns, constraints and indexes, in a stable order. */
async function readCatalog(client: Client): Promise<Catalog> {
  const tables = await client.query<{ table: string }>(
    `SELECT c.relname AS "table" FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const columns = await client.query<Column>(
    `SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS "default", t.typtype = 'e' AS "isEnum"
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const constraints = await client.query<Constraint>(
    `SELECT c.conrelid::regclass::text AS "table", c.conname AS name, c.contype::text AS type,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            CASE WHEN c.contype = 'f' THEN c.confrelid::regclass::text || '(' ||
              array_to_string(ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i), ',') || ')' END AS target,
            pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c
      WHERE c.connamespace = 'public'::regnamespace AND c.conrelid <> 0
      ORDER BY 1, 2`,
  );
  const indexes = await client.query<Index>(
    `SELECT t.relname AS "table", i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition,
            (SELECT con.conname FROM pg_constraint con WHERE con.conindid = x.indexrelid AND con.contype IN ('p', 'u', 'x')) AS constraint
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relnamespace = 'public'::regnamespace
      ORDER BY 1, 2`,
  );
  return { tables: tables.rows.map((r) => r.table), columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows };
}

async function alterLikeTheApi(client: Client, ref: Catalog): Promise<ApiAlterReport> {
  const q = (name: string) => client.escapeIdentifier(name);
  const report: ApiAlterReport = {
    addedColumns: [],
    droppedColumns: [],
    droppedDefaults: [],
    changedDefaults: [],
    droppedNotNull: [],
    addedNotNull: [],
    changedTypes: [],
    droppedIndexes: [],
    droppedForeignKeys: [],
    addedConstraints: [],
    createdIndexes: [],
  };
  const before = await readCatalog(client);
  const missing = ref.tables.filter((t) => !before.tables.includes(t));
  if (missing.length > 0) {
    // The real sync would create them; a database missing API tables is not one this simulates.
    throw new Error(`simulateApiAlter: database lacks the API tables ${missing.join(', ')}`);
  }

  await client.query('BEGIN');
  try {
    for (const table of ref.tables) {
      const refColumns = ref.columns.filter((c) => c.table === table);
      const refConstraints = ref.constraints.filter((c) => c.table === table);
      const pkColumns = new Set(refConstraints.filter((c) => c.type === 'p').flatMap((c) => c.columns));
      const current = before.columns.filter((c) => c.table === table);
      const currentFks = before.constraints.filter((c) => c.table === table && c.type === 'f');
      const removedFks = new Set<string>();
      const alter = (clause: string) => client.query(`ALTER TABLE ${q(table)} ${clause}`);

      for (const col of refColumns) {
        if (current.some((c) => c.name === col.name)) continue;
        const def = col.default === null ? '' : ` DEFAULT ${col.default}`;
        await alter(`ADD COLUMN ${q(col.name)} ${col.type}${def}${col.notNull ? ' NOT NULL' : ''}`);
        report.addedColumns.push(`${table}.${col.name}`);
      }

      for (const cur of current) {
        const model = refColumns.find((c) => c.name === cur.name);
        const at = `${table}.${cur.name}`;
        if (!model) {
          await alter(`DROP COLUMN ${q(cur.name)}`);
          report.droppedColumns.push(at);
          continue;
        }
        if (pkColumns.has(cur.name)) continue;

        const modelFk = refConstraints.find((c) => c.type === 'f' && c.columns.length === 1 && c.columns[0] === cur.name);
        if (modelFk) {
          const sameTarget = currentFks.filter((fk) => fk.target === modelFk.target && !removedFks.has(fk.name));
          // Dropping and adding back the very same single foreign key changes nothing; skip the work.
          const unchanged = sameTarget.length === 1 && sameTarget[0].name === modelFk.name && sameTarget[0].definition === modelFk.definition;
          for (const fk of unchanged ? [] : sameTarget) {
            await alter(`DROP CONSTRAINT ${q(fk.name)}`);
            removedFks.add(fk.name);
          }
          if (model.notNull && !cur.notNull) {
            await alter(`ALTER COLUMN ${q(cur.name)} SET NOT NULL`);
            report.addedNotNull.push(at);
          }
          if (model.default !== null && model.default !== cur.default) {
            await alter(`ALTER COLUMN ${q(cur.name)} SET DEFAULT ${model.default}`);
            report.changedDefaults.push(`${at}: ${cur.default ?? 'none'} -> ${model.default}`);
          }
          if (!unchanged) await alter(`ADD ${modelFk.definition}`);
          continue;
        }

        if (model.notNull !== cur.notNull) {
          await alter(`ALTER COLUMN ${q(cur.name)} ${model.notNull ? 'SET' : 'DROP'} NOT NULL`);
          (model.notNull ? report.addedNotNull : report.droppedNotNull).push(at);
        }
        if (model.default === null && cur.default !== null) {
          await alter(`ALTER COLUMN ${q(cur.name)} DROP DEFAULT`);
          report.droppedDefaults.push(at);
        } else if (model.default !== null && model.default !== cur.default) {
          await alter(`ALTER COLUMN ${q(cur.name)} SET DEFAULT ${model.default}`);
          report.changedDefaults.push(`${at}: ${cur.default ?? 'none'} -> ${model.default}`);
        }
        if (model.type !== cur.type) {
          // Like Sequelize: an explicit cast only to an ENUM; otherwise the assignment conversion,
          // which fails on a value that does not fit (an explicit ::varchar(n) would truncate it).
          const using = model.isEnum ? ` USING (${q(cur.name)}::${model.type})` : '';
          await alter(`ALTER COLUMN ${q(cur.name)} TYPE ${model.type}${using}`);
          report.changedTypes.push(`${at}: ${cur.type} -> ${model.type}`);
        }
        // `unique: true` on the attribute: Sequelize's changeColumn appends ADD UNIQUE every time.
        if (refConstraints.some((c) => c.type === 'u' && c.name === `${table}_${cur.name}_key`)) {
          await alter(`ADD UNIQUE (${q(cur.name)})`);
        }
      }
    }

    const afterColumns = await readCatalog(client);
    for (const index of ref.indexes) {
      if (index.constraint !== null || afterColumns.indexes.some((i) => i.table === index.table && i.name === index.name)) continue;
      await client.query(index.definition);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }

  const after = await readCatalog(client);
  const key = (x: { table: string; name: string }) => `${x.table}.${x.name}`;
  const afterIndexes = new Set(after.indexes.map(key));
  const beforeIndexes = new Set(before.indexes.map(key));
  report.droppedIndexes = before.indexes.map(key).filter((k) => !afterIndexes.has(k));
  const afterConstraints = new Set(after.constraints.map(key));
  const beforeConstraints = new Set(before.constraints.map(key));
  report.droppedForeignKeys = before.constraints.filter((c) => c.type === 'f' && !afterConstraints.has(key(c))).map(key);
  report.addedConstraints = after.constraints.filter((c) => !beforeConstraints.has(key(c))).map(key);
  report.createdIndexes = after.indexes.filter((i) => i.constraint === null && !beforeIndexes.has(key(i))).map(key);
  for (const list of Object.values(report) as string[][]) list.sort();
  return report;
}

/**
 * A comparable text form of a database's public schema: one line per table, column (type,
 * nullability, default), constraint, index, trigger and ENUM type, sorted. Two databases with the
 * same lines have the same schema for every purpose this project has.
 */
export async function schemaLines(client: Client): Promise<string[]> {
  const catalog = await readCatalog(client);
  const lines = [
    ...catalog.tables.map((t) => `table ${t}`),
    ...catalog.columns.map((c) => `column ${c.table}.${c.name} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.default === null ? '' : ` DEFAULT ${c.default}`}`),
    ...catalog.constraints.map((c) => `constraint ${c.table}.${c.name} ${c.definition}`),
    ...catalog.indexes.map((i) => `index ${i.table}.${i.name} ${i.definition}`),
  ];
  const triggers = await client.query<{ line: string }>(
    `SELECT 'trigger ' || t.tgrelid::regclass::text || '.' || t.tgname || ' ' || pg_get_triggerdef(t.oid) AS line
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace`,
  );
  const enums = await client.query<{ line: string }>(
    `SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname`,
  );
  lines.push(...triggers.rows.map((r) => r.line), ...enums.rows.map((r) => r.line));
  return lines.sort();
}

/**
 * Changes this project could make to API tables, one of each kind the alter treats differently, plus
 * a table of our own: the verification against the real API loader (scripts/api-schema/verify-alter.ts)
 * and the e2e test of simulateApiAlter both start from the `models` fixture with these applied.
 */
export const API_ALTER_PROBE_SQL = `
ALTER TABLE sync_runs ADD COLUMN job_id varchar;
CREATE INDEX mw_sync_runs_job_id ON sync_runs (job_id);
ALTER TABLE sync_runs ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX mw_sync_runs_conn_heartbeat ON sync_runs (pms_connection_id, heartbeat_at);
ALTER TABLE interaction_logs ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER TABLE interaction_logs ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE debt_cases ALTER COLUMN updated_at SET DEFAULT now();
ALTER TABLE pms_connections ALTER COLUMN sync_state SET DEFAULT '{}'::jsonb;
ALTER TABLE sync_runs ALTER COLUMN status SET DEFAULT 'queued';
ALTER TABLE debt_cases ALTER COLUMN tenant_id SET DEFAULT '00000000-0000-0000-0000-000000000000';
CREATE INDEX mw_debt_cases_next_action ON debt_cases (next_action_at) WHERE status = 'NEW';
CREATE UNIQUE INDEX mw_sync_runs_idem ON sync_runs (pms_connection_id, idempotency_key);
ALTER TABLE debtors ALTER COLUMN email SET NOT NULL;
ALTER TABLE debt_cases ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE debt_cases ADD CONSTRAINT mw_debt_cases_amount_check CHECK (amount_due_cents >= 0);
ALTER TABLE interaction_logs ADD CONSTRAINT mw_interaction_logs_case_fk FOREIGN KEY (debt_case_id) REFERENCES debt_cases(id);
ALTER TABLE pms_leases ADD CONSTRAINT mw_pms_leases_connection_lease UNIQUE (pms_connection_id, lease_number);
ALTER TABLE pms_leases ALTER COLUMN lease_number TYPE varchar(200);
ALTER TABLE interaction_logs ALTER COLUMN outcome TYPE varchar(40);
DROP INDEX debt_cases_tenant_id_status;
CREATE TABLE mw_call_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  debt_case_id uuid REFERENCES debt_cases(id) ON DELETE CASCADE,
  job_id varchar DEFAULT 'x',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mw_call_attempts_case ON mw_call_attempts (debt_case_id);
`;
