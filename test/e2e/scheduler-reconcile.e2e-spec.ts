import { randomUUID } from 'crypto';
import IORedis from 'ioredis';
import { Queue } from 'bullmq';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_REDIS_URL } from '../utils/env';
import { startScheduler } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue } from '../utils/queues';
import { seedCase } from '../fakes/twilio-scenario';

/**
 * The stale-call check (one RECONCILE_CALLS per 5-minute slot, nothing in Redis when there is nothing
 * stale), through the built scheduler app with --once on real Postgres and Redis. Scheduled syncs are
 * automation-maintenance's: collections-maintenance.e2e-spec.ts.
 */
jest.setTimeout(120_000);

let db: TestDatabase;
let prefix: string;
let caseQueue: Queue;

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.pool.query(sql, params)).rows as T[];
}

interface RunResult {
  kind: string;
  reconcile: { stale: boolean; submitted: boolean; jobId: string | null };
}

async function runOnce(extra: Record<string, string> = {}, args = ['--once']): Promise<RunResult> {
  const proc = startScheduler(baseEnv(db.name, prefix, extra), args);
  const exit = await proc.exited;
  const line = proc.lines.find((l) => l.kind === 'scheduler-run') as unknown as RunResult | undefined;
  if (exit.code !== 0 || !line) throw new Error(`scheduler exited ${exit.code}; output:\n${proc.raw.slice(-20).join('\n')}`);
  return line;
}

async function reconcileJobs() {
  const jobs = await caseQueue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized'], 0, -1);
  return jobs.filter((j) => j.name === 'RECONCILE_CALLS');
}

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = testPrefix();
  caseQueue = testQueue('case-actions', prefix);
});

afterAll(async () => {
  await caseQueue?.close();
  await cleanPrefix(prefix);
  await db?.drop();
});

describe('stale-call reconcile check', () => {
  it('touches nothing in Redis when no call is stale; one RECONCILE_CALLS per 5-minute slot when one is', async () => {
    const redis = new IORedis(TEST_REDIS_URL);
    try {
      const tenantId = randomUUID();
      await q(`INSERT INTO tenants (created_at, updated_at, id, name) VALUES (now(), now(), $1, 'T')`, [tenantId]);
      // The SQL migrations' schema requires a case and a debtor on every interaction.
      const { caseId, debtorId } = await seedCase(db.pool, { tenantId, phone: '+12125550100', timezone: null });
      // a call queued a minute ago is not stale (CALL_STALE_TTL_SECONDS default 1800)
      await q(`INSERT INTO interaction_logs (id, updated_at, tenant_id, debt_case_id, debtor_id, type, status, created_at) VALUES (gen_random_uuid(), now(), $1, $2, $3, 'CALL', 'queued', now() - interval '1 minute')`, [tenantId, caseId, debtorId]);
      // and an old finished one is not either
      await q(`INSERT INTO interaction_logs (id, updated_at, tenant_id, debt_case_id, debtor_id, type, status, created_at, started_at) VALUES (gen_random_uuid(), now(), $1, $2, $3, 'CALL', 'completed', now() - interval '5 hours', now() - interval '5 hours')`, [tenantId, caseId, debtorId]);
      const r0 = await runOnce({});
      expect(r0.reconcile).toEqual({ stale: false, submitted: false, jobId: null });
      // only the queue's meta hash (written by BullMQ when a Queue object connects), no job, list or repeat key
      expect((await redis.keys(`${prefix}:case-actions:*`)).filter((k) => !k.endsWith(':meta'))).toEqual([]);

      await q(`INSERT INTO interaction_logs (id, updated_at, tenant_id, debt_case_id, debtor_id, type, status, created_at, started_at) VALUES (gen_random_uuid(), now(), $1, $2, $3, 'CALL', 'in_progress', now() - interval '2 hours', now() - interval '2 hours')`, [tenantId, caseId, debtorId]);
      const r1 = await runOnce({});
      const r2 = await runOnce({});
      expect(r1.reconcile.submitted).toBe(true);
      expect(r1.reconcile.jobId).toMatch(/^RECONCILE_CALLS-\d+$/);
      const jobs = await reconcileJobs();
      // same 5-minute slot -> one job; (two only if the runs straddled a slot boundary)
      expect(jobs.map((j) => j.id).sort()).toEqual([...new Set([r1.reconcile.jobId, r2.reconcile.jobId])].sort());

      // a shorter TTL makes the 1-minute-old call stale too, still one job per slot
      const r3 = await runOnce({ CALL_STALE_TTL_SECONDS: '60' }, ['--dry-run']);
      expect(r3.reconcile).toMatchObject({ stale: true, submitted: false });
    } finally {
      await redis.quit();
    }
  });
});
