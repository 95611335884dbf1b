import * as fs from 'fs';
import * as path from 'path';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { ENTITIES } from '../../src/database/entities';
import { MIGRATIONS } from '../../src/database/migrations';
import { SHARED_TABLES } from '../../src/database/migrations/1764300000000-SharedContract';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { TEST_DB } from '../utils/env';

/**
 * Issue 2, "Checked by": migrations run twice on an empty database and on one pre-created with the
 * API's table shapes (test/fixtures/api-schema.sql); every entity matches the database.
 */

const envFor = (name: string) => ({ DB_HOST: TEST_DB.host, DB_PORT: TEST_DB.port, DB_NAME: name, DB_USER: TEST_DB.user, DB_PASSWORD: TEST_DB.password, DB_SSL: false, DB_POOL_SIZE: 2 });
const ALL_MIGRATIONS = MIGRATIONS.map((m) => m.name);

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

async function columnsOf(pool: Pool, table: string): Promise<Map<string, { data_type: string; udt_name: string; is_nullable: string; character_maximum_length: number | null; column_default: string | null }>> {
  const { rows } = await pool.query(
    `SELECT column_name, data_type, udt_name, is_nullable, character_maximum_length, column_default
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.column_name as string, r]));
}

describe('migrations on an empty database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('creates every shared table, then a second run applies nothing and changes nothing', async () => {
    expect(await runMigrations(envFor(db.name))).toEqual(ALL_MIGRATIONS);
    const first = await schemaSnapshot(db.pool);
    const tables = new Set((first.columns as { table_name: string }[]).map((c) => c.table_name));
    for (const t of SHARED_TABLES) expect(tables).toContain(t.name);

    expect(await runMigrations(envFor(db.name))).toEqual([]);
    expect(await schemaSnapshot(db.pool)).toEqual(first);
  });

  it('did not install extensions beyond pgcrypto (TypeORM must not run CREATE EXTENSION at connect)', async () => {
    const ds = new DataSource({ ...dataSourceOptions(envFor(db.name)), extra: { max: 1 } });
    await ds.initialize();
    await ds.destroy();
    const { rows } = await db.pool.query(`SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname`);
    expect(rows.map((r) => r.extname)).toEqual(['pgcrypto']);
  });

  it('runs one migrator at a time when several start together', async () => {
    const again = await Promise.all([runMigrations(envFor(db.name)), runMigrations(envFor(db.name))]);
    expect(again).toEqual([[], []]);
  });
});

describe('migrations on a database the API created (test/fixtures/api-schema.sql)', () => {
  let db: TestDatabase;
  let applied: string[];
  let second: string[];
  let afterFirst: Record<string, unknown[]>;
  let beforeRows: Record<string, unknown[]>;
  const KEPT_TABLES = ['tenants', 'softwares', 'pms_connections', 'external_mappings', 'pms_debtors', 'debtors', 'flow_policies', 'debt_cases', 'interaction_logs', 'payment_agreements', 'case_disputes', 'SequelizeMeta'];

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    await db.pool.query(fs.readFileSync(path.join(__dirname, '../fixtures/api-schema.sql'), 'utf8'));
    beforeRows = {};
    for (const t of KEPT_TABLES) beforeRows[t] = (await db.pool.query(`SELECT * FROM "${t}" ORDER BY 1`)).rows;
    applied = await runMigrations(envFor(db.name));
    afterFirst = await schemaSnapshot(db.pool);
    second = await runMigrations(envFor(db.name));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('applies cleanly, and a second run is a no-op with an identical schema', async () => {
    expect(applied).toEqual(ALL_MIGRATIONS);
    expect(second).toEqual([]);
    expect(await schemaSnapshot(db.pool)).toEqual(afterFirst);
  });

  it('keeps every existing row and value of the API columns', async () => {
    for (const t of KEPT_TABLES) {
      const { rows } = await db.pool.query(`SELECT * FROM "${t}" ORDER BY 1`);
      // softwares gains the rows of our connectors (ON CONFLICT DO NOTHING); nothing else gains rows.
      if (t !== 'softwares') expect(rows).toHaveLength(beforeRows[t].length);
      // Every value the API wrote is still there (new columns may have been added beside them).
      for (const before of beforeRows[t] as Record<string, unknown>[]) {
        const key = Object.keys(before)[0];
        const after = rows.find((r) => String(r[key]) === String(before[key]));
        expect([t, after]).toEqual([t, expect.objectContaining(before)]);
      }
    }
    const softwares = await db.pool.query(`SELECT key, name, is_enabled FROM softwares WHERE key IN ('buildium','rentvine') ORDER BY key`);
    expect(softwares.rows).toEqual([
      { key: 'buildium', name: 'Buildium (API row)', is_enabled: true },
      { key: 'rentvine', name: 'Rentvine (API row)', is_enabled: false },
    ]);
  });

  it('keeps the API column types (ENUMs stay ENUMs; nothing is dropped or renamed)', async () => {
    const cases = await columnsOf(db.pool, 'debt_cases');
    expect(cases.get('status')).toMatchObject({ data_type: 'USER-DEFINED', udt_name: 'enum_debt_cases_status' });
    const runs = await columnsOf(db.pool, 'sync_runs');
    expect(runs.get('status')).toMatchObject({ data_type: 'USER-DEFINED', udt_name: 'enum_sync_runs_status' });
    const enums = (afterFirst.enums as { typname: string }[]).map((e) => e.typname);
    expect(enums).toContain('enum_interaction_logs_outcome');
  });

  it('adds the missing columns, with their defaults on existing rows', async () => {
    const debtor = await db.pool.query(`SELECT do_not_call, do_not_contact, timezone FROM debtors`);
    expect(debtor.rows).toEqual([{ do_not_call: false, do_not_contact: false, timezone: null }]);
    const conn = await db.pool.query(`SELECT sync_state, last_error FROM pms_connections`);
    expect(conn.rows).toEqual([{ sync_state: {}, last_error: null }]);
    const il = await columnsOf(db.pool, 'interaction_logs');
    expect(il.has('idempotency_key')).toBe(true);
    expect(il.has('evidence')).toBe(true);
    const pd = await columnsOf(db.pool, 'pms_debtors');
    for (const c of ['deleted_at', 'language', 'timezone', 'meta', 'last_external_updated_at']) expect(pd.has(c)).toBe(true);
    const dc = await columnsOf(db.pool, 'debt_cases');
    for (const c of ['pms_lease_id', 'external_key', 'last_pms_sync_at', 'risk_tier']) expect(dc.has(c)).toBe(true);
  });

  it('creates the tables the API did not have', async () => {
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1::text[])`, [
      ['pms_leases', 'ar_charges', 'ar_payments', 'ar_balances', 'ar_aging_snapshots', 'ar_lease_aging_snapshots', 'ar_portfolio_aging_snapshots'],
    ]);
    expect(rows[0].n).toBe(7);
  });

  it('gives API-made tables the id and timestamp defaults our set-based inserts rely on', async () => {
    const ins = await db.pool.query(
      `INSERT INTO debtors (id, created_at, updated_at, tenant_id, external_ref, full_name) VALUES (gen_random_uuid(), now(), now(), '10000000-0000-4000-8000-000000000001', 'pms:x:T-1', 'New Debtor') RETURNING id, created_at, updated_at`,
    );
    expect(ins.rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ins.rows[0].created_at).toBeInstanceOf(Date);
    // An existing default of the API is never replaced.
    const tenants = await columnsOf(db.pool, 'tenants');
    expect(tenants.get('status')?.column_default).toBe(`'active'::enum_tenants_status`);
  });

  it('reuses the API unique constraints instead of duplicating them', async () => {
    const { rows } = await db.pool.query(`SELECT indexname FROM pg_indexes WHERE tablename IN ('softwares', 'pms_connections', 'pms_debtors', 'external_mappings') AND indexdef LIKE 'CREATE UNIQUE%' AND indexname NOT LIKE '%pkey' ORDER BY 1`);
    expect(rows.map((r) => r.indexname)).toEqual([
      'external_mappings_pms_connection_id_entity_type_external_id',
      'pms_connections_tenant_id_software_id',
      'pms_debtors_pms_connection_id_external_id',
      'softwares_key_key',
    ]);
  });

  it('resolves duplicate active sync runs left by a crash (keeps the newest) and enforces one active run', async () => {
    const { rows } = await db.pool.query(`SELECT id, status::text AS status, error_message FROM sync_runs ORDER BY id`);
    expect(rows.map((r) => [r.id.slice(-1), r.status])).toEqual([
      ['1', 'completed'],
      ['2', 'failed'],
      ['3', 'running'],
    ]);
    expect(rows[1].error_message).toMatch(/newer run/);
    await expect(
      // (triggered_at and id come from the defaults the migration gave the API's columns)
      db.pool.query(`INSERT INTO sync_runs (id, created_at, updated_at, pms_connection_id, status) VALUES (gen_random_uuid(), now(), now(), '30000000-0000-4000-8000-000000000001', 'pending')`),
    ).rejects.toThrow(/uq_sync_runs_one_active/);
  });

  it('holds every entity column with a compatible type', async () => {
    const ds = new DataSource({ ...dataSourceOptions(envFor(db.name)), extra: { max: 1 } });
    await ds.initialize();
    try {
      for (const meta of ds.entityMetadatas) {
        const cols = await columnsOf(db.pool, meta.tableName);
        for (const c of meta.columns) expect([meta.tableName, c.databaseName, cols.has(c.databaseName)]).toEqual([meta.tableName, c.databaseName, true]);
      }
    } finally {
      await ds.destroy();
    }
  });
});

describe('entities match the migrated database exactly', () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ ...dataSourceOptions(envFor(db.name)), extra: { max: 1 } });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  /** information_schema data_type for a TypeORM column type. */
  const PG_TYPE: Record<string, string> = {
    uuid: 'uuid',
    varchar: 'character varying',
    'character varying': 'character varying',
    text: 'text',
    jsonb: 'jsonb',
    json: 'json',
    boolean: 'boolean',
    bool: 'boolean',
    bigint: 'bigint',
    int8: 'bigint',
    integer: 'integer',
    int: 'integer',
    int4: 'integer',
    smallint: 'smallint',
    date: 'date',
    timestamptz: 'timestamp with time zone',
    'timestamp with time zone': 'timestamp with time zone',
    timestamp: 'timestamp without time zone',
    numeric: 'numeric',
  };

  it('has one entity per shared table, and nothing else', () => {
    expect(ds.entityMetadatas.map((m) => m.tableName).sort()).toEqual(SHARED_TABLES.map((t) => t.name).sort());
    expect(ENTITIES).toHaveLength(SHARED_TABLES.length);
  });

  it('every entity column exists with the same type, length and nullability', async () => {
    const problems: string[] = [];
    for (const meta of ds.entityMetadatas) {
      const cols = await columnsOf(db.pool, meta.tableName);
      for (const c of meta.columns) {
        const where = `${meta.tableName}.${c.databaseName}`;
        const dbc = cols.get(c.databaseName);
        if (!dbc) {
          problems.push(`${where}: missing in the database`);
          continue;
        }
        const type = typeof c.type === 'string' ? c.type : ds.driver.normalizeType(c);
        const expected = PG_TYPE[type] ?? type;
        if (dbc.data_type !== expected) problems.push(`${where}: entity ${type} (${expected}) vs database ${dbc.data_type}`);
        if (expected === 'character varying' && c.length && Number(c.length) !== dbc.character_maximum_length) {
          problems.push(`${where}: entity length ${c.length} vs database ${dbc.character_maximum_length}`);
        }
        const dbNullable = dbc.is_nullable === 'YES';
        if (c.isNullable !== dbNullable) problems.push(`${where}: entity nullable=${c.isNullable} vs database ${dbNullable}`);
        const hasDbDefault = dbc.column_default !== null;
        const entityDefault = c.default !== undefined || c.isGenerated || c.isCreateDate || c.isUpdateDate;
        if (entityDefault !== hasDbDefault) problems.push(`${where}: entity default ${entityDefault} vs database default ${dbc.column_default}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every column of the shared contract is mapped by its entity', () => {
    const problems: string[] = [];
    for (const t of SHARED_TABLES) {
      const meta = ds.entityMetadatas.find((m) => m.tableName === t.name);
      if (!meta) {
        problems.push(`${t.name}: no entity`);
        continue;
      }
      const mapped = new Set(meta.columns.map((c) => c.databaseName));
      for (const [col] of t.columns) if (!mapped.has(col)) problems.push(`${t.name}.${col}: not in the entity`);
    }
    expect(problems).toEqual([]);
  });

  it('entities can write and read a row (the database fills ids and timestamps)', async () => {
    const tenant = await ds.getRepository('Tenant').save({ name: 'Entity Check' });
    expect(tenant.id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await ds.getRepository('Tenant').findOneByOrFail({ id: tenant.id });
    expect(read).toMatchObject({ name: 'Entity Check', timezone: 'America/New_York', status: 'active', settings: {} });
  });
});
