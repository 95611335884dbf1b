/**
 * automation-maintenance through the built worker on real Postgres and Redis, on a sandbox connection:
 * the API's lock (plain key, no BullMQ prefix) is taken during the run and released after it, a held
 * lock or a running sync skips the connection, the hourly run refreshes and builds cases and enrolls
 * them into the connection's active automation. Also: the scheduler's --once enqueues the tick and the
 * maintenance jobs with slot ids, and removes a legacy repeatable tick.
 */
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomUUID } from 'crypto';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_REDIS_URL } from '../utils/env';
import { AppProcess, startScheduler, startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { insertConnection } from '../utils/seed';
import { ensureApiCollectionsTables, insertAutomation, insertStage, insertStrategy, insertTenantRow } from './collections-fixture';

jest.setTimeout(180_000);

let db: TestDatabase;
let prefix: string;
let worker: AppProcess;
let maintenance: Queue;
let pmsSync: Queue;
let redis: IORedis;
let seq = 0;

async function q<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.pool.query(sql, params)).rows as T[];
}

async function run(name: 'hourly' | 'daily', data: Record<string, unknown>) {
  const id = `m-${name}-${++seq}`;
  await maintenance.add(name, data, { jobId: id });
  const job = await waitForJobEnd(maintenance, id, 120_000);
  return { state: await job.getState(), result: job.returnvalue as any, job };
}

async function connection(): Promise<{ tenantId: string; connectionId: string }> {
  const tenantId = await insertTenantRow(db.pool);
  const connectionId = await insertConnection(db.pool, { tenantId, software: 'sandbox', credentials: { seed: 11, leases: 300 } });
  return { tenantId, connectionId };
}

const lockKey = (c: { tenantId: string; connectionId: string }) => `pms-sync:lock:${c.tenantId}:${c.connectionId}`;

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureApiCollectionsTables(db.pool);
  prefix = testPrefix();
  maintenance = testQueue('automation-maintenance', prefix);
  pmsSync = testQueue('pms-sync', prefix);
  redis = new IORedis(TEST_REDIS_URL);
  worker = startWorker(baseEnv(db.name, prefix));
  await worker.waitForMsg('worker ready', 30000);
});

afterAll(async () => {
  await worker?.stop();
  await maintenance?.close();
  await pmsSync?.close();
  await redis?.quit();
  await cleanPrefix(prefix);
  await db?.drop();
});

describe('automation-maintenance', () => {
  it('daily then hourly: each takes the lock during its sync and releases it; hourly builds cases and enrolls them into the active automation', async () => {
    const c = await connection();
    // the maintenance steps pull no charges (as the API's): a full sync first gives the account its cases
    await pmsSync.add('sync', { connectionId: c.connectionId, tenantId: c.tenantId, trigger: 'manual' }, { jobId: 'full-first' });
    expect(await (await waitForJobEnd(pmsSync, 'full-first', 120_000)).getState()).toBe('completed');
    const strategyId = await insertStrategy(db.pool, c.tenantId);
    const early = await insertStage(db.pool, strategyId, { name: 'Early', min: 1, max: 30, channels: { sms: true } });
    const late = await insertStage(db.pool, strategyId, { name: 'Late', min: 31, max: null, channels: { call: true } });
    const automationId = await insertAutomation(db.pool, { tenantId: c.tenantId, strategyId, connectionId: c.connectionId, approvalMode: 'HYBRID', approvalRules: { autoApproveMaxDpd: 60 } });

    // watch the lock while the jobs run
    let seen = false;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        if (await redis.exists(lockKey(c))) seen = true;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const daily = await run('daily', { tenantId: c.tenantId, connectionId: c.connectionId });
    expect(daily.state).toBe('completed');
    expect(daily.result).toMatchObject({ kind: 'daily', processed: 1, skipped: 0 });
    const hourly = await run('hourly', { tenantId: c.tenantId, connectionId: c.connectionId });
    watching = false;
    await watcher;
    expect(hourly.state).toBe('completed');
    expect(hourly.result.results[0]).toMatchObject({ connectionId: c.connectionId, skipped: false });
    expect(seen).toBe(true);
    expect(await redis.exists(lockKey(c))).toBe(0);
    // nothing under the BullMQ prefix: the API reads the plain key
    expect(await redis.keys(`${prefix}:pms-sync:lock:*`)).toEqual([]);

    const runs = await q(`SELECT trigger, status FROM sync_runs WHERE pms_connection_id = $1 ORDER BY triggered_at`, [c.connectionId]);
    expect(runs).toEqual([
      { trigger: 'manual', status: 'completed' },
      { trigger: 'scheduled', status: 'completed' },
      { trigger: 'scheduled', status: 'completed' },
    ]);

    const [{ cases }] = await q(`SELECT count(*)::int AS cases FROM debt_cases WHERE tenant_id = $1 AND status::text IN ('NEW','IN_PROGRESS')`, [c.tenantId]);
    expect(cases).toBeGreaterThan(0);
    const states = await q<{ stage: string; approval: string; over60: boolean; dpd: number; status: string; due: boolean }>(
      `SELECT st.name AS stage, d.approval_status AS approval, d.days_past_due > 60 AS over60, d.days_past_due AS dpd, s.status, s.next_action_at IS NOT NULL AS due
       FROM case_automation_state s JOIN debt_cases d ON d.id = s.debt_case_id JOIN collection_stages st ON st.id = s.current_stage_id
       WHERE s.automation_id = $1`,
      [automationId],
    );
    expect(states.length).toBe(cases);
    for (const s of states) {
      expect(s.stage).toBe(s.dpd > 30 ? 'Late' : 'Early');
      expect(s.approval).toBe(s.over60 ? 'PENDING_APPROVAL' : 'APPROVED');
      expect(s.status).toBe('active');
      expect(s.due).toBe(true);
    }
    expect([early, late]).toHaveLength(2);

    // enrolling again adds nobody
    const again = await run('hourly', { tenantId: c.tenantId, connectionId: c.connectionId });
    expect(again.state).toBe('completed');
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM case_automation_state WHERE automation_id = $1`, [automationId]);
    expect(n).toBe(cases);
  });

  it('skips a connection whose lock is held, and leaves that lock alone', async () => {
    const c = await connection();
    await redis.set(lockKey(c), '1', 'EX', 600, 'NX');
    const r = await run('hourly', { tenantId: c.tenantId, connectionId: c.connectionId });
    expect(r.state).toBe('completed');
    expect(r.result).toMatchObject({ processed: 0, skipped: 1, results: [{ connectionId: c.connectionId, skipped: true, reason: 'lock_held' }] });
    expect(await redis.get(lockKey(c))).toBe('1');
    expect(await redis.ttl(lockKey(c))).toBeGreaterThan(500);
    expect(await q(`SELECT id FROM sync_runs WHERE pms_connection_id = $1`, [c.connectionId])).toEqual([]);
    await redis.del(lockKey(c));
  });

  it('skips a connection whose sync is running, without taking the lock', async () => {
    const c = await connection();
    await q(`INSERT INTO sync_runs (id, pms_connection_id, status, trigger, triggered_at, started_at, created_at, updated_at) VALUES ($1, $2, 'running', 'manual', now(), now(), now(), now())`, [
      randomUUID(),
      c.connectionId,
    ]);
    const r = await run('daily', { tenantId: c.tenantId, connectionId: c.connectionId });
    expect(r.result).toMatchObject({ processed: 0, skipped: 1, results: [{ skipped: true, reason: 'sync_already_running' }] });
    expect(await redis.exists(lockKey(c))).toBe(0);
  });

  it('a job without ids walks every connected connection; a failing one fails the job naming it, and its lock is released', async () => {
    await q(`UPDATE pms_connections SET status = 'disconnected'`);
    const ok = await connection();
    const broken = await connection();
    await q(`UPDATE pms_connections SET credentials = $2::jsonb WHERE id = $1`, [broken.connectionId, JSON.stringify({ not: 'encrypted' })]);
    const r = await run('daily', {});
    expect(r.state).toBe('failed');
    expect(r.job.failedReason).toContain(`daily maintenance failed for connection ${broken.connectionId}`);
    expect(r.job.failedReason).not.toContain(ok.connectionId);
    const runs = await q(`SELECT pms_connection_id, status FROM sync_runs WHERE pms_connection_id = ANY($1::uuid[]) AND status = 'completed'`, [[ok.connectionId, broken.connectionId]]);
    expect(runs.map((x) => x.pms_connection_id)).toEqual([ok.connectionId]);
    expect(await redis.exists(lockKey(broken))).toBe(0);
    expect(await redis.exists(lockKey(ok))).toBe(0);
  });
});

describe('scheduler --once', () => {
  it('enqueues the slot tick and one hourly and one daily job per connected connection; removes a legacy repeatable tick', async () => {
    const tick = testQueue('collection-tick', prefix);
    try {
      await tick.add('tick', {}, { jobId: 'collection-tick-recurring', repeat: { every: 15 * 60_000 } });
      expect((await tick.getJobSchedulers()).length + (await tick.getRepeatableJobs()).length).toBeGreaterThan(0);
      const [{ n: connected }] = await q(`SELECT count(*)::int AS n FROM pms_connections WHERE status = 'connected'`);

      // the legacy repeatable is removed when the cron scheduler starts
      const sched = startScheduler(baseEnv(db.name, prefix, { SYNC_INTERVAL_HOURS: '0' }));
      await sched.waitForMsg('scheduler started', 30000);
      await sched.stop();
      expect(await tick.getJobSchedulers()).toEqual([]);
      expect(await tick.getRepeatableJobs()).toEqual([]);
      expect(await tick.getDelayedCount()).toBe(0);

      const once = startScheduler(baseEnv(db.name, prefix, { SYNC_INTERVAL_HOURS: '0' }), ['--once']);
      const exit = await once.exited;
      expect(exit.code).toBe(0);
      const line = once.lines.find((l) => l.kind === 'scheduler-run') as any;
      expect(line.collections).toMatchObject({ hourly: connected, daily: connected });
      expect(line.collections.tick).toMatch(/^tick-\d+$/);
      const tickJob = await tick.getJob(line.collections.tick);
      expect(tickJob?.name).toBe('tick');
      const mjobs = await maintenance.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'], 0, -1);
      const ids = mjobs.map((j) => j.id!).filter((id) => /^(hourly|daily)-[0-9a-f-]{36}-\d+$/.test(id));
      expect(ids.length).toBe(2 * connected);
    } finally {
      await tick.close();
    }
  });
});
