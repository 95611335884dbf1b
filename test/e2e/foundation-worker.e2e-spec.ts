import { randomUUID } from 'crypto';
import { Job, Queue } from 'bullmq';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_ENCRYPTION_KEY } from '../utils/env';
import { AppProcess, LogLine } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { insertConnection, insertTenant } from '../utils/seed';

/**
 * The worker foundation, end to end: the built worker (dist/main-worker.js) starts and logs its connections and
 * queues; takes a `sync` and a `CALL_CASE` enqueued exactly as the API does and hands each to its
 * processor; an invalid payload (SMS_CASE and EMAIL_CASE too) and an unknown name fail once without retry
 * while the next valid job still runs; job log lines carry queue/jobName/jobId/attempt and never a
 * secret or a full phone number; SIGTERM drains (a running sync stops at a page boundary and goes back
 * to the queue) and exits 0; a second SIGINT forces
 * the exit; a bad environment exits non-zero naming every bad variable.
 */

// Sentinels that must never appear in any output of the worker.
const SECRET_TOKEN = 'tok-sentinel-9f8e7d6c5b4a';
const SECRET_HMAC = 'hmac-sentinel-0a1b2c3d4e5f';
const PHONE = '+15555550123';

// The API's options (docs/queue-contract.md).
const API_SYNC_OPTS = { attempts: 2, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: 5000 };
const API_CASE_OPTS = { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 };

const jobLines = (w: AppProcess, jobId: string) => w.lines.filter((l) => l.jobId === jobId);

/** Resolves 'hung' after ms without keeping Jest alive. */
const hungAfter = (ms: number) =>
  new Promise<'hung'>((resolve) => {
    setTimeout(() => resolve('hung'), ms).unref();
  });

async function seedSandboxConnection(db: TestDatabase, credentials: Record<string, unknown>): Promise<{ tenantId: string; connectionId: string }> {
  const tenantId = await insertTenant(db.pool, 'Foundation Test PM');
  return { tenantId, connectionId: await insertConnection(db.pool, { tenantId, credentials }) };
}

describe('the built worker process', () => {
  let db: TestDatabase;
  let prefix: string;
  let worker: AppProcess;
  let pmsSync: Queue;
  let caseActions: Queue;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    pmsSync = testQueue('pms-sync', prefix);
    caseActions = testQueue('case-actions', prefix);
    worker = startWorker(
      baseEnv(db.name, prefix, {
        TWILIO_AUTH_TOKEN: SECRET_TOKEN,
        CALL_CONTEXT_HMAC_SECRET: SECRET_HMAC,
        WORKER_SHUTDOWN_TIMEOUT_MS: '60000',
      }),
    );
    await worker.waitForMsg('worker ready', 60000);
  });

  afterAll(async () => {
    await worker?.stop();
    await pmsSync?.close();
    await caseActions?.close();
    if (prefix) await cleanPrefix(prefix);
    await db?.drop();
  });

  it('logs that Postgres and Redis are connected and which queues it serves', () => {
    const dbLine = worker.lines.find((l) => l.msg === 'database connected');
    expect(dbLine).toMatchObject({ level: 'info', app: 'worker', db: expect.stringContaining(db.name) });
    expect(worker.lines.find((l) => l.msg === 'redis connected')).toMatchObject({ prefix });
    const ready = worker.lines.find((l) => String(l.msg).startsWith('worker ready'))!;
    expect(ready.msg).toBe('worker ready, serving queues: pms-sync, case-actions, collection-tick, automation-maintenance');
    expect((ready.queues as { name: string; drainDelay: number }[]).map((q) => [q.name, q.drainDelay])).toEqual([
      ['pms-sync', 300],
      ['case-actions', 300],
      // the engine queues get a job every 15 min or hourly: they poll 3x less often
      ['collection-tick', 900],
      ['automation-maintenance', 900],
    ]);
    expect(typeof ready.startupMs).toBe('number');
    // Every line is JSON (no plain-text Nest banner slipped through).
    expect(worker.lines.every((l) => typeof l.level === 'string')).toBe(true);
  });

  it('hands a `sync` enqueued exactly as the API does to the pms-sync processor', async () => {
    const payload = { connectionId: randomUUID(), tenantId: randomUUID(), trigger: 'manual', steps: null, idempotencyKey: `manual-${Date.now()}` };
    const job = await pmsSync.add('sync', payload, API_SYNC_OPTS);
    const done = await waitForJobEnd(pmsSync, job.id!, 60000);
    // The connection does not exist: whatever the sync engine does with that, our processor ran it.
    const started = jobLines(worker, job.id!).find((l) => l.msg === 'job started');
    expect(started).toMatchObject({ queue: 'pms-sync', jobName: 'sync', jobId: job.id, attempt: 1 });
    expect(['completed', 'failed']).toContain(await done.getState());
    if ((await done.getState()) === 'failed') {
      expect(done.failedReason).toMatch(new RegExp(payload.connectionId));
      expect(done.attemptsMade).toBe(1); // a missing connection is permanent: no retry
    }
  });

  it('hands a `CALL_CASE` enqueued exactly as the API does to the case-actions processor', async () => {
    const caseId = randomUUID();
    const jobId = `CALL_CASE-on-demand-${caseId}-${Date.now()}`;
    const job = await caseActions.add('CALL_CASE', { tenantId: randomUUID(), caseId }, { ...API_CASE_OPTS, jobId });
    expect(job.id).toBe(jobId);
    const done = await waitForJobEnd(caseActions, jobId, 60000);
    expect(jobLines(worker, jobId).find((l) => l.msg === 'job started')).toMatchObject({ queue: 'case-actions', jobName: 'CALL_CASE', jobId, attempt: 1 });
    expect(['completed', 'failed']).toContain(await done.getState());
  });

  describe('jobs it cannot take fail once, without retry, and the worker goes on', () => {
    const cases: [label: string, name: string, data: unknown, reason: RegExp][] = [
      ['an invalid payload', 'CALL_CASE', { tenantId: randomUUID(), caseId: 'case-42' }, /caseId: must be a UUID/],
      ['a missing field', 'SYNC_CALL_SUMMARY', { tenantId: randomUUID() }, /interactionId: at least one of interactionId or callSid/],
      ['an unknown job name', 'SEND_FAX', { tenantId: randomUUID(), caseId: randomUUID() }, /unknown job name/],
      ['SMS_CASE without a caseId', 'SMS_CASE', { tenantId: randomUUID() }, /caseId/],
      ['EMAIL_CASE with a bad stateId', 'EMAIL_CASE', { tenantId: randomUUID(), caseId: randomUUID(), stateId: 'x' }, /stateId: must be a UUID/],
      ['a name that carries a phone number', `CALL ${PHONE}`, {}, /unknown job name/],
    ];
    const ended: Record<string, Job> = {};

    beforeAll(async () => {
      const jobs = await Promise.all(cases.map(([, name, data]) => caseActions.add(name, data, API_CASE_OPTS)));
      // The next valid job, enqueued after all of them.
      const next = await pmsSync.add('refresh-cases', { connectionId: randomUUID(), tenantId: randomUUID() }, API_SYNC_OPTS);
      for (const [i, j] of jobs.entries()) ended[cases[i][0]] = await waitForJobEnd(caseActions, j.id!, 30000);
      ended.next = await waitForJobEnd(pmsSync, next.id!, 60000);
    });

    it.each(cases.map((c) => [c[0], c[3]] as const))('%s', async (label, reason) => {
      const job = ended[label];
      expect(await job.getState()).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toMatch(reason);
      const rejected = jobLines(worker, job.id!).find((l) => l.msg === 'job rejected on receipt');
      expect(rejected).toMatchObject({ queue: 'case-actions', jobName: job.name === `CALL ${PHONE}` ? 'CALL ***23' : job.name, jobId: job.id, attempt: 1 });
    });

    it('the next valid job still runs', async () => {
      expect(jobLines(worker, ended.next.id!).find((l) => l.msg === 'job started')).toMatchObject({ jobName: 'refresh-cases' });
      expect(['completed', 'failed']).toContain(await ended.next.getState());
    });
  });

  it('never writes a secret or a full phone number to its output', () => {
    const all = worker.raw.join('\n');
    expect(all).not.toContain(SECRET_TOKEN);
    expect(all).not.toContain(SECRET_HMAC);
    expect(all).not.toContain(TEST_ENCRYPTION_KEY);
    expect(all).not.toContain(PHONE);
    expect(all).not.toContain(PHONE.slice(2)); // not even without the +1
  });
});

describe('shutdown of the built worker', () => {
  let db: TestDatabase;
  const prefixes: string[] = [];
  const queues: Queue[] = [];
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const w of workers) {
      w.kill('SIGKILL');
      await w.exited;
    }
    for (const q of queues) await q.close();
    for (const p of prefixes) await cleanPrefix(p);
    await db?.drop();
  });

  async function workerWithRunningSync(credentials: Record<string, unknown>): Promise<{ worker: AppProcess; queue: Queue; job: Job }> {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const queue = testQueue('pms-sync', prefix);
    queues.push(queue);
    const { tenantId, connectionId } = await seedSandboxConnection(db, credentials);
    const worker = startWorker(baseEnv(db.name, prefix, { WORKER_SHUTDOWN_TIMEOUT_MS: '60000' }));
    workers.push(worker);
    await worker.waitForMsg('worker ready', 60000);
    const job = await queue.add('sync', { connectionId, tenantId, trigger: 'manual' }, API_SYNC_OPTS);
    await worker.waitFor((l) => l.jobId === job.id && l.msg === 'job started', 30000, 'job started');
    return { worker, queue, job };
  }

  it('SIGTERM during a running sync: it stops at a page boundary and goes back to the queue (no attempt used), the drain does not wait for it, exit 0', async () => {
    const { worker, queue, job } = await workerWithRunningSync({ seed: 1, leases: 300, pageSize: 100, pageDelayMs: 300 });
    expect(await job.getState()).toBe('active');
    worker.kill('SIGTERM');
    const exit = await Promise.race([worker.exited, hungAfter(90000)]);
    expect(exit).toEqual({ code: 0, signal: null });

    const back = (await queue.getJob(job.id!))!;
    expect(await back.getState()).toBe('delayed'); // the next worker resumes its run (sync-crash e2e)
    expect(back.attemptsMade).toBe(0);
    const interrupted = 'sync run interrupted at a page boundary (shutdown); it resumes from its checkpoint';
    const msgs = worker.lines.map((l: LogLine) => l.msg);
    const order = ['SIGTERM received: shutting down', 'shutting down: no new jobs, waiting for running jobs', interrupted, 'all running jobs finished', 'shutdown complete'];
    const idx = order.map((m) => msgs.findIndex((x) => x === m));
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(msgs).not.toContain('job completed');
    const line = worker.lines.find((l) => l.msg === interrupted && l.jobId === job.id);
    expect(line).toMatchObject({ queue: 'pms-sync', jobName: 'sync', attempt: 1 });
  });

  it('a second SIGINT forces the exit without waiting for the running job', async () => {
    const { worker, job, queue } = await workerWithRunningSync({ seed: 2, leases: 300, pageSize: 10, pageDelayMs: 300 });
    worker.kill('SIGINT');
    await worker.waitForMsg('SIGINT received: shutting down', 10000);
    const t0 = Date.now();
    worker.kill('SIGINT');
    const exit = await worker.exited;
    expect(exit.code).toBe(130);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(worker.lines.some((l) => String(l.msg).startsWith('second SIGINT: forcing exit'))).toBe(true);
    // not lost either way: still active (recovered later as stalled), or already put back by the
    // sync's own stop at a page boundary (the first SIGINT aborted it)
    expect(['active', 'delayed']).toContain(await (await queue.getJob(job.id!))!.getState());
  });
});

describe('a bad environment', () => {
  it('exits non-zero at once with one message naming every bad variable', async () => {
    const worker = startWorker({
      ...baseEnv('unused_db', testPrefix()),
      DB_PORT: 'abc',
      REDIS_URL: 'http://x',
      TWILIO_FROM_NUMBER: '123',
      WORKER_CONCURRENCY: 'many',
    });
    const exit = await worker.exited;
    expect(exit.code).toBe(78);
    const fatal = worker.lines.filter((l) => l.level === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0].msg).toMatch(/Invalid configuration \(4 problems\)/);
    for (const v of ['DB_PORT', 'REDIS_URL', 'TWILIO_FROM_NUMBER', 'WORKER_CONCURRENCY']) expect(fatal[0].msg).toContain(v);
    expect((fatal[0].problems as string[]).map((p) => p.split(':')[0]).sort()).toEqual(['DB_PORT', 'REDIS_URL', 'TWILIO_FROM_NUMBER', 'WORKER_CONCURRENCY']);
    // Nothing else was started (no connection attempts, no Nest logs).
    expect(worker.lines).toHaveLength(1);
  });

  it('exits non-zero with a clear message when Postgres refuses connections', async () => {
    const worker = startWorker({ ...baseEnv('unused_db', testPrefix()), DB_PORT: '1', DB_HOST: '127.0.0.1' });
    const exit = await Promise.race([worker.exited, hungAfter(60000)]);
    if (exit === 'hung') worker.kill('SIGKILL');
    expect(exit).toMatchObject({ code: 1 });
    expect(worker.raw.join('\n')).toMatch(/ECONNREFUSED|connect/);
  });
});
