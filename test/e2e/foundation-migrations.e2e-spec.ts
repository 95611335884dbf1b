import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { apiSchemaSql } from '../../src/database/api-schema/api-schema';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';
import { API_TABLE_INDEXES, REQUIRED_API_TABLES } from '../../src/database/schema/api-indexes';
import { MissingApiTablesError, WORKER_TABLES } from '../../src/database/schema/schema-guard';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { TEST_DB } from '../utils/env';

/**
 * Migrations beside the Mordecai API: they never create the API's tables (unless asked to build them
 * from the API's fixture on an empty database), create only the workers' own tables, ensure the
 * workers' indexes on the API's tables, and move what an earlier version of the workers kept in
 * columns of the API's tables into the workers' tables.
 */

const envFor = (name: string) => ({ DB_HOST: TEST_DB.host, DB_PORT: TEST_DB.port, DB_NAME: name, DB_USER: TEST_DB.user, DB_PASSWORD: TEST_DB.password, DB_SSL: false, DB_POOL_SIZE: 2 });
// TypeORM applies migrations in timestamp order, whatever the order of the list.
const ALL_MIGRATIONS = MIGRATIONS.map((m) => m.name).sort((a, b) => Number(a.match(/\d+$/)![0]) - Number(b.match(/\d+$/)![0]));

/** Everything about the schema that a migration could change, in a stable order. */
async function schemaSnapshot(pool: Pool): Promise<Record<string, unknown[]>> {
  const q = async (sql: string) => (await pool.query(sql)).rows;
  return {
    columns: await q(`SELECT table_name, column_name, data_type, udt_name, character_maximum_length, is_nullable, column_default
                        FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`),
    indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`),
    constraints: await q(`SELECT c.conrelid::regclass::text AS tbl, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def
                            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' ORDER BY 1, 2`),
    enums: await q(`SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
                      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`),
    extensions: await q(`SELECT extname FROM pg_extension ORDER BY extname`),
  };
}

async function tablesOf(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
  return rows.map((r) => r.table_name as string);
}

/** The API's schema fixture, run on a connection of its own (the dump changes session settings). */
async function loadApiSchema(name: string): Promise<void> {
  const c = new Client({ ...TEST_DB, database: name });
  await c.connect();
  try {
    await c.query(apiSchemaSql('models'));
  } finally {
    await c.end();
  }
}

/**
 * Every index of ours on the API's tables is there and valid; a unique one without predicate may
 * instead be one the API already has on exactly the same columns.
 */
async function missingOurIndexes(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT c.relname AS name, t.relname AS tbl, i.indisvalid AS valid, i.indisunique AS uniq, i.indpred IS NULL AS no_pred,
            (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k) AS cols
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'`,
  );
  const missing: string[] = [];
  for (const spec of API_TABLE_INDEXES) {
    const own = rows.find((r) => r.name === spec.name);
    if (own) {
      if (!own.valid || own.tbl !== spec.table) missing.push(spec.name);
      continue;
    }
    const cols = spec.columns.split(',').map((c) => c.trim()).sort();
    const equivalent = spec.unique && !spec.where && rows.some((r) => r.tbl === spec.table && r.valid && r.uniq && r.no_pred && JSON.stringify(r.cols) === JSON.stringify(cols));
    if (!equivalent) missing.push(spec.name);
  }
  return missing;
}

describe('migrations on an empty database without the API tables', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('fail with MissingApiTablesError naming every API table the workers need, and write nothing', async () => {
    const before = await schemaSnapshot(db.pool);
    const err = await runMigrations(envFor(db.name)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingApiTablesError);
    expect((err as MissingApiTablesError).tables).toEqual([...REQUIRED_API_TABLES]);
    for (const t of REQUIRED_API_TABLES) expect((err as Error).message).toContain(t);
    expect(await tablesOf(db.pool)).toEqual([]);
    expect(await schemaSnapshot(db.pool)).toEqual(before);
  });

  it('do not build the API schema on a database that already has some of the API tables', async () => {
    await db.pool.query(`CREATE TABLE tenants (id uuid PRIMARY KEY, name varchar(120) NOT NULL)`);
    const before = await schemaSnapshot(db.pool);
    const err = await runMigrations(envFor(db.name), { apiSchema: 'models' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingApiTablesError);
    expect((err as MissingApiTablesError).tables).toEqual(REQUIRED_API_TABLES.filter((t) => t !== 'tenants'));
    expect(await tablesOf(db.pool)).toEqual(['tenants']);
    expect(await schemaSnapshot(db.pool)).toEqual(before);
  });
});

describe("migrations with apiSchema 'models' on an empty database", () => {
  let db: TestDatabase;
  let first: Awaited<ReturnType<typeof runMigrations>>;
  let afterFirst: Record<string, unknown[]>;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    first = await runMigrations(envFor(db.name), { apiSchema: 'models' });
    afterFirst = await schemaSnapshot(db.pool);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("build the API's tables from its fixture, our tables and our indexes on the API's tables", async () => {
    expect(first.apiSchemaBuilt).toBe(true);
    expect(first.applied).toEqual(ALL_MIGRATIONS);
    expect(first.indexes.failed).toEqual([]);
    const tables = await tablesOf(db.pool);
    for (const t of [...REQUIRED_API_TABLES, ...WORKER_TABLES]) expect(tables).toContain(t);
    expect(await missingOurIndexes(db.pool)).toEqual([]);
  });

  it('keep the API column types (ENUMs stay ENUMs, no defaults for ids and timestamps)', async () => {
    const { rows } = await db.pool.query(
      `SELECT table_name, column_name, data_type, udt_name, column_default FROM information_schema.columns
        WHERE table_schema = 'public' AND (table_name, column_name) IN (('debt_cases', 'status'), ('interaction_logs', 'outcome'), ('case_disputes', 'status'), ('debt_cases', 'id'), ('debt_cases', 'created_at'))
        ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { table_name: 'case_disputes', column_name: 'status', data_type: 'USER-DEFINED', udt_name: 'enum_case_disputes_status', column_default: `'OPEN'::enum_case_disputes_status` },
      { table_name: 'debt_cases', column_name: 'created_at', data_type: 'timestamp with time zone', udt_name: 'timestamptz', column_default: null },
      { table_name: 'debt_cases', column_name: 'id', data_type: 'uuid', udt_name: 'uuid', column_default: null },
      { table_name: 'debt_cases', column_name: 'status', data_type: 'USER-DEFINED', udt_name: 'enum_debt_cases_status', column_default: `'NEW'::enum_debt_cases_status` },
      { table_name: 'interaction_logs', column_name: 'outcome', data_type: 'USER-DEFINED', udt_name: 'enum_interaction_logs_outcome', column_default: null },
    ]);
  });

  it("list our connectors' softwares as the API's catalog does (property_manager) and no sandbox row", async () => {
    const { rows } = await db.pool.query(`SELECT key, category FROM softwares ORDER BY key`);
    expect(rows).toEqual([
      { key: 'buildium', category: 'property_manager' },
      { key: 'rentvine', category: 'property_manager' },
    ]);
  });

  it('a second run applies nothing and changes nothing', async () => {
    const second = await runMigrations(envFor(db.name), { apiSchema: 'models' });
    expect(second).toEqual({ applied: [], apiSchemaBuilt: false, indexes: { built: [], failed: [], skipped: false } });
    const third = await runMigrations(envFor(db.name));
    expect(third.applied).toEqual([]);
    expect(third.apiSchemaBuilt).toBe(false);
    expect(await schemaSnapshot(db.pool)).toEqual(afterFirst);
  });

  it('runs one migrator at a time when several start together', async () => {
    const again = await Promise.all([runMigrations(envFor(db.name)), runMigrations(envFor(db.name), { apiSchema: 'models' })]);
    expect(again.map((r) => [r.applied, r.apiSchemaBuilt, r.indexes.built, r.indexes.failed])).toEqual([
      [[], false, [], []],
      [[], false, [], []],
    ]);
    expect(await schemaSnapshot(db.pool)).toEqual(afterFirst);
  });

  it('two concurrent first runs on another empty database build everything once', async () => {
    const other = await createTestDatabase({ empty: true });
    try {
      const runs = await Promise.all([runMigrations(envFor(other.name), { apiSchema: 'models' }), runMigrations(envFor(other.name), { apiSchema: 'models' })]);
      expect(runs.map((r) => r.apiSchemaBuilt).sort()).toEqual([false, true]);
      expect(runs.map((r) => r.applied.length).sort()).toEqual([0, ALL_MIGRATIONS.length]);
      expect(runs.flatMap((r) => r.indexes.failed)).toEqual([]);
      expect(await schemaSnapshot(other.pool)).toEqual(afterFirst);
    } finally {
      await other.drop();
    }
  });

  it('connecting installs no extension (TypeORM must not run CREATE EXTENSION at connect)', async () => {
    const before = (await db.pool.query(`SELECT extname FROM pg_extension ORDER BY extname`)).rows;
    const ds = new DataSource({ ...dataSourceOptions(envFor(db.name)), extra: { max: 1 } });
    await ds.initialize();
    await ds.destroy();
    expect((await db.pool.query(`SELECT extname FROM pg_extension ORDER BY extname`)).rows).toEqual(before);
    expect(before.map((r) => r.extname)).toEqual(['plpgsql']);
  });
});

describe("migrations on an API database that holds an earlier version of the workers' columns", () => {
  let db: TestDatabase;
  let applied: string[];
  let apiRowsBefore: Record<string, unknown[]>;
  const API_TABLES_WITH_ROWS = ['tenants', 'pms_connections', 'sync_runs', 'debtors', 'debt_cases', 'interaction_logs', 'pms_debtors', 'pms_leases', 'pms_portfolios'];
  const T = '10000000-0000-4000-8000-000000000001';
  const SW = '20000000-0000-4000-8000-000000000001';
  const CONN = '30000000-0000-4000-8000-000000000001';
  const RUN_DONE = '40000000-0000-4000-8000-000000000001';
  const RUN_LIVE = '40000000-0000-4000-8000-000000000002';
  const RUN_PLAIN = '40000000-0000-4000-8000-000000000003';
  const DEBTOR_DNC = '50000000-0000-4000-8000-000000000001';
  const DEBTOR_ZONE = '50000000-0000-4000-8000-000000000002';
  const DEBTOR_PLAIN = '50000000-0000-4000-8000-000000000003';
  const CASE = '60000000-0000-4000-8000-000000000001';
  const IL_KEYED = '70000000-0000-4000-8000-000000000001';
  const IL_PLAIN = '70000000-0000-4000-8000-000000000002';
  const PD_GONE = '80000000-0000-4000-8000-000000000001';
  const PD_KEPT = '80000000-0000-4000-8000-000000000002';
  const LEASE_GONE = '90000000-0000-4000-8000-000000000001';
  const LEASE_KEPT = '90000000-0000-4000-8000-000000000002';
  const PORTFOLIO = 'a0000000-0000-4000-8000-000000000001';

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    await loadApiSchema(db.name);
    const q = (sql: string) => db.pool.query(sql);
    // The columns an earlier version of the workers' migrations added to the API's tables.
    await q(`ALTER TABLE sync_runs ADD COLUMN job_id varchar(256), ADD COLUMN heartbeat_at timestamptz, ADD COLUMN checkpoint jsonb NOT NULL DEFAULT '{}'::jsonb,
               ADD COLUMN mode varchar(16), ADD COLUMN steps jsonb`);
    await q(`ALTER TABLE interaction_logs ADD COLUMN idempotency_key varchar(256), ADD COLUMN evidence jsonb`);
    await q(`ALTER TABLE debtors ADD COLUMN do_not_call boolean NOT NULL DEFAULT false, ADD COLUMN do_not_contact boolean NOT NULL DEFAULT false, ADD COLUMN timezone varchar(64)`);
    await q(`ALTER TABLE pms_debtors ADD COLUMN deleted_at timestamptz`);
    await q(`ALTER TABLE pms_leases ADD COLUMN deleted_at timestamptz`);
    await q(`ALTER TABLE pms_portfolios ADD COLUMN last_external_updated_at timestamptz`);

    await q(`INSERT INTO tenants (id, name, created_at, updated_at) VALUES ('${T}', 'Legacy', now(), now())`);
    await q(`INSERT INTO softwares (id, key, name, category, auth_type, created_at, updated_at) VALUES ('${SW}', 'buildium', 'Buildium (API row)', 'property_manager', 'api_key', now(), now())`);
    await q(`INSERT INTO pms_connections (id, tenant_id, software_id, status, created_at, updated_at) VALUES ('${CONN}', '${T}', '${SW}', 'connected', now(), now())`);
    await q(`INSERT INTO sync_runs (id, pms_connection_id, status, trigger, triggered_at, job_id, heartbeat_at, checkpoint, mode, steps, created_at, updated_at) VALUES
      ('${RUN_DONE}', '${CONN}', 'completed', 'manual', '2026-01-01T00:00:00Z', 'job-1', '2026-01-01T00:05:00Z', '{"pullComplete": true}', 'full', '["charges"]', now(), now()),
      ('${RUN_LIVE}', '${CONN}', 'running', 'schedule', '2026-01-02T00:00:00Z', 'job-2', '2026-01-02T00:01:00Z', '{"resume": {"charges": {"nextPage": 3}}}', 'incremental', NULL, now(), now()),
      ('${RUN_PLAIN}', '${CONN}', 'failed', 'manual', '2025-12-01T00:00:00Z', NULL, NULL, '{}', NULL, NULL, now(), now())`);
    await q(`INSERT INTO debtors (id, tenant_id, full_name, do_not_call, do_not_contact, timezone, created_at, updated_at) VALUES
      ('${DEBTOR_DNC}', '${T}', 'No Calls', true, false, NULL, now(), now()),
      ('${DEBTOR_ZONE}', '${T}', 'Zoned', false, true, 'America/Chicago', now(), now()),
      ('${DEBTOR_PLAIN}', '${T}', 'Plain', false, false, NULL, now(), now())`);
    await q(`INSERT INTO debt_cases (id, tenant_id, debtor_id, amount_due_cents, days_past_due, status, created_at, updated_at) VALUES ('${CASE}', '${T}', '${DEBTOR_DNC}', 1000, 40, 'IN_PROGRESS', now(), now())`);
    await q(`INSERT INTO interaction_logs (id, tenant_id, debt_case_id, debtor_id, type, status, outcome, idempotency_key, evidence, created_at, updated_at) VALUES
      ('${IL_KEYED}', '${T}', '${CASE}', '${DEBTOR_DNC}', 'CALL', 'completed', 'NO_ANSWER', 'CALL_CASE:17', '{"rules": {"decision": "allowed"}}', '2026-01-03T00:00:00Z', now()),
      ('${IL_PLAIN}', '${T}', '${CASE}', '${DEBTOR_DNC}', 'SMS', 'completed', NULL, NULL, NULL, now(), now())`);
    await q(`INSERT INTO pms_debtors (id, tenant_id, pms_connection_id, external_id, display_name, deleted_at, created_at, updated_at) VALUES
      ('${PD_GONE}', '${T}', '${CONN}', 'd-1', 'Gone', '2026-01-04T00:00:00Z', now(), now()),
      ('${PD_KEPT}', '${T}', '${CONN}', 'd-2', 'Kept', NULL, now(), now())`);
    await q(`INSERT INTO pms_leases (id, tenant_id, pms_connection_id, pms_debtor_id, external_id, deleted_at, created_at, updated_at) VALUES
      ('${LEASE_GONE}', '${T}', '${CONN}', '${PD_GONE}', 'l-1', '2026-01-05T00:00:00Z', now(), now()),
      ('${LEASE_KEPT}', '${T}', '${CONN}', '${PD_KEPT}', 'l-2', NULL, now(), now())`);
    await q(`INSERT INTO pms_portfolios (id, tenant_id, pms_connection_id, external_id, last_external_updated_at, created_at, updated_at) VALUES
      ('${PORTFOLIO}', '${T}', '${CONN}', 'p-1', '2026-01-06T00:00:00Z', now(), now())`);

    apiRowsBefore = {};
    for (const t of API_TABLES_WITH_ROWS) apiRowsBefore[t] = (await db.pool.query(`SELECT * FROM "${t}" ORDER BY id`)).rows;
    applied = (await runMigrations(envFor(db.name))).applied;
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('applies every migration and never builds the API schema', async () => {
    expect(applied).toEqual(ALL_MIGRATIONS);
    const again = await runMigrations(envFor(db.name), { apiSchema: 'models' });
    expect([again.applied, again.apiSchemaBuilt]).toEqual([[], false]);
  });

  it('copies the sync runs job, heartbeat, checkpoint, mode and steps into worker_sync_runs', async () => {
    const { rows } = await db.pool.query(`SELECT sync_run_id, pms_connection_id, job_id, heartbeat_at, checkpoint, mode, steps FROM worker_sync_runs ORDER BY sync_run_id`);
    expect(rows).toEqual([
      { sync_run_id: RUN_DONE, pms_connection_id: CONN, job_id: 'job-1', heartbeat_at: new Date('2026-01-01T00:05:00Z'), checkpoint: { pullComplete: true }, mode: 'full', steps: ['charges'] },
      { sync_run_id: RUN_LIVE, pms_connection_id: CONN, job_id: 'job-2', heartbeat_at: new Date('2026-01-02T00:01:00Z'), checkpoint: { resume: { charges: { nextPage: 3 } } }, mode: 'incremental', steps: null },
    ]);
  });

  it('copies the interactions idempotency key and evidence into worker_interactions', async () => {
    const { rows } = await db.pool.query(`SELECT interaction_log_id, tenant_id, debt_case_id, channel, idempotency_key, evidence, created_at FROM worker_interactions`);
    expect(rows).toEqual([
      { interaction_log_id: IL_KEYED, tenant_id: T, debt_case_id: CASE, channel: 'CALL', idempotency_key: 'CALL_CASE:17', evidence: { rules: { decision: 'allowed' } }, created_at: new Date('2026-01-03T00:00:00Z') },
    ]);
  });

  it("copies the debtors' do-not-call, do-not-contact and zone into worker_debtor_flags", async () => {
    const { rows } = await db.pool.query(`SELECT debtor_id, tenant_id, do_not_call, do_not_contact, timezone FROM worker_debtor_flags ORDER BY debtor_id`);
    expect(rows).toEqual([
      { debtor_id: DEBTOR_DNC, tenant_id: T, do_not_call: true, do_not_contact: false, timezone: null },
      { debtor_id: DEBTOR_ZONE, tenant_id: T, do_not_call: false, do_not_contact: true, timezone: 'America/Chicago' },
    ]);
  });

  it('copies soft-deleted PMS debtors and leases into worker_soft_deletes, and row versions into worker_row_versions', async () => {
    const sd = await db.pool.query(`SELECT row_id, entity, pms_connection_id, deleted_at FROM worker_soft_deletes ORDER BY row_id`);
    expect(sd.rows).toEqual([
      { row_id: PD_GONE, entity: 'debtors', pms_connection_id: CONN, deleted_at: new Date('2026-01-04T00:00:00Z') },
      { row_id: LEASE_GONE, entity: 'leases', pms_connection_id: CONN, deleted_at: new Date('2026-01-05T00:00:00Z') },
    ]);
    const rv = await db.pool.query(`SELECT row_id, entity, last_external_updated_at FROM worker_row_versions ORDER BY row_id`);
    expect(rv.rows).toEqual([{ row_id: PORTFOLIO, entity: 'portfolios', last_external_updated_at: new Date('2026-01-06T00:00:00Z') }]);
  });

  it("keeps every row and value of the API's tables", async () => {
    for (const t of API_TABLES_WITH_ROWS) {
      expect([t, (await db.pool.query(`SELECT * FROM "${t}" ORDER BY id`)).rows]).toEqual([t, apiRowsBefore[t]]);
    }
  });

  it("ensures every index of ours on the API's tables, and lists buildium and rentvine (API row kept) but no sandbox", async () => {
    expect(await missingOurIndexes(db.pool)).toEqual([]);
    const { rows } = await db.pool.query(`SELECT key, name, category FROM softwares ORDER BY key`);
    expect(rows).toEqual([
      { key: 'buildium', name: 'Buildium (API row)', category: 'property_manager' },
      { key: 'rentvine', name: 'Rentvine', category: 'property_manager' },
    ]);
  });
});
