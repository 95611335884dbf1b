import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { insertConnection, insertTenant } from '../utils/seed';

/**
 * The worker killed with SIGKILL in the middle of a sync, then restarted: BullMQ recovers the
 * stalled job, the runner resumes the run it owns from its checkpoint, and the end state equals the
 * one of an uninterrupted run of the same account (on a second connection), with one completed
 * sync_run and the connection not stuck.
 */

jest.setTimeout(150000);

let db: TestDatabase;
let pool: Pool;
let prefix: string;
let queue: Queue;
let worker: AppProcess | undefined;
const CREDS = { seed: 5, leases: 600, pageSize: 100, pageDelayMs: 60 };
const env = () => baseEnv(db.name, prefix, { WORKER_LOCK_DURATION_MS: '5000', WORKER_STALLED_INTERVAL_MS: '5000', SYNC_RUN_STALE_SECONDS: '600', SYNC_BUSY_RETRY_SECONDS: '1' });

async function connection(creds: Record<string, unknown> = CREDS): Promise<{ tenantId: string; connectionId: string }> {
  const tenantId = await insertTenant(pool, 'crash', [['all', 1, null]]);
  return { tenantId, connectionId: await insertConnection(pool, { tenantId, credentials: creds }) };
}

/** The connection's data, without ids or timestamps: equal for two connections synced from the same account. */
async function state(connectionId: string, tenantId: string): Promise<Record<string, string>> {
  const q = async (sql: string) => (await pool.query(sql, [connectionId])).rows[0].h as string;
  return {
    debtors: await q(`SELECT md5(string_agg(concat_ws('|', external_id, display_name, phone, timezone, NOT EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = id)), ',' ORDER BY external_id)) AS h FROM pms_debtors WHERE pms_connection_id = $1`),
    contacts: await q(
      `SELECT md5(string_agg(concat_ws('|', k.external_id, d.external_id, k.contact_type, k.value, k.label, k.is_primary), ',' ORDER BY k.external_id)) AS h
       FROM pms_debtor_contacts k JOIN pms_debtors d ON d.id = k.pms_debtor_id WHERE d.pms_connection_id = $1`,
    ),
    leases: await q(`SELECT md5(string_agg(concat_ws('|', external_id, lease_number, status, risk_tier, NOT EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = id)), ',' ORDER BY external_id)) AS h FROM pms_leases WHERE pms_connection_id = $1`),
    charges: await q(`SELECT md5(string_agg(concat_ws('|', c.external_id, l.external_id, c.amount_cents, c.open_amount_cents, c.due_date), ',' ORDER BY c.external_id)) AS h FROM ar_charges c JOIN pms_leases l ON l.id = c.pms_lease_id WHERE c.pms_connection_id = $1`),
    payments: await q(`SELECT md5(string_agg(concat_ws('|', external_id, amount_cents, paid_at, applied_to_charges::text), ',' ORDER BY external_id)) AS h FROM ar_payments WHERE pms_connection_id = $1`),
    aging: await q(`SELECT md5(string_agg(concat_ws('|', as_of_date, total_cents, bucket_0_30_cents, bucket_31_60_cents, bucket_61_90_cents, bucket_90_plus_cents), ',')) AS h FROM ar_aging_snapshots WHERE pms_connection_id = $1`),
    leaseAging: await q(`SELECT md5(string_agg(concat_ws('|', l.external_id, s.balance_cents, s.days_past_due, s.bucket_label), ',' ORDER BY l.external_id)) AS h FROM ar_lease_aging_snapshots s JOIN pms_leases l ON l.id = s.pms_lease_id WHERE s.pms_connection_id = $1`),
    cases: (
      await pool.query(
        `SELECT md5(string_agg(concat_ws('|', l.external_id, c.amount_due_cents, c.days_past_due, c.due_date, c.status), ',' ORDER BY l.external_id)) AS h
         FROM debt_cases c JOIN pms_leases l ON l.id = c.pms_lease_id WHERE c.tenant_id = $1`,
        [tenantId],
      )
    ).rows[0].h,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
  prefix = testPrefix();
  queue = testQueue('pms-sync', prefix);
});

afterAll(async () => {
  await worker?.stop();
  await queue?.close();
  await cleanPrefix(prefix);
  await db?.drop();
});

it('SIGKILL mid-sync, restart: same end state as an uninterrupted run, one completed sync_run, connection not stuck', async () => {
  const crashed = await connection();
  const clean = await connection();

  worker = startWorker(env());
  await worker.waitForMsg('worker ready', 30000);
  const job = await queue.add('sync', { ...crashed, trigger: 'manual' }, { jobId: 'crash-sync-1', attempts: 2, backoff: { type: 'exponential', delay: 500 } });

  // kill it once the charges are being written
  const deadline = Date.now() + 60000;
  for (;;) {
    const r = (await pool.query(`SELECT step, stats FROM sync_runs WHERE pms_connection_id = $1`, [crashed.connectionId])).rows[0];
    if (r && r.stats?.tables?.charges?.received >= 1000) break;
    if (Date.now() > deadline) throw new Error('the sync never reached the charges');
    await new Promise((res) => setTimeout(res, 50));
  }
  worker.kill('SIGKILL');
  await worker.exited;
  const mid = (await pool.query(`SELECT status, checkpoint FROM sync_runs r LEFT JOIN worker_sync_runs w ON w.sync_run_id = r.id WHERE r.pms_connection_id = $1`, [crashed.connectionId])).rows[0];
  expect(mid.status).toBe('running');
  expect(mid.checkpoint.resume.charges.nextPage).toBeGreaterThan(0);
  expect((await pool.query(`SELECT status FROM pms_connections WHERE id = $1`, [crashed.connectionId])).rows[0].status).toBe('syncing');

  // restart: the stalled job is recovered and resumes its run
  worker = startWorker(env());
  await worker.waitForMsg('worker ready', 30000);
  const done = await waitForJobEnd(queue, job.id!, 90000);
  expect(await done.getState()).toBe('completed');
  expect((done.returnvalue as any).resumed).toBe(true);

  const cleanJob = await queue.add('sync', { ...clean, trigger: 'manual' }, { jobId: 'clean-sync-1', attempts: 1 });
  const cleanDone = await waitForJobEnd(queue, cleanJob.id!, 90000);
  expect(await cleanDone.getState()).toBe('completed');

  expect(await state(crashed.connectionId, crashed.tenantId)).toEqual(await state(clean.connectionId, clean.tenantId));
  const runs = (await pool.query(`SELECT status FROM sync_runs WHERE pms_connection_id = $1`, [crashed.connectionId])).rows;
  expect(runs).toEqual([{ status: 'completed' }]);
  const conn = (await pool.query(`SELECT status, sync_state FROM pms_connections WHERE id = $1`, [crashed.connectionId])).rows[0];
  expect(conn.status).toBe('connected');
  expect(conn.sync_state.lastRunStatus).toBe('SUCCESS');
  // the resumed run counted every record once: same counts as the uninterrupted run
  const statsOf = async (c: string) => (await pool.query(`SELECT stats FROM sync_runs WHERE pms_connection_id = $1`, [c])).rows[0].stats.tables;
  expect(await statsOf(crashed.connectionId)).toEqual(await statsOf(clean.connectionId));
});

it('SIGTERM mid-sync: the worker stops at a page boundary without waiting for the sync, the job is put back (no attempt used) and the next worker resumes it to the uninterrupted state', async () => {
  // ~90 pages at 300 ms each: a drain that waited for the whole sync would take half a minute
  const slow = { ...CREDS, pageDelayMs: 300 };
  const stopped = await connection(slow);
  const clean = await connection({ ...CREDS, pageDelayMs: 0 });

  await worker?.stop(); // the worker of the previous test: this one must take the job
  worker = startWorker(env());
  await worker.waitForMsg('worker ready', 30000);
  const job = await queue.add('sync', { ...stopped, trigger: 'manual' }, { jobId: 'term-sync-1', attempts: 1 });
  const deadline = Date.now() + 60000;
  for (;;) {
    const r = (await pool.query(`SELECT stats FROM sync_runs WHERE pms_connection_id = $1`, [stopped.connectionId])).rows[0];
    if (r && r.stats?.tables?.charges?.received >= 1000) break;
    if (Date.now() > deadline) throw new Error('the sync never reached the charges');
    await new Promise((res) => setTimeout(res, 50));
  }
  const t0 = Date.now();
  worker.kill('SIGTERM');
  const exit = await worker.exited;
  const stopMs = Date.now() - t0;
  expect(exit.code).toBe(0);
  expect(stopMs).toBeLessThan(5000);
  expect(worker.raw.join('\n')).toContain('sync run interrupted at a page boundary');

  const mid = (await pool.query(`SELECT status, step, checkpoint, stats FROM sync_runs r LEFT JOIN worker_sync_runs w ON w.sync_run_id = r.id WHERE r.pms_connection_id = $1`, [stopped.connectionId])).rows[0];
  expect(mid.status).toBe('pending');
  expect(mid.step).toBe('interrupted');
  expect(mid.checkpoint.pullComplete).toBeUndefined();
  expect(mid.checkpoint.resume.charges.nextPage).toBeGreaterThan(0);
  expect(mid.stats.tables.payments).toBeUndefined(); // it really stopped mid-way
  expect((await pool.query(`SELECT status FROM pms_connections WHERE id = $1`, [stopped.connectionId])).rows[0].status).toBe('syncing');
  // nothing was soft-deleted by the interrupted pull
  expect((await pool.query(`SELECT count(*)::int AS n FROM pms_debtors WHERE pms_connection_id = $1 AND EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = id)`, [stopped.connectionId])).rows[0].n).toBe(0);
  const back = (await queue.getJob(job.id!))!;
  expect(['delayed', 'waiting']).toContain(await back.getState());
  expect(back.attemptsMade).toBe(0);

  worker = startWorker(env());
  await worker.waitForMsg('worker ready', 30000);
  const done = await waitForJobEnd(queue, job.id!, 90000);
  expect(await done.getState()).toBe('completed');
  expect((done.returnvalue as any).resumed).toBe(true);

  const cleanJob = await queue.add('sync', { ...clean, trigger: 'manual' }, { jobId: 'term-clean-1', attempts: 1 });
  const cleanDone = await waitForJobEnd(queue, cleanJob.id!, 90000);
  expect(await cleanDone.getState()).toBe('completed');

  expect(await state(stopped.connectionId, stopped.tenantId)).toEqual(await state(clean.connectionId, clean.tenantId));
  const runs = (await pool.query(`SELECT status FROM sync_runs WHERE pms_connection_id = $1`, [stopped.connectionId])).rows;
  expect(runs).toEqual([{ status: 'completed' }]);
  expect((await pool.query(`SELECT status FROM pms_connections WHERE id = $1`, [stopped.connectionId])).rows[0].status).toBe('connected');
  const statsOf = async (c: string) => (await pool.query(`SELECT stats FROM sync_runs WHERE pms_connection_id = $1`, [c])).rows[0].stats;
  const [a, b] = [await statsOf(stopped.connectionId), await statsOf(clean.connectionId)];
  expect(a.tables).toEqual(b.tables);
  expect(a.contacts).toEqual(b.contacts);
});

it('a running run whose worker died (stale heartbeat) is taken over by a new sync', async () => {
  const c = await connection();
  await pool.query(
    `WITH r AS (INSERT INTO sync_runs (id, created_at, updated_at, pms_connection_id, status, trigger, started_at, triggered_at) VALUES (gen_random_uuid(), now(), now(), $1, 'running', 'manual', now() - interval '2 hours', now() - interval '2 hours') RETURNING id, pms_connection_id) INSERT INTO worker_sync_runs (sync_run_id, pms_connection_id, heartbeat_at, job_id) SELECT id, pms_connection_id, now() - interval '2 hours', 'dead-job' FROM r RETURNING sync_run_id AS id`,
    [c.connectionId],
  );
  const job = await queue.add('sync', { ...c, trigger: 'scheduled' }, { jobId: 'takeover-1', attempts: 1 });
  const done = await waitForJobEnd(queue, job.id!, 90000);
  expect(await done.getState()).toBe('completed');
  const runs = (await pool.query(`SELECT status, job_id, error_message FROM sync_runs r LEFT JOIN worker_sync_runs w ON w.sync_run_id = r.id WHERE r.pms_connection_id = $1 ORDER BY triggered_at`, [c.connectionId])).rows;
  expect(runs).toEqual([
    { status: 'failed', job_id: 'dead-job', error_message: expect.stringMatching(/^abandoned: its worker stopped/) },
    { status: 'completed', job_id: 'takeover-1', error_message: null },
  ]);
});

it('a sync of a connection whose run is alive (fresh heartbeat) waits without using an attempt, then runs; past the max wait it fails', async () => {
  const c = await connection();
  const live = (
    await pool.query(`WITH r AS (INSERT INTO sync_runs (id, created_at, updated_at, pms_connection_id, status, trigger, started_at, triggered_at) VALUES (gen_random_uuid(), now(), now(), $1, 'running', 'manual', now(), now()) RETURNING id, pms_connection_id) INSERT INTO worker_sync_runs (sync_run_id, pms_connection_id, heartbeat_at, job_id) SELECT id, pms_connection_id, now(), 'live-job' FROM r RETURNING sync_run_id AS id`, [
      c.connectionId,
    ])
  ).rows[0].id;
  const job = await queue.add('sync', { ...c, trigger: 'manual' }, { jobId: 'busy-1', attempts: 1 });
  const waiting = async () => worker!.lines.filter((l) => l.jobId === 'busy-1' && l.msg === 'job delayed: it waits without using an attempt' && l.retryInSeconds === 1 && l.reason === `another sync of connection ${c.connectionId} is running (run ${live}): this job waits (no attempt used)`).length;
  // it looked at least twice (SYNC_BUSY_RETRY_SECONDS=1), each time back to delayed, no attempt used, no second run
  const t0 = Date.now();
  while ((await waiting()) < 2 && Date.now() - t0 < 30000) await new Promise((r) => setTimeout(r, 200));
  expect(await waiting()).toBeGreaterThanOrEqual(2);
  const held = (await queue.getJob(job.id!))!;
  expect(['delayed', 'waiting', 'active']).toContain(await held.getState());
  expect(held.attemptsMade).toBe(0);
  expect(worker!.lines.some((l) => l.jobId === 'busy-1' && l.msg === 'job failed')).toBe(false);
  expect((await pool.query(`SELECT count(*)::int AS n FROM sync_runs WHERE pms_connection_id = $1`, [c.connectionId])).rows[0].n).toBe(1);

  // the running sync ends: the waiting job runs its own sync
  await pool.query(`UPDATE sync_runs SET status = 'completed', finished_at = now() WHERE id = $1`, [live]);
  const done = await waitForJobEnd(queue, job.id!, 90000);
  expect(await done.getState()).toBe('completed');
  expect(done.attemptsMade).toBe(1);
  const runs = (await pool.query(`SELECT status, job_id FROM sync_runs r LEFT JOIN worker_sync_runs w ON w.sync_run_id = r.id WHERE r.pms_connection_id = $1 ORDER BY triggered_at`, [c.connectionId])).rows;
  expect(runs).toEqual([
    { status: 'completed', job_id: 'live-job' },
    { status: 'completed', job_id: 'busy-1' },
  ]);

  // a job enqueued longer ago than SYNC_BUSY_MAX_WAIT_MINUTES (360) fails at once with the busy message
  const live2 = (
    await pool.query(`WITH r AS (INSERT INTO sync_runs (id, created_at, updated_at, pms_connection_id, status, trigger, started_at, triggered_at) VALUES (gen_random_uuid(), now(), now(), $1, 'running', 'manual', now(), now()) RETURNING id, pms_connection_id) INSERT INTO worker_sync_runs (sync_run_id, pms_connection_id, heartbeat_at, job_id) SELECT id, pms_connection_id, now(), 'live-job-2' FROM r RETURNING sync_run_id AS id`, [
      c.connectionId,
    ])
  ).rows[0].id;
  const old = await queue.add('sync', { ...c, trigger: 'manual' }, { jobId: 'busy-old', attempts: 1, timestamp: Date.now() - 361 * 60_000 });
  const failed = await waitForJobEnd(queue, old.id!, 30000);
  expect(await failed.getState()).toBe('failed');
  expect(failed.failedReason).toBe(`another sync of connection ${c.connectionId} is running (run ${live2}); gave up waiting (SYNC_BUSY_MAX_WAIT_MINUTES=360 since the job was enqueued)`);
  expect((await pool.query(`SELECT count(*)::int AS n FROM sync_runs WHERE pms_connection_id = $1`, [c.connectionId])).rows[0].n).toBe(3);
  await pool.query(`UPDATE sync_runs SET status = 'completed', finished_at = now() WHERE id = $1`, [live2]);
});
