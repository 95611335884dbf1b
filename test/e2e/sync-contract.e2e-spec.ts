import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { encryptCredentials } from '../../src/common/credentials-crypto';
import { ensurePmsSoftwares, PMS_SOFTWARES } from '../../src/database/migrations/1764300400000-PmsSoftwares';
import { apiSyncLockKey } from '../../src/pms-sync/api-sync-lock';
import { PAYMENT_COOLDOWN_MINUTES } from '../../src/pms-sync/cases.service';
import { RISK_TIERS, riskTier } from '../../src/pms-sync/risk-tier';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_ENCRYPTION_KEY, TEST_REDIS_URL } from '../utils/env';
import { AppProcess, startWorker } from '../utils/processes';
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
  worker = startWorker(baseEnv(db.name, prefix, { SYNC_BUSY_RETRY_SECONDS: '1' }));
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

describe('a sync the API enqueued', () => {
  it('returns the API shape {ok, syncRunId} with our summary, and releases the lock once completed', async () => {
    await apiEnqueues();
    const r = await run('sync', { connectionId, tenantId, trigger: 'manual', steps: null });
    expect(r.state).toBe('completed');
    expect(r.rv).toMatchObject({ ok: true, syncRunId: r.rv.runId, status: 'completed' });
    expect(r.rv.syncRunId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await lockLine(r.job.id!)).lock).toBe('released');
    expect(await lockExists()).toBe(false);
    expect(await syncState()).toMatchObject({ lastRunStatus: 'SUCCESS', lastErrorMessage: null });
  });

  it('writes the API risk tiers: every lease by its days past due, exact counts per tier', async () => {
    const rows = await q(
      `SELECT l.risk_tier, s.days_past_due FROM pms_leases l JOIN ar_lease_aging_snapshots s ON s.pms_lease_id = l.id WHERE l.pms_connection_id = $1`,
      [connectionId],
    );
    expect(rows.length).toBeGreaterThan(30);
    for (const r of rows) expect([r.days_past_due, r.risk_tier]).toEqual([r.days_past_due, riskTier(r.days_past_due)]);
    const byTier = Object.fromEntries(RISK_TIERS.map((t) => [t, rows.filter((r) => r.risk_tier === t).length]));
    expect(Object.values(byTier).reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect(byTier.critico).toBe(rows.filter((r) => r.days_past_due > 90).length);
    expect(byTier.al_dia).toBe(rows.filter((r) => r.days_past_due <= 0).length);
    // every word of the API appears (seed 5 spreads its leases over all five tiers)
    for (const t of RISK_TIERS) expect([t, byTier[t] > 0]).toEqual([t, true]);
    // cases carry their lease's tier
    const off = await q(`SELECT count(*)::int AS n FROM debt_cases c JOIN pms_leases l ON l.id = c.pms_lease_id WHERE c.tenant_id = $1 AND c.risk_tier IS DISTINCT FROM l.risk_tier`, [tenantId]);
    expect(off[0].n).toBe(0);
  });
});

describe('build-new-cases as the API builds', () => {
  let created: number;
  let noDueLease: string;

  it('creates a case for every lease whose balance is > 0, with the API meta keys, status NEW, next action now', async () => {
    await q(`DELETE FROM debt_cases WHERE tenant_id = $1`, [tenantId]);
    // leases that owe but have nothing past due yet: the API builds their cases too
    const noDue = await q(
      `SELECT s.pms_lease_id, s.balance_cents FROM ar_lease_aging_snapshots s WHERE s.pms_connection_id = $1 AND s.balance_cents > 0 AND s.days_past_due = 0 ORDER BY s.pms_lease_id`,
      [connectionId],
    );
    expect(noDue.length).toBeGreaterThan(0);
    noDueLease = noDue[0].pms_lease_id;
    const expected = await q(
      `SELECT s.pms_lease_id, s.balance_cents, l.lease_number, l.external_id, pr.name AS property_name, u.unit_number, d.id AS pms_debtor_id, d.external_id AS debtor_ext
       FROM ar_lease_aging_snapshots s JOIN pms_leases l ON l.id = s.pms_lease_id JOIN pms_debtors d ON d.id = l.pms_debtor_id
       LEFT JOIN pms_properties pr ON pr.id = l.pms_property_id LEFT JOIN pms_units u ON u.id = l.pms_unit_id
       WHERE s.pms_connection_id = $1 AND s.balance_cents > 0`,
      [connectionId],
    );
    expect(expected.length).toBeGreaterThan(5);

    await apiEnqueues();
    const t0 = new Date();
    const r = await run('build-new-cases');
    const t1 = new Date();
    expect(r.state).toBe('completed');
    created = expected.length;
    expect({ created: r.rv.created, message: r.rv.message }).toEqual({ created, message: `Created ${created} new case(s).` });
    expect(r.rv.counts.cases.created).toBe(created);
    expect((await lockLine(r.job.id!)).lock).toBe('released');
    expect(await lockExists()).toBe(false);

    const cases = await q(`SELECT c.*, x.external_ref FROM debt_cases c JOIN debtors x ON x.id = c.debtor_id WHERE c.tenant_id = $1`, [tenantId]);
    expect(cases).toHaveLength(created);
    for (const e of expected) {
      const c = cases.find((k) => k.pms_lease_id === e.pms_lease_id);
      expect(c).toBeDefined();
      expect(c.status).toBe('NEW');
      expect(c.approval_status).toBe('APPROVED');
      expect(Number(c.amount_due_cents)).toBe(Number(e.balance_cents));
      expect(c.external_key).toBe(`pms:${connectionId}:lease:${e.pms_lease_id}`);
      expect(c.external_ref).toBe(`pms:${connectionId}:${e.debtor_ext}`);
      expect(c.next_action_at.getTime()).toBeGreaterThanOrEqual(t0.getTime() - 1000);
      expect(c.next_action_at.getTime()).toBeLessThanOrEqual(t1.getTime() + 1000);
      expect(c.meta).toMatchObject({
        source: 'pms',
        pms_connection_id: connectionId,
        pms_lease_id: e.pms_lease_id,
        pms_debtor_id: e.pms_debtor_id,
        lease_number: e.lease_number ?? e.external_id,
        property_name: e.property_name,
        unit_number: e.unit_number,
      });
      expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(c.created_at).not.toBeNull();
      expect(c.updated_at).not.toBeNull();
    }
    // the leases with nothing past due: cases with 0 days past due, no flow policy (none starts at 0), tier al_dia
    for (const e of noDue) {
      const nd = cases.find((k) => k.pms_lease_id === e.pms_lease_id);
      expect({ dpd: nd.days_past_due, policy: nd.flow_policy_id, amount: Number(nd.amount_due_cents), tier: nd.risk_tier }).toEqual({
        dpd: 0,
        policy: null,
        amount: Number(e.balance_cents),
        tier: 'al_dia',
      });
    }

    const st = await syncState();
    expect(st).toMatchObject({ lastRunStatus: 'SUCCESS', lastErrorMessage: null, lastBuildStats: { created } });
    expect(Date.parse(st.lastBuildAt)).toBeGreaterThanOrEqual(t0.getTime() - 1000);
    expect(Date.parse(st.lastBuildAt)).toBeLessThanOrEqual(t1.getTime() + 1000);
  });

  it('a second build creates none: {created: 0, message: "No new cases to create."}', async () => {
    const r = await run('build-cases');
    expect({ created: r.rv.created, message: r.rv.message }).toEqual({ created: 0, message: 'No new cases to create.' });
    expect((await q(`SELECT count(*)::int AS n FROM debt_cases WHERE tenant_id = $1`, [tenantId]))[0].n).toBe(created);
  });

  it('refresh-cases: resolves at balance 0, pauses after a partial payment, leaves EXCLUDED cases alone; {updated, resolved, message}', async () => {
    const open = await q(
      `SELECT c.id, c.pms_lease_id, c.amount_due_cents, c.next_action_at FROM debt_cases c WHERE c.tenant_id = $1 AND c.pms_lease_id <> $2 ORDER BY c.external_key LIMIT 3`,
      [tenantId, noDueLease],
    );
    const [paid, partial, excluded] = open;
    await q(`UPDATE ar_lease_aging_snapshots SET balance_cents = 0, days_past_due = 0 WHERE pms_lease_id = ANY($1::uuid[])`, [[paid.pms_lease_id, excluded.pms_lease_id]]);
    const lower = Number(partial.amount_due_cents) - 100;
    await q(`UPDATE ar_lease_aging_snapshots SET balance_cents = $2 WHERE pms_lease_id = $1`, [partial.pms_lease_id, lower]);
    await q(`UPDATE debt_cases SET approval_status = 'EXCLUDED' WHERE id = $1`, [excluded.id]);

    await apiEnqueues();
    const t0 = Date.now();
    const r = await run('refresh-cases');
    expect(r.state).toBe('completed');
    const updated = created - 1; // every case but the EXCLUDED one
    expect({ updated: r.rv.updated, resolved: r.rv.resolved, message: r.rv.message }).toEqual({
      updated,
      resolved: 1,
      message: `Refreshed ${updated} case(s), 1 resolved (balance=0).`,
    });
    expect((await lockLine(r.job.id!)).lock).toBe('released');

    const byId = async (id: string) => (await q(`SELECT status, closed_at, next_action_at, amount_due_cents, meta FROM debt_cases WHERE id = $1`, [id]))[0];
    const p = await byId(paid.id);
    expect({ status: p.status, next: p.next_action_at, amount: Number(p.amount_due_cents), closedBy: p.meta.closedBy }).toEqual({ status: 'PAID', next: null, amount: 0, closedBy: 'pms-sync' });
    expect(p.closed_at).not.toBeNull();
    const pp = await byId(partial.id);
    expect(Number(pp.amount_due_cents)).toBe(lower);
    expect(pp.status).toBe('NEW');
    const cooldownMs = PAYMENT_COOLDOWN_MINUTES * 60_000;
    expect(pp.next_action_at.getTime()).toBeGreaterThanOrEqual(t0 + cooldownMs - 5000);
    expect(pp.next_action_at.getTime()).toBeLessThanOrEqual(Date.now() + cooldownMs + 5000);
    const ex = await byId(excluded.id);
    expect({ status: ex.status, amount: Number(ex.amount_due_cents) }).toEqual({ status: 'NEW', amount: Number(excluded.amount_due_cents) });

    const st = await syncState();
    expect(st).toMatchObject({ lastRunStatus: 'SUCCESS', lastErrorMessage: null, lastRefreshStats: { updated, resolved: 1 } });
    expect(Date.parse(st.lastRefreshAt)).toBeGreaterThanOrEqual(t0 - 1000);
    // the keys of the last build (the second one, which created none) stay
    expect(st.lastBuildStats).toEqual({ created: 0 });

    // a second refresh: nothing resolved again, the pause is not pushed further
    const again = await run('refresh-cases');
    expect(again.rv.resolved).toBe(0);
    expect((await byId(partial.id)).next_action_at.getTime()).toBe(pp.next_action_at.getTime());
  });

  it('a failing build sets sync_state FAILED with the message, and releases the lock (no attempt left)', async () => {
    await apiEnqueues();
    await q(`ALTER TABLE ar_lease_aging_snapshots RENAME TO ar_lease_aging_snapshots_away`);
    try {
      const r = await run('build-new-cases');
      expect(r.state).toBe('failed');
      expect(r.job.failedReason).toContain('ar_lease_aging_snapshots');
      expect((await lockLine(r.job.id!)).lock).toBe('released');
      expect(await lockExists()).toBe(false);
      expect(await syncState()).toMatchObject({ lastRunStatus: 'FAILED', lastErrorMessage: r.job.failedReason });
    } finally {
      await q(`ALTER TABLE ar_lease_aging_snapshots_away RENAME TO ar_lease_aging_snapshots`);
    }
  });

  it('sync-full-flow returns {sync, refresh, build, recompute} and leaves sync_state SUCCESS', async () => {
    await apiEnqueues();
    const r = await run('sync-full-flow');
    expect(r.state).toBe('completed');
    expect(Object.keys(r.rv)).toEqual(expect.arrayContaining(['sync', 'refresh', 'build', 'recompute']));
    expect(r.rv.sync).toMatchObject({ ok: true, syncRunId: r.rv.runId });
    expect(r.rv.refresh).toEqual({ updated: expect.any(Number), resolved: expect.any(Number), message: expect.stringMatching(/^Refreshed \d+ case\(s\), \d+ resolved \(balance=0\)\.$/) });
    expect(r.rv.build).toEqual({ created: expect.any(Number), message: expect.any(String) });
    expect(r.rv.recompute).toEqual({});
    // the sync restored the snapshots the tests above edited: the edited leases come back to their real balance
    expect((await lockLine(r.job.id!)).lock).toBe('released');
    const st = await syncState();
    expect(st).toMatchObject({ lastRunStatus: 'SUCCESS', lastErrorMessage: null, lastRefreshStats: { updated: r.rv.refresh.updated, resolved: r.rv.refresh.resolved }, lastBuildStats: { created: r.rv.build.created } });
  });
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
      await worker.waitFor((l) => l.jobId === waiting.id && String(l.msg).includes('this job waits'), 30000, 'the second sync waiting');
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

describe('softwares in the API catalog shape', () => {
  const row = async (key: string) =>
    (await q(`SELECT id, name, category, auth_type, auth_config, capabilities, is_enabled, created_at, updated_at FROM softwares WHERE key = $1`, [key]))[0];

  it('migrate made buildium and rentvine as the API seed makes them', async () => {
    for (const e of PMS_SOFTWARES) {
      const r = await row(e.key);
      expect(r).toMatchObject({ name: e.name, category: 'property_manager', auth_type: 'apiKey', auth_config: e.authConfig, capabilities: e.capabilities, is_enabled: true });
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.created_at).not.toBeNull();
      expect(r.updated_at).not.toBeNull();
    }
    expect(PMS_SOFTWARES.find((e) => e.key === 'buildium')!.authConfig.requiredFields).toEqual(['clientId', 'clientSecret']);
    expect(PMS_SOFTWARES.find((e) => e.key === 'rentvine')!.authConfig.requiredFields).toEqual(['accessKey', 'secret', 'account']);
  });

  it('inserts only the missing keys and leaves a row the API made exactly as it is', async () => {
    await q(`UPDATE softwares SET name = 'Buildium (made by the API)', auth_config = '{"requiredFields":["x"]}' WHERE key = 'buildium'`);
    const before = await row('buildium');
    await q(`UPDATE pms_connections SET software_id = (SELECT id FROM softwares WHERE key = 'buildium') WHERE software_id = (SELECT id FROM softwares WHERE key = 'rentvine')`);
    await q(`DELETE FROM softwares WHERE key = 'rentvine'`);
    expect(await ensurePmsSoftwares(pool)).toEqual(['rentvine']);
    expect(await row('buildium')).toEqual(before);
    expect(await row('rentvine')).toMatchObject({ name: 'Rentvine', category: 'property_manager', auth_type: 'apiKey' });
    expect(await ensurePmsSoftwares(pool)).toEqual([]);
    expect((await q(`SELECT count(*)::int AS n FROM softwares WHERE key IN ('buildium', 'rentvine')`))[0].n).toBe(2);
  });
});
