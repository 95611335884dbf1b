import { randomUUID } from 'crypto';
import IORedis from 'ioredis';
import { Queue } from 'bullmq';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_REDIS_URL } from '../utils/env';
import { startScheduler } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue } from '../utils/queues';
import { seedCase } from '../fakes/twilio-scenario';

/**
 * Scheduled syncs (never a second one while one is pending or running) and the stale-call check
 * (one RECONCILE_CALLS per 5-minute slot, nothing in Redis when there is nothing stale), through the
 * built scheduler app with --once on real Postgres and Redis.
 */
jest.setTimeout(120_000);

const H = 3600_000;
let db: TestDatabase;
let prefix: string;
let syncQueue: Queue;
let caseQueue: Queue;

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.pool.query(sql, params)).rows as T[];
}

interface RunResult {
  kind: string;
  syncs: { due: number; submitted: number; connections: string[] };
  reconcile: { stale: boolean; submitted: boolean; jobId: string | null };
}

async function runOnce(extra: Record<string, string> = {}, args = ['--once']): Promise<RunResult> {
  const proc = startScheduler(baseEnv(db.name, prefix, extra), args);
  const exit = await proc.exited;
  const line = proc.lines.find((l) => l.kind === 'scheduler-run') as unknown as RunResult | undefined;
  if (exit.code !== 0 || !line) throw new Error(`scheduler exited ${exit.code}; output:\n${proc.raw.slice(-20).join('\n')}`);
  return line;
}

async function connection(o: { status?: string; lastSuccess?: Date | null; lastSyncedAt?: Date | null }): Promise<{ id: string; tenantId: string }> {
  const tenantId = randomUUID();
  await q(`INSERT INTO tenants (created_at, updated_at, id, name) VALUES (now(), now(), $1, 'T')`, [tenantId]);
  const [s] = await q<{ id: string }>(`INSERT INTO softwares (id, created_at, updated_at, key, name, category, auth_type) VALUES (gen_random_uuid(), now(), now(), $1, 'S', 'property_manager', 'none') RETURNING id`, [`sched-sync-${randomUUID()}`]);
  const id = randomUUID();
  const state = o.lastSuccess ? { lastSuccessfulRunAt: o.lastSuccess.toISOString(), lastRunStatus: 'SUCCESS' } : {};
  await q(`INSERT INTO pms_connections (created_at, updated_at, id, tenant_id, software_id, status, sync_state, last_synced_at) VALUES (now(), now(), $1, $2, $3, $4, $5, $6)`, [
    id,
    tenantId,
    s.id,
    o.status ?? 'connected',
    JSON.stringify(state),
    o.lastSyncedAt ?? null,
  ]);
  return { id, tenantId };
}

async function syncJobs() {
  const jobs = await syncQueue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized'], 0, -1);
  return jobs.filter((j) => j.name === 'sync');
}

async function reconcileJobs() {
  const jobs = await caseQueue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized'], 0, -1);
  return jobs.filter((j) => j.name === 'RECONCILE_CALLS');
}

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = testPrefix();
  syncQueue = testQueue('pms-sync', prefix);
  caseQueue = testQueue('case-actions', prefix);
});

afterAll(async () => {
  await syncQueue?.close();
  await caseQueue?.close();
  await cleanPrefix(prefix);
  await db?.drop();
});

describe('scheduled syncs', () => {
  it('enqueue one scheduled sync per stale connected connection, never a second while one is pending or running', async () => {
    const now = Date.now();
    const a = await connection({ lastSuccess: new Date(now - 7 * H) });
    const fresh = await connection({ lastSuccess: new Date(now - 1 * H) });
    const running = await connection({ lastSuccess: new Date(now - 10 * H) });
    const pending = await connection({ lastSuccess: new Date(now - 10 * H) });
    const errored = await connection({ status: 'error', lastSuccess: new Date(now - 10 * H) });
    const never = await connection({});
    const legacy = await connection({ lastSyncedAt: new Date(now - 8 * H) });
    await q(`INSERT INTO sync_runs (id, created_at, updated_at, triggered_at, pms_connection_id, status, trigger) VALUES (gen_random_uuid(), now(), now(), now(), $1, 'running', 'manual'), (gen_random_uuid(), now(), now(), now(), $2, 'pending', 'webhook')`, [running.id, pending.id]);

    // SYNC_INTERVAL_HOURS=0 turns scheduled syncs off
    const off = await runOnce({ SYNC_INTERVAL_HOURS: '0' });
    expect(off.syncs).toEqual({ due: 0, submitted: 0, connections: [] });
    expect(await syncJobs()).toHaveLength(0);

    const r1 = await runOnce({ SYNC_INTERVAL_HOURS: '6' });
    expect([...r1.syncs.connections].sort()).toEqual([a.id, never.id, legacy.id].sort());
    let jobs = await syncJobs();
    expect(jobs.map((j) => j.data.connectionId).sort()).toEqual([a.id, never.id, legacy.id].sort());
    for (const j of jobs) {
      expect(j.data.trigger).toBe('scheduled');
      expect(j.data.idempotencyKey).toMatch(/^scheduled-/);
      expect(j.id).not.toContain(':');
      expect(j.opts.attempts).toBe(2);
    }
    expect(jobs.map((j) => j.data.connectionId)).not.toContain(fresh.id);
    expect(jobs.map((j) => j.data.connectionId)).not.toContain(errored.id);

    // again while the jobs wait in the queue: no second job
    await runOnce({ SYNC_INTERVAL_HOURS: '6' });
    jobs = await syncJobs();
    expect(jobs).toHaveLength(3);

    // a worker took A's job and is running it (sync_runs running): still no second one for A
    await jobs.find((j) => j.data.connectionId === a.id)!.remove();
    await q(`INSERT INTO sync_runs (id, created_at, updated_at, triggered_at, pms_connection_id, status, trigger) VALUES (gen_random_uuid(), now(), now(), now(), $1, 'running', 'scheduled')`, [a.id]);
    const r3 = await runOnce({ SYNC_INTERVAL_HOURS: '6' });
    expect(r3.syncs.connections).not.toContain(a.id);
    expect((await syncJobs()).filter((j) => j.data.connectionId === a.id)).toHaveLength(0);

    // A's run succeeded: up to date, nothing to do
    await q(`UPDATE sync_runs SET status = 'completed', finished_at = now() WHERE pms_connection_id = $1`, [a.id]);
    await q(`UPDATE pms_connections SET sync_state = jsonb_set(sync_state, '{lastSuccessfulRunAt}', to_jsonb(now()::text)) WHERE id = $1`, [a.id]);
    const r4 = await runOnce({ SYNC_INTERVAL_HOURS: '6' });
    expect(r4.syncs.connections).not.toContain(a.id);
    expect(await syncJobs()).toHaveLength(2);
  });

  it('dry run reports the due connections and enqueues nothing', async () => {
    const c = await connection({ lastSuccess: new Date(Date.now() - 30 * H) });
    const before = (await syncJobs()).length;
    const r = await runOnce({ SYNC_INTERVAL_HOURS: '24' }, ['--dry-run']);
    expect(r.syncs.connections).toContain(c.id);
    expect(r.syncs.submitted).toBe(0);
    expect(await syncJobs()).toHaveLength(before);
  });
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
      const r0 = await runOnce({ SYNC_INTERVAL_HOURS: '0' });
      expect(r0.reconcile).toEqual({ stale: false, submitted: false, jobId: null });
      // only the queue's meta hash (written by BullMQ when a Queue object connects), no job, list or repeat key
      expect((await redis.keys(`${prefix}:case-actions:*`)).filter((k) => !k.endsWith(':meta'))).toEqual([]);

      await q(`INSERT INTO interaction_logs (id, updated_at, tenant_id, debt_case_id, debtor_id, type, status, created_at, started_at) VALUES (gen_random_uuid(), now(), $1, $2, $3, 'CALL', 'in_progress', now() - interval '2 hours', now() - interval '2 hours')`, [tenantId, caseId, debtorId]);
      const r1 = await runOnce({ SYNC_INTERVAL_HOURS: '0' });
      const r2 = await runOnce({ SYNC_INTERVAL_HOURS: '0' });
      expect(r1.reconcile.submitted).toBe(true);
      expect(r1.reconcile.jobId).toMatch(/^RECONCILE_CALLS-\d+$/);
      const jobs = await reconcileJobs();
      // same 5-minute slot -> one job; (two only if the runs straddled a slot boundary)
      expect(jobs.map((j) => j.id).sort()).toEqual([...new Set([r1.reconcile.jobId, r2.reconcile.jobId])].sort());

      // a shorter TTL makes the 1-minute-old call stale too, still one job per slot
      const r3 = await runOnce({ SYNC_INTERVAL_HOURS: '0', CALL_STALE_TTL_SECONDS: '60' }, ['--dry-run']);
      expect(r3.reconcile).toMatchObject({ stale: true, submitted: false });
    } finally {
      await redis.quit();
    }
  });
});
