import { Client } from 'pg';
import { apiSchemaSql, type ApiSchemaVariant } from '../../src/database/api-schema/api-schema';
import { API_ALTER_PROBE_SQL, schemaLines, simulateApiAlter } from '../utils/api-alter';
import { adminClient, dropDatabase, uniqueName } from '../utils/db';
import { TEST_DB } from '../utils/env';

/**
 * simulateApiAlter on databases made from the API's schema fixtures plus changes of our own
 * (API_ALTER_PROBE_SQL). The expectations are what the API's real loader did to the same database
 * (scripts/api-schema/verify-alter.ts compares the two whole schemas).
 */

const created: string[] = [];

async function newDatabase(variant: ApiSchemaVariant, extraSql: string): Promise<string> {
  const name = uniqueName('mw_test_apialter');
  const admin = adminClient();
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  created.push(name);
  await withClient(name, async (c) => {
    await c.query(apiSchemaSql(variant));
    await c.query(extraSql);
  });
  return name;
}

async function withClient<T>(database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...TEST_DB, database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function referenceDatabases(): Promise<string[]> {
  const admin = adminClient();
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'mw_test_apiref%'`);
    return rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
}

const columnOf = (c: Client, table: string, column: string) =>
  c
    .query<{ type: string; not_null: boolean; default: string | null }>(
      `SELECT format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS "default"
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1::regclass AND a.attname = $2 AND NOT a.attisdropped`,
      [`public.${table}`, column],
    )
    .then((r) => r.rows[0]);

const namesOf = async (c: Client, sql: string, params: unknown[] = []) => (await c.query<{ name: string }>(sql, params)).rows.map((r) => r.name).sort();
const indexesOf = (c: Client, table: string) => namesOf(c, `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1`, [table]);
const constraintsOf = (c: Client, table: string) => namesOf(c, `SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass`, [`public.${table}`]);

afterAll(async () => {
  for (const name of created) await dropDatabase(name);
});

describe('simulateApiAlter (models variant)', () => {
  let db: string;
  let before: string[];
  let report: Awaited<ReturnType<typeof simulateApiAlter>>;
  const tenantId = '11111111-1111-1111-1111-111111111111';
  const debtorId = '22222222-2222-2222-2222-222222222222';
  const caseId = '33333333-3333-3333-3333-333333333333';

  beforeAll(async () => {
    db = await newDatabase('models', API_ALTER_PROBE_SQL);
    await withClient(db, async (c) => {
      await c.query(`INSERT INTO tenants (id, name, created_at, updated_at) VALUES ($1, 'T', now(), now())`, [tenantId]);
      await c.query(`INSERT INTO debtors (id, tenant_id, full_name, email, created_at, updated_at) VALUES ($1, $2, 'D', 'd@example.com', now(), now())`, [debtorId, tenantId]);
      await c.query(
        `INSERT INTO debt_cases (id, tenant_id, debtor_id, amount_due_cents, days_past_due, created_at, updated_at) VALUES ($1, $2, $3, 500, 12, now(), now())`,
        [caseId, tenantId, debtorId],
      );
      await c.query(`INSERT INTO mw_call_attempts (debt_case_id) VALUES ($1)`, [caseId]);
      await c.query(`INSERT INTO interaction_logs (tenant_id, debt_case_id, debtor_id, type, outcome) VALUES ($1, $2, $3, 'CALL', 'NO_ANSWER')`, [tenantId, caseId, debtorId]);
      before = await schemaLines(c);
    });
    report = await simulateApiAlter(db, 'models');
  });

  it('reports exactly what the real alter changed', () => {
    expect(report).toEqual({
      addedColumns: [],
      droppedColumns: ['sync_runs.heartbeat_at', 'sync_runs.job_id'],
      droppedDefaults: ['debt_cases.updated_at', 'interaction_logs.created_at', 'pms_connections.sync_state'],
      changedDefaults: ["sync_runs.status: 'queued'::character varying -> 'pending'::character varying"],
      droppedNotNull: ['debtors.email'],
      addedNotNull: [],
      changedTypes: [
        'interaction_logs.outcome: character varying(40) -> enum_interaction_logs_outcome',
        'pms_leases.lease_number: character varying(200) -> character varying(64)',
      ],
      droppedIndexes: ['sync_runs.mw_sync_runs_conn_heartbeat', 'sync_runs.mw_sync_runs_job_id'],
      droppedForeignKeys: ['interaction_logs.mw_interaction_logs_case_fk'],
      addedConstraints: [
        'debt_cases.debt_cases_case_public_id_key1',
        'discovery_sessions.discovery_sessions_client_session_id_key1',
        'payment_channel_types.payment_channel_types_code_key1',
        'payment_links.payment_links_short_token_key1',
        'payment_links.payment_links_token_key1',
        'softwares.softwares_key_key1',
        'tenant_invitations.tenant_invitations_token_key1',
        'users.users_cognito_sub_key1',
      ],
      createdIndexes: ['debt_cases.debt_cases_tenant_id_status'],
    });
  });

  it('drops the extra columns with their indexes, and the defaults and NOT NULL the API does not declare', async () => {
    await withClient(db, async (c) => {
      expect(await columnOf(c, 'sync_runs', 'job_id')).toBeUndefined();
      expect(await columnOf(c, 'sync_runs', 'heartbeat_at')).toBeUndefined();
      expect(await indexesOf(c, 'sync_runs')).toEqual(['mw_sync_runs_idem', 'sync_runs_pkey']);
      expect(await columnOf(c, 'interaction_logs', 'created_at')).toEqual({ type: 'timestamp with time zone', not_null: false, default: null });
      expect(await columnOf(c, 'debt_cases', 'updated_at')).toEqual({ type: 'timestamp with time zone', not_null: false, default: null });
      expect(await columnOf(c, 'pms_connections', 'sync_state')).toEqual({ type: 'jsonb', not_null: false, default: null });
      expect(await columnOf(c, 'sync_runs', 'status')).toEqual({ type: 'character varying(32)', not_null: true, default: "'pending'::character varying" });
      expect(await columnOf(c, 'debtors', 'email')).toEqual({ type: 'character varying(160)', not_null: false, default: null });
      expect(await columnOf(c, 'pms_leases', 'lease_number')).toEqual({ type: 'character varying(64)', not_null: false, default: null });
      expect(await columnOf(c, 'interaction_logs', 'outcome')).toEqual({ type: 'enum_interaction_logs_outcome', not_null: false, default: null });
    });
  });

  it('leaves primary-key defaults, foreign-key columns, extra indexes and CHECK/UNIQUE constraints of ours alone', async () => {
    await withClient(db, async (c) => {
      expect(await columnOf(c, 'interaction_logs', 'id')).toEqual({ type: 'uuid', not_null: true, default: 'gen_random_uuid()' });
      expect(await columnOf(c, 'debt_cases', 'tenant_id')).toEqual({
        type: 'uuid',
        not_null: true,
        default: "'00000000-0000-0000-0000-000000000000'::uuid",
      });
      expect(await indexesOf(c, 'debt_cases')).toEqual(expect.arrayContaining(['mw_debt_cases_next_action', 'debt_cases_tenant_id_status']));
      expect(await constraintsOf(c, 'debt_cases')).toEqual(expect.arrayContaining(['mw_debt_cases_amount_check', 'debt_cases_case_public_id_key', 'debt_cases_case_public_id_key1']));
      expect(await constraintsOf(c, 'pms_leases')).toContain('mw_pms_leases_connection_lease');
      const fks = await namesOf(c, `SELECT conname AS name FROM pg_constraint WHERE conrelid = 'public.interaction_logs'::regclass AND contype = 'f'`);
      expect(fks).toEqual(['interaction_logs_debt_case_id_fkey', 'interaction_logs_debtor_id_fkey', 'interaction_logs_tenant_id_fkey']);
    });
  });

  it('leaves our own table untouched and keeps the rows', async () => {
    await withClient(db, async (c) => {
      const after = await schemaLines(c);
      const ours = (lines: string[]) => lines.filter((l) => l.includes(' mw_call_attempts.') || l === 'table mw_call_attempts');
      expect(ours(after)).toEqual(ours(before));
      expect(ours(after)).toHaveLength(9);
      expect((await c.query(`SELECT debt_case_id, job_id FROM mw_call_attempts`)).rows).toEqual([{ debt_case_id: caseId, job_id: 'x' }]);
      expect((await c.query(`SELECT email FROM debtors`)).rows).toEqual([{ email: 'd@example.com' }]);
      expect((await c.query(`SELECT amount_due_cents FROM debt_cases`)).rows).toEqual([{ amount_due_cents: '500' }]);
      expect((await c.query(`SELECT outcome::text AS outcome, created_at FROM interaction_logs`)).rows).toEqual([{ outcome: 'NO_ANSWER', created_at: expect.any(Date) }]);
    });
  });

  it('drops its reference database', async () => {
    expect(await referenceDatabases()).toEqual([]);
  });

  it('changes nothing but one more duplicate UNIQUE constraint per unique column at the next start', async () => {
    const again = await simulateApiAlter(db, 'models');
    expect(again.addedConstraints).toEqual([
      'debt_cases.debt_cases_case_public_id_key2',
      'discovery_sessions.discovery_sessions_client_session_id_key2',
      'payment_channel_types.payment_channel_types_code_key2',
      'payment_links.payment_links_short_token_key2',
      'payment_links.payment_links_token_key2',
      'softwares.softwares_key_key2',
      'tenant_invitations.tenant_invitations_token_key2',
      'users.users_cognito_sub_key2',
    ]);
    const { addedConstraints, ...rest } = again;
    expect(addedConstraints).toHaveLength(8);
    for (const [field, list] of Object.entries(rest)) expect([field, list]).toEqual([field, []]);
  });
});

describe('simulateApiAlter failures', () => {
  it('names the API tables a database lacks, and changes nothing', async () => {
    const db = await newDatabase('models', 'DROP TABLE tenant_subscriptions; DROP TABLE discovery_sessions; ALTER TABLE sync_runs ADD COLUMN job_id varchar;');
    await expect(simulateApiAlter(db, 'models')).rejects.toThrow('simulateApiAlter: database lacks the API tables discovery_sessions, tenant_subscriptions');
    await withClient(db, async (c) => expect(await columnOf(c, 'sync_runs', 'job_id')).toEqual({ type: 'character varying', not_null: false, default: null }));
    expect(await referenceDatabases()).toEqual([]);
  });

  it('rolls every change back when one statement fails (a value too long for the type the API declares)', async () => {
    const db = await newDatabase(
      'models',
      `ALTER TABLE sync_runs ADD COLUMN job_id varchar;
       ALTER TABLE softwares ALTER COLUMN name TYPE varchar(400);
       INSERT INTO softwares (id, key, name, category, auth_type) VALUES (gen_random_uuid(), 'k', repeat('n', 300), 'c', 'apiKey');`,
    );
    const before = await withClient(db, schemaLines);
    await expect(simulateApiAlter(db, 'models')).rejects.toThrow('value too long for type character varying(120)');
    expect(await withClient(db, schemaLines)).toEqual(before);
    expect(await referenceDatabases()).toEqual([]);
  });

  it('rejects an unknown variant before touching anything', async () => {
    await expect(simulateApiAlter('postgres', 'prod' as ApiSchemaVariant)).rejects.toThrow("apiSchemaSql: unknown variant 'prod'");
  });
});

describe('simulateApiAlter (migrations variant)', () => {
  it('keeps the defaults the SQL migrations declare and drops what they do not', async () => {
    const db = await newDatabase(
      'migrations',
      `ALTER TABLE sync_runs ADD COLUMN job_id varchar;
       ALTER TABLE debt_cases ALTER COLUMN next_action_at SET DEFAULT now();
       CREATE TABLE mw_notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body text DEFAULT '');`,
    );
    const report = await simulateApiAlter(db, 'migrations');
    expect(report.droppedColumns).toEqual(['sync_runs.job_id']);
    expect(report.droppedDefaults).toEqual(['debt_cases.next_action_at']);
    expect(report.changedDefaults).toEqual([]);
    expect(report.createdIndexes).toEqual([]);
    await withClient(db, async (c) => {
      expect(await columnOf(c, 'interaction_logs', 'created_at')).toEqual({ type: 'timestamp with time zone', not_null: false, default: 'CURRENT_TIMESTAMP' });
      expect(await columnOf(c, 'mw_notes', 'body')).toEqual({ type: 'text', not_null: false, default: "''::text" });
    });
  });
});
