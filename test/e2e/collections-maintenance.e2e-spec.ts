/**
 * automation-maintenance through the built worker on real Postgres and Redis, on a sandbox connection:
 * the API's lock (plain key, no BullMQ prefix) is taken during the run and released after it, a held
 * lock or a running sync skips the connection, the hourly run refreshes and builds cases and enrolls
 * them into the connection's active automation. Scheduled syncs: the hourly job of a connection whose
 * last complete sync is older than SYNC_INTERVAL_HOURS runs a full sync (there are no separate
 * scheduled `sync` jobs). Also: the scheduler's --once enqueues the tick and the maintenance jobs with
 * slot ids, and removes a legacy repeatable tick.
 */
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomUUID } from 'crypto';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_REDIS_URL } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startScheduler, startWorker } from '../utils/processes';
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

const H = 3600_000;
const ALL_STEPS = ['debtors_leases', 'charges', 'payments', 'balances_aging'];

/** A past sync run of the connection as the workers record it (sync_runs + worker_sync_runs.steps). */
async function pastRun(connectionId: string, finishedAgoMs: number, steps: string[]) {
  const id = randomUUID();
  const at = new Date(Date.now() - finishedAgoMs);
  await q(
    `INSERT INTO sync_runs (id, pms_connection_id, status, trigger, triggered_at, started_at, finished_at, created_at, updated_at) VALUES ($1, $2, 'completed', 'scheduled', $3, $3, $3, $3, $3)`,
    [id, connectionId, at],
  );
  await q(`INSERT INTO worker_sync_runs (sync_run_id, pms_connection_id, mode, steps) VALUES ($1, $2, 'full', $3::jsonb)`, [id, connectionId, JSON.stringify(steps)]);
}

describe('scheduled syncs: SYNC_INTERVAL_HOURS inside automation-maintenance', () => {
  it('one hourly job per connected connection; a full sync only where the last complete one is older than the interval; lock taken and released; busy connections skipped', async () => {
    await q(`UPDATE pms_connections SET status = 'disconnected'`);
    const small = async () => {
      const tenantId = await insertTenantRow(db.pool);
      const connectionId = await insertConnection(db.pool, { tenantId, software: 'sandbox', credentials: { seed: 5, leases: 30 } });
      return { tenantId, connectionId };
    };
    const stale = await small(); // complete sync 7 h ago
    await pastRun(stale.connectionId, 7 * H, ALL_STEPS);
    const fresh = await small(); // complete sync 1 h ago
    await pastRun(fresh.connectionId, 1 * H, ALL_STEPS);
    const partial = await small(); // an hourly run 1 h ago, the last complete one 30 h ago
    await pastRun(partial.connectionId, 30 * H, ALL_STEPS);
    await pastRun(partial.connectionId, 1 * H, ['payments', 'balances_aging']);
    const never = await small();
    const running = await small();
    await q(`INSERT INTO sync_runs (id, pms_connection_id, status, trigger, triggered_at, started_at, created_at, updated_at) VALUES ($1, $2, 'running', 'manual', now(), now(), now(), now())`, [
      randomUUID(),
      running.connectionId,
    ]);
    const locked = await small();
    await redis.set(lockKey(locked), '1', 'EX', 600, 'NX');
    const errored = await small();
    await q(`UPDATE pms_connections SET status = 'error' WHERE id = $1`, [errored.connectionId]);
    const connected = [stale, fresh, partial, never, running, locked];
    const runsBefore = await q<{ n: number }>(`SELECT count(*)::int AS n FROM sync_runs`);

    // The scheduler's own queues (no worker on them): exactly what it enqueues.
    const schedPrefix = testPrefix();
    const schedMaint = testQueue('automation-maintenance', schedPrefix);
    const schedSync = testQueue('pms-sync', schedPrefix);
    try {
      const once = async (args: string[], extra: Record<string, string> = {}) => {
        const p = startScheduler(baseEnv(db.name, schedPrefix, { SYNC_INTERVAL_HOURS: '6', ...extra }), args);
        const exit = await p.exited;
        const line = p.lines.find((l) => l.kind === 'scheduler-run') as any;
        if (exit.code !== 0 || !line) throw new Error(`scheduler exited ${exit.code}:\n${p.raw.slice(-20).join('\n')}`);
        return line;
      };
      const all = () => schedMaint.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'paused'], 0, -1);

      const dry = await once(['--dry-run']);
      // due: no complete sync within 6 h (the running and the locked one never had one: due, and skipped by their job)
      expect([...dry.collections.fullSyncs].sort()).toEqual([stale, partial, never, running, locked].map((c) => c.connectionId).sort());
      expect(dry.collections).toMatchObject({ hourly: 6, daily: 6 });
      expect(await all()).toHaveLength(0);
      const off = await once(['--dry-run'], { SYNC_INTERVAL_HOURS: '0' });
      expect(off.collections.fullSyncs).toEqual([]);

      const r1 = await once(['--once']);
      expect(r1.collections).toMatchObject({ hourly: 6, daily: 6 });
      expect(r1).not.toHaveProperty('syncs');
      let jobs = await all();
      const hourly = jobs.filter((j) => j.name === 'hourly');
      expect(hourly.map((j) => j.data.connectionId).sort()).toEqual(connected.map((c) => c.connectionId).sort());
      expect(jobs.filter((j) => j.name === 'daily').map((j) => j.data.connectionId).sort()).toEqual(connected.map((c) => c.connectionId).sort());
      expect(jobs).toHaveLength(12);
      for (const j of hourly) expect(j.id).toMatch(new RegExp(`^hourly-${j.data.connectionId}-\\d+$`));
      // no separate sync jobs any more: maintenance is the one place that syncs on a schedule
      expect(await schedSync.getJobCounts()).toEqual(expect.objectContaining({ waiting: 0, delayed: 0, active: 0 }));
      expect((await redis.keys(`${schedPrefix}:pms-sync:*`)).filter((k) => !k.endsWith(':meta'))).toEqual([]);

      // a second pass in the same hour adds nothing (slot job ids)
      await once(['--once']);
      jobs = await all();
      expect(jobs).toHaveLength(12);

      // the hourly jobs, as enqueued, through the worker; every lock watched while they run
      const seen = new Set<string>();
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const v = await redis.mget(...connected.map(lockKey));
          v.forEach((x, i) => x && seen.add(connected[i].connectionId));
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      const results = new Map<string, any>();
      for (const j of hourly) {
        await maintenance.add('hourly', j.data, { jobId: `copy-${j.id}` });
        const done = await waitForJobEnd(maintenance, `copy-${j.id}`, 120_000);
        expect(await done.getState()).toBe('completed');
        results.set(j.data.connectionId, done.returnvalue.results[0]);
      }
      watching = false;
      await watcher;

      for (const c of [stale, partial, never]) expect(results.get(c.connectionId)).toMatchObject({ skipped: false, full: true });
      expect(results.get(fresh.connectionId)).toMatchObject({ skipped: false, full: false });
      expect(results.get(running.connectionId)).toEqual({ connectionId: running.connectionId, tenantId: running.tenantId, skipped: true, reason: 'sync_already_running' });
      expect(results.get(locked.connectionId)).toEqual({ connectionId: locked.connectionId, tenantId: locked.tenantId, skipped: true, reason: 'lock_held' });

      // lock: taken by each connection that synced, released after; never taken for the running one; the held one left alone
      expect([...seen].sort()).toEqual([stale, fresh, partial, never, locked].map((c) => c.connectionId).sort());
      for (const c of [stale, fresh, partial, never, running]) expect(await redis.exists(lockKey(c))).toBe(0);
      expect(await redis.get(lockKey(locked))).toBe('1');
      expect(await redis.ttl(lockKey(locked))).toBeGreaterThan(500);
      await redis.del(lockKey(locked));

      // exactly four new runs: three complete syncs and one hourly one, all completed
      const runs = await q<{ conn: string; status: string; trigger: string; steps: string[] }>(
        `SELECT r.pms_connection_id AS conn, r.status::text AS status, r.trigger::text AS trigger, w.steps FROM sync_runs r JOIN worker_sync_runs w ON w.sync_run_id = r.id
          WHERE r.pms_connection_id = ANY($1::uuid[]) AND r.triggered_at > now() - interval '10 minutes' AND r.status::text <> 'running'`,
        [connected.map((c) => c.connectionId)],
      );
      const [{ n: runsAfter }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM sync_runs`);
      expect(runsAfter - runsBefore[0].n).toBe(4);
      const byConn = new Map(runs.map((r) => [r.conn, r]));
      for (const c of [stale, partial, never]) expect(byConn.get(c.connectionId)).toEqual({ conn: c.connectionId, status: 'completed', trigger: 'scheduled', steps: ALL_STEPS });
      expect(byConn.get(fresh.connectionId)).toEqual({ conn: fresh.connectionId, status: 'completed', trigger: 'scheduled', steps: ['payments', 'balances_aging'] });
      expect(runs).toHaveLength(4);

      // the connections that synced are up to date; the two that were skipped are still due
      const after = await once(['--dry-run']);
      expect([...after.collections.fullSyncs].sort()).toEqual([running, locked].map((c) => c.connectionId).sort());
    } finally {
      await schedMaint.close();
      await schedSync.close();
      await cleanPrefix(schedPrefix);
    }
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

  it('enqueues no tick while no automation is active (an idle Redis stays idle); maintenance still runs', async () => {
    const tickPrefix = testPrefix();
    const tick = testQueue('collection-tick', tickPrefix);
    // the automations the tests above made active (this test runs after them)
    const paused = await q(`UPDATE collection_automations SET status = 'paused' WHERE status::text = 'active' RETURNING id`);
    try {
      expect(paused.length).toBeGreaterThan(0);
      const once = startScheduler(baseEnv(db.name, tickPrefix, { SYNC_INTERVAL_HOURS: '0' }), ['--once']);
      expect((await once.exited).code).toBe(0);
      const line = once.lines.find((l) => l.kind === 'scheduler-run') as any;
      expect(line.collections.tick).toBeNull();
      const counts = await tick.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'paused');
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
      const [{ n: connected }] = await q(`SELECT count(*)::int AS n FROM pms_connections WHERE status = 'connected'`);
      expect(line.collections).toMatchObject({ hourly: connected, daily: connected });
    } finally {
      await q(`UPDATE collection_automations SET status = 'active' WHERE id = ANY($1::uuid[])`, [paused.map((r: any) => r.id)]);
      await tick.close();
      await cleanPrefix(tickPrefix);
    }
  });
});
