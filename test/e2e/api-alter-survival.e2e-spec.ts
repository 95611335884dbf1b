/**
 * The Mordecai API rebuilds its tables at every restart (Sequelize `sync({ alter: true })`): it drops
 * the columns, indexes and defaults its models do not declare. This runs that effect on a database
 * the workers have been using (synced data, soft deletes, do-not-call flags, a recorded call), then
 * restarts the worker: nothing the workers need is lost, their indexes come back, every job works.
 */
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { encryptCredentials } from '../../src/common/credentials-crypto';
import { schemaDrift } from '../../src/database/schema/schema-guard';
import { API_TABLE_INDEXES } from '../../src/database/schema/api-indexes';
import { apiSchemaVariantFromEnv } from '../../src/database/scratch-database';
import { simulateApiAlter } from '../utils/api-alter';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_ENCRYPTION_KEY } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { AGING_POLICIES, insertConnection, insertTenant } from '../utils/seed';

jest.setTimeout(180000);

let db: TestDatabase;
let pool: Pool;
let prefix: string;
let sync: Queue;
let worker: AppProcess | null = null;
let tenantId: string;
let connectionId: string;
let seq = 0;

/** The schema guard's queries take an executor that returns rows (a DataSource does; a pg Pool returns a result). */
const rowsOf = { query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows };
const count = async (sql: string, params: unknown[] = []) => Number((await pool.query(sql, params)).rows[0].n);

async function run(name: string, data: Record<string, unknown>) {
  const job = await sync.add(name, data, { jobId: `alter-${name}-${++seq}`, attempts: 1 });
  const done = await waitForJobEnd(sync, job.id!, 120000);
  const state = await done.getState();
  if (state !== 'completed') throw new Error(`${name} ${state}: ${done.failedReason}`);
  return done.returnvalue;
}

async function setLeases(n: number) {
  await pool.query('UPDATE pms_connections SET credentials = $2 WHERE id = $1', [connectionId, encryptCredentials({ seed: 5, leases: n }, TEST_ENCRYPTION_KEY)]);
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
  prefix = testPrefix();
  sync = testQueue('pms-sync', prefix);
  tenantId = await insertTenant(pool, 'Alter PM', AGING_POLICIES);
  connectionId = await insertConnection(pool, { tenantId, credentials: { seed: 5, leases: 60 } });
  worker = startWorker(baseEnv(db.name, prefix));
  await worker.waitForMsg('worker ready', 30000);
});

afterAll(async () => {
  await worker?.stop();
  await sync?.close();
  await cleanPrefix(prefix);
  await db?.drop();
});

// A database made by the API's SQL migrations runs the API with DB_SYNC_MODE=false (its alter cannot
// start there), so only the models' schema is ever rewritten at a restart.
const onAlteredSchema = apiSchemaVariantFromEnv() === 'models' ? it : it.skip;

onAlteredSchema('the API restart drops nothing the workers need; the restarted worker rebuilds its indexes and every job still works', async () => {
  // State of every kind the workers keep: synced rows, soft deletes (a full pull that no longer
  // returns 10 leases), do-not-call flags, cases.
  await run('sync', { connectionId, tenantId, trigger: 'manual' });
  await setLeases(50);
  await run('sync', { connectionId, tenantId, trigger: 'manual' });
  await run('build-cases', { connectionId, tenantId });
  const softDeleted = await count(`SELECT count(*)::int AS n FROM worker_soft_deletes WHERE pms_connection_id = $1`, [connectionId]);
  expect(softDeleted).toBeGreaterThanOrEqual(10);
  const debtorId = (await pool.query(`SELECT debtor_id FROM debt_cases WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [tenantId])).rows[0].debtor_id;
  await pool.query(
    `INSERT INTO worker_debtor_flags (debtor_id, tenant_id, do_not_call, source) VALUES ($1, $2, true, '{"from":"test"}')`,
    [debtorId, tenantId],
  );
  const before = {
    flags: await count(`SELECT count(*)::int AS n FROM worker_debtor_flags WHERE do_not_call`),
    deletes: softDeleted,
    runs: await count(`SELECT count(*)::int AS n FROM worker_sync_runs WHERE pms_connection_id = $1`, [connectionId]),
    cases: await count(`SELECT count(*)::int AS n FROM debt_cases WHERE tenant_id = $1`, [tenantId]),
    leases: await count(`SELECT count(*)::int AS n FROM pms_leases WHERE pms_connection_id = $1`, [connectionId]),
  };
  expect(before.runs).toBe(2);
  expect(before.cases).toBeGreaterThan(0);

  // The API restarts: its alter runs on the live database.
  await worker!.stop();
  worker = null;
  const altered = await simulateApiAlter(db.name, 'models');
  expect(altered).toBeDefined();
  let drift = await schemaDrift(rowsOf);
  expect(drift.missingApiTables).toEqual([]);
  expect(drift.missingWorkerTables).toEqual([]);
  // The alter itself keeps indexes on the columns it keeps; a harsher rebuild of the API's tables
  // (a restore, a `force` sync) loses them all: drop every index of ours on the API's tables.
  for (const spec of API_TABLE_INDEXES) await pool.query(`DROP INDEX IF EXISTS "${spec.name}"`);
  drift = await schemaDrift(rowsOf);
  expect(drift.missingIndexes).toEqual(expect.arrayContaining(['uq_sync_runs_one_active', 'ix_debt_cases_sched_due', 'uq_pms_units_connection_external']));

  // Nothing of ours was on the API's tables: every flag, soft delete and run record is still there.
  expect(await count(`SELECT count(*)::int AS n FROM worker_debtor_flags WHERE do_not_call`)).toBe(before.flags);
  expect(await count(`SELECT count(*)::int AS n FROM worker_soft_deletes WHERE pms_connection_id = $1`, [connectionId])).toBe(before.deletes);
  expect(await count(`SELECT count(*)::int AS n FROM worker_sync_runs WHERE pms_connection_id = $1`, [connectionId])).toBe(before.runs);

  // The worker starts again: its schema guard rebuilds the indexes in the background.
  worker = startWorker(baseEnv(db.name, prefix));
  await worker.waitForMsg('worker ready', 30000);
  const deadline = Date.now() + 60000;
  let left = (await schemaDrift(rowsOf)).missingIndexes;
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = (await schemaDrift(rowsOf)).missingIndexes;
  }
  expect(left).toEqual([]);
  const names = (await pool.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`)).rows.map((r) => r.indexname as string);
  for (const spec of API_TABLE_INDEXES) {
    const equivalentOfTheApi = spec.unique && !spec.where && !names.includes(spec.name);
    if (!equivalentOfTheApi) expect(names).toContain(spec.name);
  }

  // Every job still works after the alter: a sync with a change, a rerun, the case jobs.
  await setLeases(55);
  const s = await run('sync', { connectionId, tenantId, trigger: 'manual' });
  expect(s).toBeDefined();
  expect(await count(`SELECT count(*)::int AS n FROM pms_leases WHERE pms_connection_id = $1`, [connectionId])).toBe(before.leases);
  // The 5 leases back in the PMS are restored; 5 of the first 10 stay soft-deleted.
  expect(await count(`SELECT count(*)::int AS n FROM worker_soft_deletes WHERE pms_connection_id = $1 AND entity = 'leases'`, [connectionId])).toBe(5);
  await run('refresh-cases', { connectionId, tenantId });
  await run('build-cases', { connectionId, tenantId });
  await run('sync-full-flow', { connectionId, tenantId });
  expect(await count(`SELECT count(*)::int AS n FROM worker_debtor_flags WHERE do_not_call`)).toBe(before.flags);
});
