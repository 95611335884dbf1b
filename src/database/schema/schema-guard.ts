import { DataSource } from 'typeorm';
import { API_TABLE_INDEXES, ApiIndexSpec, REQUIRED_API_TABLES } from './api-indexes';

/** The workers' own tables (made by our migrations). */
export const WORKER_TABLES = [
  'worker_migrations',
  'worker_sync_runs',
  'worker_interactions',
  'worker_debtor_flags',
  'worker_soft_deletes',
  'worker_row_versions',
  'sync_run_seen',
  'pms_reported_balances',
] as const;

export interface SchemaDrift {
  /** API tables the workers need that the database lacks */
  missingApiTables: string[];
  /** our own tables that are missing (migrate has not run) */
  missingWorkerTables: string[];
  /** indexes of ours on API tables that are missing or invalid (the API's restart drops them) */
  missingIndexes: string[];
  /** indexes that could not be built, with the database's reason (e.g. duplicate keys) */
  failedIndexes: { name: string; error: string }[];
}

/** A DataSource, a QueryRunner, or anything whose query() resolves to the rows. */
type Queryable = { query(sql: string, params?: unknown[]): Promise<any> };

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;
const GUARD_LOCK = 'mordecai-workers:schema-guard';

/**
 * Takes a session advisory lock by polling instead of blocking in pg_advisory_lock: a session
 * blocked in that call holds a snapshot, and CREATE INDEX CONCURRENTLY run by the lock's holder
 * waits for every such snapshot to end — a deadlock. Between two tries this session holds none.
 */
export async function waitForAdvisoryLock(db: Queryable, key: string, pollMs = 100): Promise<void> {
  for (;;) {
    const [{ locked }] = await db.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
    if (locked) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export async function existingTables(db: Queryable, names: readonly string[]): Promise<Set<string>> {
  const rows: { name: string }[] = await db.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])`,
    [names],
  );
  return new Set(rows.map((r) => r.name));
}

export async function missingApiTables(db: Queryable): Promise<string[]> {
  const have = await existingTables(db, REQUIRED_API_TABLES);
  return REQUIRED_API_TABLES.filter((t) => !have.has(t));
}

/** name -> valid, for the given index names */
async function indexStates(db: Queryable, names: string[]): Promise<Map<string, boolean>> {
  const rows: { name: string; valid: boolean }[] = await db.query(
    `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[])`,
    [names],
  );
  return new Map(rows.map((r) => [r.name, r.valid]));
}

/** True when the API already has a valid unique index on exactly these plain columns, no predicate. */
async function hasEquivalentUnique(db: Queryable, spec: ApiIndexSpec): Promise<boolean> {
  if (!spec.unique || spec.where) return false;
  const cols = spec.columns.split(',').map((c) => c.trim());
  if (cols.some((c) => !/^[a-z_][a-z0-9_]*$/.test(c))) return false;
  const rows: unknown[] = await db.query(
    `SELECT 1 FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class tc ON tc.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = tc.relnamespace
      WHERE n.nspname = current_schema() AND tc.relname = $1 AND ic.relname <> $4
        AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnatts = $2
        AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
               FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = k) = $3::text[]`,
    [spec.table, cols.length, [...cols].sort(), spec.name],
  );
  return rows.length > 0;
}

/** The indexes of ours that are missing or invalid on the API tables that exist. */
export async function missingIndexes(db: Queryable, specs: ApiIndexSpec[] = API_TABLE_INDEXES): Promise<ApiIndexSpec[]> {
  const tables = await existingTables(db, [...new Set(specs.map((s) => s.table))]);
  const present = specs.filter((s) => tables.has(s.table));
  const states = await indexStates(db, present.map((s) => s.name));
  const out: ApiIndexSpec[] = [];
  for (const s of present) {
    if (states.get(s.name) === true) continue;
    if (!states.has(s.name) && (await hasEquivalentUnique(db, s))) continue;
    out.push(s);
  }
  return out;
}

/**
 * A sync run left active by a crashed process would make the "one active run per connection"
 * index impossible to build; only the newest active run of a connection is kept active.
 */
async function resolveDuplicateActiveRuns(db: Queryable): Promise<void> {
  await db.query(
    `UPDATE sync_runs s
        SET status = 'failed', finished_at = coalesce(s.finished_at, now()), updated_at = now(),
            error_message = coalesce(s.error_message, 'marked failed by the workers: a newer run of this connection was active')
      WHERE s.status::text IN ('pending', 'running')
        AND EXISTS (SELECT 1 FROM sync_runs n
                     WHERE n.pms_connection_id = s.pms_connection_id AND n.status::text IN ('pending', 'running')
                       AND (n.triggered_at, n.id) > (s.triggered_at, s.id))`,
  );
}

async function build(db: Queryable, spec: ApiIndexSpec, valid: boolean | undefined): Promise<void> {
  // An interrupted CONCURRENTLY build leaves an invalid index behind: dropped and built again.
  if (valid === false) await db.query(`DROP INDEX CONCURRENTLY IF EXISTS ${q(spec.name)}`);
  if (spec.name === 'uq_sync_runs_one_active') await resolveDuplicateActiveRuns(db);
  // CONCURRENTLY: the API keeps writing while an index is rebuilt after its restart.
  await db.query(
    `CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${q(spec.name)} ON ${q(spec.table)} (${spec.columns})${spec.where ? ` WHERE ${spec.where}` : ''}`,
  );
}

export interface EnsureResult {
  built: string[];
  failed: { name: string; error: string }[];
  /** another process holds the guard's lock (it is building them) */
  skipped: boolean;
}

/**
 * Builds the missing indexes of ours on the API's tables. One process at a time (advisory lock on a
 * dedicated connection: CREATE INDEX CONCURRENTLY cannot run inside a transaction). With
 * `wait: false` a process that finds the lock taken leaves the work to its holder.
 */
export async function ensureApiIndexes(ds: DataSource, opts: { only?: 'critical' | 'all'; wait?: boolean } = {}): Promise<EnsureResult> {
  const specs = API_TABLE_INDEXES.filter((s) => opts.only !== 'critical' || s.critical);
  const result: EnsureResult = { built: [], failed: [], skipped: false };
  if ((await missingIndexes(ds, specs)).length === 0) return result;
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    if (opts.wait === false) {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [GUARD_LOCK]);
      if (!locked) return { ...result, skipped: true };
    } else {
      await waitForAdvisoryLock(runner, GUARD_LOCK);
    }
    try {
      const todo = await missingIndexes(runner, specs);
      const states = await indexStates(runner, todo.map((s) => s.name));
      for (const spec of todo) {
        try {
          await build(runner, spec, states.get(spec.name));
          result.built.push(spec.name);
        } catch (err) {
          result.failed.push({ name: spec.name, error: (err as Error).message });
          await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${q(spec.name)}`).catch(() => undefined);
        }
      }
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [GUARD_LOCK]);
    }
  } finally {
    await runner.release();
  }
  return result;
}

/** What differs from the schema the workers need: reported by /health and `status`. */
export async function schemaDrift(db: Queryable): Promise<SchemaDrift> {
  const have = await existingTables(db, WORKER_TABLES);
  return {
    missingApiTables: await missingApiTables(db),
    missingWorkerTables: WORKER_TABLES.filter((t) => !have.has(t)),
    missingIndexes: (await missingIndexes(db)).map((s) => s.name),
    failedIndexes: [],
  };
}

export function driftIsEmpty(d: SchemaDrift): boolean {
  return d.missingApiTables.length + d.missingWorkerTables.length + d.missingIndexes.length + d.failedIndexes.length === 0;
}

export class MissingApiTablesError extends Error {
  constructor(readonly tables: string[]) {
    super(
      `the database lacks ${tables.length} table(s) of the Mordecai API that the workers need: ${tables.join(', ')}. ` +
        'Start the Mordecai API once on this database (it creates its tables), or, on an empty database only, ' +
        'run `migrate --with-api-schema` to build the API\'s schema from the fixture shipped with the workers.',
    );
    this.name = 'MissingApiTablesError';
  }
}
