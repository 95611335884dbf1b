import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { encryptCredentials } from '../../src/common/credentials-crypto';
import { apiSyncLockKey } from '../../src/pms-sync/api-sync-lock';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_ENCRYPTION_KEY, TEST_REDIS_URL } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { AGING_POLICIES, insertConnection, insertTenant } from '../utils/seed';

/**
 * What the Mordecai API reads back from the pms-sync jobs, through the real queue and worker: its
 * lock released when a job ends for good (and only then), its risk-tier words, its case meta keys,
 * a case for every lease with a balance, sync_state after build and refresh, and its return shapes.
 */

jest.setTimeout(120000);

/** 60 leases of seed 5: every risk tier is present, and some leases owe with nothing past due yet. */
const CREDS = { seed: 5, leases: 60, pageSize: 50 };

let db: TestDatabase;
let pool: Pool;
let prefix: string;
let queue: Queue;
let worker: AppProcess;
let redis: IORedis;
let tenantId: string;
let connectionId: string;
let seq = 0;

const q = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;

async function setCredentials(creds: unknown) {
  await pool.query('UPDATE pms_connections SET credentials = $2 WHERE id = $1', [connectionId, encryptCredentials(creds, TEST_ENCRYPTION_KEY)]);
}

/** What the API does before it enqueues: the lock, and IN_PROGRESS in sync_state. */
async function apiEnqueues(tenant = tenantId, connection = connectionId) {
  expect(await redis.set(apiSyncLockKey(tenant, connection), '1', 'EX', 600, 'NX')).toBe('OK');
  await pool.query(`UPDATE pms_connections SET sync_state = coalesce(sync_state, '{}'::jsonb) || '{"lastRunStatus":"IN_PROGRESS","lastErrorMessage":null}'::jsonb WHERE id = $1`, [
    connection,
  ]);
}

async function add(name: string, data: Record<string, unknown>, opts: Record<string, unknown> = {}) {
  return queue.add(name, data, { jobId: `contract-${name}-${++seq}`, attempts: 1, ...opts });
}

async function run(name: string, data: Record<string, unknown> = { connectionId, tenantId }, opts: Record<string, unknown> = {}) {
  const job = await add(name, data, opts);
  const done = await waitForJobEnd(queue, job.id!, 90000);
  return { job: done, state: await done.getState(), rv: done.returnvalue as any };
}

/** The worker's log line about the API lock for a job (written once the job has ended, or is retried). */
function lockLine(jobId: string, lock?: string) {
  return worker.waitFor((l) => l.jobId === jobId && typeof l.lock === 'string' && (!lock || l.lock === lock), 30000, `lock line of job ${jobId}`);
}

const lockExists = async (tenant = tenantId, connection = connectionId) => (await redis.exists(apiSyncLockKey(tenant, connection))) === 1;

const syncState = async () => (await q(`SELECT sync_state FROM pms_connections WHERE id = $1`, [connectionId]))[0].sync_state;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
  prefix = testPrefix();
  queue = testQueue('pms-sync', prefix);
  redis = new IORedis(TEST_REDIS_URL);
  tenantId = await insertTenant(pool, 'Contract E2E', AGING_POLICIES);
  connectionId = await insertConnection(pool, { tenantId, credentials: CREDS });
  // 3 s between looks: long enough that a loaded machine still sees the waiting job in the delayed set
  worker = startWorker(baseEnv(db.name, prefix, { SYNC_BUSY_RETRY_SECONDS: '3' }));
  await worker.waitForMsg('worker ready', 30000);
});

afterAll(async () => {
  await worker?.stop();
  await queue?.close();
  if (redis) {
    for (const k of await redis.keys(`pms-sync:lock:${tenantId}:*`)) await redis.del(k);
    await redis.quit();
  }
  if (prefix) await cleanPrefix(prefix);
  await db?.drop();
});

describe('the API lock is kept while the job may still run', () => {
  it('a job failing with attempts left keeps it; its final failure releases it', async () => {
    await setCredentials({ ...CREDS, failAt: { stream: 'debtors', page: 0, status: 503 } });
    try {
      await apiEnqueues();
      const job = await add('sync', { connectionId, tenantId, trigger: 'manual', steps: null }, { attempts: 2, backoff: { type: 'fixed', delay: 3000 } });
      const kept = await lockLine(job.id!, 'kept');
      expect(kept.reason).toBe('will retry');
      expect(await lockExists()).toBe(true);
      expect(await (await queue.getJob(job.id!))!.getState()).toBe('delayed');
      const done = await waitForJobEnd(queue, job.id!, 60000);
      expect(await done.getState()).toBe('failed');
      expect(done.attemptsMade).toBe(2);
      expect((await lockLine(job.id!, 'released')).end).toBe('failed');
      expect(await lockExists()).toBe(false);
    } finally {
      await setCredentials(CREDS);
    }
  });

  it('an unrecoverable failure releases the lock of the payload ids at once', async () => {
    const other = await insertTenant(pool, 'Contract E2E other');
    await apiEnqueues(other, connectionId);
    const job = await add('build-new-cases', { connectionId, tenantId: other }, { attempts: 3 });
    const done = await waitForJobEnd(queue, job.id!, 30000);
    expect(await done.getState()).toBe('failed');
    expect(done.attemptsMade).toBe(1);
    expect(done.failedReason).toContain(`does not belong to tenant ${other}`);
    expect((await lockLine(job.id!, 'released')).end).toBe('failed');
    expect(await lockExists(other, connectionId)).toBe(false);
    // the owner's connection state is not touched by a job for another tenant
    expect((await syncState()).lastRunStatus).toBe('IN_PROGRESS');
  });

  it('a job waiting for its busy connection keeps it', async () => {
    await setCredentials({ ...CREDS, pageSize: 5, pageDelayMs: 40 });
    try {
      const slow = await add('sync', { connectionId, tenantId, trigger: 'manual', steps: null });
      await worker.waitFor((l) => l.jobId === slow.id && l.msg === 'sync run claimed', 30000, 'the slow sync claimed its run');
      await apiEnqueues();
      const waiting = await add('sync', { connectionId, tenantId, trigger: 'manual', steps: null }, { attempts: 2 });
      await worker.waitFor((l) => l.jobId === waiting.id && l.msg === 'job delayed: it waits without using an attempt' && String(l.reason).includes('this job waits'), 30000, 'the second sync waiting');
      expect(await (await queue.getJob(waiting.id!))!.getState()).toBe('delayed');
      expect(await lockExists()).toBe(true);
      expect(worker.lines.some((l) => l.jobId === waiting.id && typeof l.lock === 'string')).toBe(false);
      // both end; the waiting one used no attempt while it waited
      expect(await (await waitForJobEnd(queue, slow.id!, 90000)).getState()).toBe('completed');
      const w = await waitForJobEnd(queue, waiting.id!, 90000);
      expect(await w.getState()).toBe('completed');
      expect(w.attemptsMade).toBe(1);
    } finally {
      await setCredentials(CREDS);
    }
  });

  it('a lock taken after the job was enqueued (a later request) is not released; the job own lock is', async () => {
    const enqueuedAt = Date.now() - 120_000;
    // a lock taken just now: newer than the job
    await redis.set(apiSyncLockKey(tenantId, connectionId), '1', 'EX', 600);
    const a = await run('build-new-cases', { connectionId, tenantId }, { timestamp: enqueuedAt });
    expect(a.state).toBe('completed');
    expect((await lockLine(a.job.id!)).lock).toBe('newer-lock');
    expect(await lockExists()).toBe(true);
    // a lock taken when that job was enqueued (its remaining time says so)
    await redis.set(apiSyncLockKey(tenantId, connectionId), '1', 'PX', 600_000 - 120_000);
    const b = await run('build-new-cases', { connectionId, tenantId }, { timestamp: enqueuedAt });
    expect((await lockLine(b.job.id!)).lock).toBe('released');
    expect(await lockExists()).toBe(false);
  });
});

