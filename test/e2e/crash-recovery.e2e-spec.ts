/**
 * A worker killed with SIGKILL in the middle of a sync, and a new worker started with the default
 * lock and stalled-check settings: the job is running again (on the new worker) within 2 minutes of
 * the new worker being ready, and it then completes, resuming its run.
 */
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { insertConnection, insertTenant } from '../utils/seed';

jest.setTimeout(240000);

let db: TestDatabase;
let pool: Pool;
let prefix: string;
let queue: Queue;
let worker: AppProcess | undefined;

// Only what the test needs: the lock and stalled settings stay at their defaults.
const env = () => baseEnv(db.name, prefix, { SYNC_RUN_STALE_SECONDS: '600' });

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

it('SIGKILL mid-sync: the job is active again on a new worker within 2 minutes of its start, and completes', async () => {
  const tenantId = await insertTenant(pool, 'recovery', [['all', 1, null]]);
  const connectionId = await insertConnection(pool, { tenantId, credentials: { seed: 5, leases: 600, pageSize: 100, pageDelayMs: 150 } });

  worker = startWorker(env());
  await worker.waitForMsg('worker ready', 30000);
  const job = await queue.add('sync', { tenantId, connectionId, trigger: 'manual' }, { jobId: 'recovery-sync-1', attempts: 2 });
  const deadline = Date.now() + 60000;
  for (;;) {
    const r = (await pool.query(`SELECT stats FROM sync_runs WHERE pms_connection_id = $1`, [connectionId])).rows[0];
    if (r?.stats?.tables?.leases?.received >= 200) break;
    if (Date.now() > deadline) throw new Error('the sync never got going');
    await new Promise((res) => setTimeout(res, 50));
  }
  worker.kill('SIGKILL');
  await worker.exited;
  expect(await queue.getJobState(job.id!)).toBe('active'); // still locked by the dead worker

  worker = startWorker(env());
  await worker.waitForMsg('worker ready', 30000);
  const readyAt = Date.now();
  const started = await worker.waitFor((l) => l.msg === 'job started' && l.jobId === job.id, 150000, 'the recovered job to start');
  const delayMs = Date.now() - readyAt;
  console.log(`crash recovery: job running again ${delayMs} ms after the new worker was ready`);
  expect(started.attempt).toBe(1); // a stall does not use an attempt
  expect(delayMs).toBeLessThan(120000);
  await worker.waitForMsg('start-up stalled checks done: 1 job(s) of a dead worker put back', 10000);

  const done = await waitForJobEnd(queue, job.id!, 90000);
  expect(await done.getState()).toBe('completed');
  expect((done.returnvalue as { resumed?: boolean }).resumed).toBe(true);
  expect((await pool.query(`SELECT status FROM sync_runs WHERE pms_connection_id = $1`, [connectionId])).rows).toEqual([{ status: 'completed' }]);
});
