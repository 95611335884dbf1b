import { randomUUID } from 'crypto';
import { DateTime } from 'luxon';
import { Queue } from 'bullmq';
import { createTestDatabase, openDataSource, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startScheduler } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue } from '../utils/queues';
import { inWindow, loadCallRuleInputs, nextLawfulMoment } from '../../src/calls/rules';

/**
 * The scheduler app end to end (built dist/main-scheduler.js, real Postgres and Redis): two schedulers
 * racing, held cases and their next_action_at, the dry-run report, cron mode, and the rule-input loader.
 * Clock-dependent rules are made deterministic with fixed-offset zones (Etc/GMT±N) chosen from the
 * current UTC hour, and a toll-free number (its area code is not a time-zone candidate).
 */

jest.setTimeout(120_000);

const H = 3600_000;
const TOLL_FREE = '+18004567890';

/** A fixed-offset zone where the local hour now and 2 hours from now satisfies `ok`. */
function zoneWhere(ok: (hour: number) => boolean): string {
  for (let off = -12; off <= 14; off++) {
    const zone = off === 0 ? 'Etc/GMT' : off > 0 ? `Etc/GMT-${off}` : `Etc/GMT+${-off}`;
    const now = DateTime.now().setZone(zone);
    if (ok(now.hour) && ok(now.plus({ hours: 2 }).hour)) return zone;
  }
  throw new Error('no zone found');
}
const LAWFUL = zoneWhere((h) => h >= 9 && h <= 17);
const NIGHT = zoneWhere((h) => h >= 1 && h <= 5);

let db: TestDatabase;
let prefix: string;
let queue: Queue;
let softwareId: string;

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.pool.query(sql, params)).rows as T[];
}

async function tenant(): Promise<{ tenantId: string; policyId: string; offPolicyId: string; inactivePolicyId: string }> {
  const tenantId = randomUUID();
  await q(`INSERT INTO tenants (created_at, updated_at, id, name, timezone) VALUES (now(), now(), $1, 'T', 'America/New_York')`, [tenantId]);
  const [p] = await q<{ id: string }>(`INSERT INTO flow_policies (id, created_at, updated_at, tenant_id, name, min_days_past_due, channels, is_active) VALUES (gen_random_uuid(), now(), now(), $1, 'call', 0, '{"call":true}', true) RETURNING id`, [tenantId]);
  const [off] = await q<{ id: string }>(`INSERT INTO flow_policies (id, created_at, updated_at, tenant_id, name, min_days_past_due, channels, is_active) VALUES (gen_random_uuid(), now(), now(), $1, 'sms', 0, '{"call":false,"sms":true}', true) RETURNING id`, [tenantId]);
  const [ina] = await q<{ id: string }>(`INSERT INTO flow_policies (id, created_at, updated_at, tenant_id, name, min_days_past_due, channels, is_active) VALUES (gen_random_uuid(), now(), now(), $1, 'old', 0, '{"call":true}', false) RETURNING id`, [tenantId]);
  return { tenantId, policyId: p.id, offPolicyId: off.id, inactivePolicyId: ina.id };
}

interface CaseOpts {
  phone?: string | null;
  timezone?: string | null;
  doNotCall?: boolean;
  debtorMetadata?: Record<string, unknown>;
  status?: string;
  approval?: string;
  amount?: number;
  nextActionAt?: Date | null;
  meta?: Record<string, unknown>;
  closedAt?: Date | null;
  policyId?: string;
}

async function makeCase(t: { tenantId: string; policyId: string }, o: CaseOpts = {}): Promise<string> {
  const [d] = await q<{ id: string }>(
    `INSERT INTO debtors (id, created_at, updated_at, tenant_id, full_name, phone, metadata) VALUES (gen_random_uuid(), now(), now(), $1, 'D', $2, $3) RETURNING id`,
    [t.tenantId, o.phone === undefined ? TOLL_FREE : o.phone, JSON.stringify(o.debtorMetadata ?? {})],
  );
  await q(`INSERT INTO worker_debtor_flags (debtor_id, tenant_id, timezone, do_not_call) VALUES ($1, $2, $3, $4)`, [
    d.id,
    t.tenantId,
    o.timezone === undefined ? LAWFUL : o.timezone,
    o.doNotCall ?? false,
  ]);
  const [c] = await q<{ id: string }>(
    `INSERT INTO debt_cases (id, created_at, updated_at, tenant_id, debtor_id, flow_policy_id, amount_due_cents, days_past_due, status, approval_status, next_action_at, meta, closed_at)
     VALUES (gen_random_uuid(), now(), now(), $1, $2, $3, $4, 30, $5, $6, $7, $8, $9) RETURNING id`,
    [t.tenantId, d.id, o.policyId ?? t.policyId, o.amount ?? 50000, o.status ?? 'NEW', o.approval ?? 'APPROVED', o.nextActionAt === undefined ? null : o.nextActionAt, JSON.stringify(o.meta ?? {}), o.closedAt ?? null],
  );
  return c.id;
}

async function call(tenantId: string, caseId: string, at: Date, o: { status?: string; outcome?: string | null; direction?: string } = {}) {
  await q(
    `INSERT INTO interaction_logs (id, updated_at, tenant_id, debt_case_id, debtor_id, type, direction, status, outcome, started_at, created_at)
     SELECT gen_random_uuid(), now(), $1, $2, c.debtor_id, 'CALL', $3, $4, $5, $6, $6 FROM debt_cases c WHERE c.id = $2`,
    [tenantId, caseId, o.direction ?? 'OUTBOUND', o.status ?? 'completed', o.outcome ?? 'NO_ANSWER', at.toISOString()],
  );
}

interface RunResult {
  kind: string;
  calls: {
    slot: string;
    selected: number;
    called: number;
    held: number;
    heldByReason: Record<string, number>;
    notSelectedByLimits?: number;
    calls?: { caseId: string; jobId: string }[];
    holds?: { caseId: string; reason: string; detail: string; nextAllowedAt: string | null; nextActionAt: string }[];
  };
}

async function runOnce(extra: Record<string, string> = {}, args = ['--once']): Promise<{ result: RunResult; proc: AppProcess }> {
  const proc = startScheduler(baseEnv(db.name, prefix, { SYNC_INTERVAL_HOURS: '0', ...extra }), args);
  const exit = await proc.exited;
  const line = proc.lines.find((l) => l.kind === 'scheduler-run') as unknown as RunResult | undefined;
  if (exit.code !== 0 || !line) throw new Error(`scheduler exited ${exit.code}; output:\n${proc.raw.slice(-20).join('\n')}`);
  return { result: line, proc };
}

async function callJobs(): Promise<{ id: string; caseId: string; tenantId: string; attempts: number; backoff: unknown }[]> {
  const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized'], 0, -1);
  return jobs
    .filter((j) => j.name === 'CALL_CASE')
    .map((j) => ({ id: j.id!, caseId: j.data.caseId, tenantId: j.data.tenantId, attempts: j.opts.attempts ?? 0, backoff: j.opts.backoff }));
}

async function caseRow(id: string) {
  const [r] = await q<{ next_action_at: Date | null; meta: Record<string, unknown>; status: string; updated_at: Date }>(
    'SELECT next_action_at, meta, status, updated_at FROM debt_cases WHERE id = $1',
    [id],
  );
  return r;
}

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = testPrefix();
  queue = testQueue('case-actions', prefix);
  const [s] = await q<{ id: string }>(`INSERT INTO softwares (id, created_at, updated_at, key, name, category, auth_type) VALUES (gen_random_uuid(), now(), now(), 'sched-e2e', 'Sched', 'property_manager', 'none') ON CONFLICT (key) DO UPDATE SET name = excluded.name RETURNING id`);
  softwareId = s.id;
});

afterAll(async () => {
  await queue?.close();
  await cleanPrefix(prefix);
  await db?.drop();
});

describe('two schedulers racing on one database', () => {
  it('enqueue every due case exactly once (claims are disjoint, job ids deterministic)', async () => {
    const tenants = [await tenant(), await tenant(), await tenant()];
    const ids: string[] = [];
    for (const t of tenants) for (let i = 0; i < 8; i++) ids.push(await makeCase(t, { nextActionAt: i % 2 ? null : new Date(Date.now() - i * H) }));
    const env = baseEnv(db.name, prefix, { SYNC_INTERVAL_HOURS: '0', SCHEDULER_PER_TENANT_LIMIT: '5' });
    const a = startScheduler(env, ['--once']);
    const b = startScheduler(env, ['--once']);
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect([ea.code, eb.code]).toEqual([0, 0]);
    const ra = a.lines.find((l) => l.kind === 'scheduler-run') as unknown as RunResult;
    const rb = b.lines.find((l) => l.kind === 'scheduler-run') as unknown as RunResult;
    // 5 per tenant per process: together they can take all 24, never one case twice
    expect(ra.calls.called + rb.calls.called).toBeLessThanOrEqual(24);
    expect(ra.calls.held + rb.calls.held).toBe(0);
    let jobs = await callJobs();
    expect(jobs.length).toBe(ra.calls.called + rb.calls.called);
    expect(new Set(jobs.map((j) => j.caseId)).size).toBe(jobs.length);

    // a third pass takes what is left; then nothing is due
    const { result: rc } = await runOnce({ SCHEDULER_PER_TENANT_LIMIT: '10' });
    expect(ra.calls.called + rb.calls.called + rc.calls.called).toBe(24);
    jobs = await callJobs();
    expect(jobs.map((j) => j.caseId).sort()).toEqual([...ids].sort());
    for (const j of jobs) {
      expect(j.id).toMatch(new RegExp(`^CALL_CASE-sched-${j.caseId}-\\d{12}$`));
      expect(j.id).not.toContain(':');
      expect(j.attempts).toBe(3);
      expect(j.backoff).toEqual({ type: 'exponential', delay: 2000, jitter: 0.2 });
    }
    const { result: rd } = await runOnce();
    expect(rd.calls.selected).toBe(0);
    expect((await callJobs()).length).toBe(24);

    // claimed cases were pushed forward by the cooldown (360 min), with no hold recorded
    const rows = await q<{ next_action_at: Date; meta: Record<string, unknown> }>('SELECT next_action_at, meta FROM debt_cases WHERE id = ANY($1)', [ids]);
    for (const r of rows) {
      expect(r.next_action_at.getTime()).toBeGreaterThan(Date.now() + 350 * 60_000);
      expect(r.meta.callHold).toBeUndefined();
    }
  });
});

describe('held cases', () => {
  it('get next_action_at at the earliest lawful moment (or a re-check) and the reason in meta.callHold', async () => {
    const t = await tenant();
    const other = await tenant();
    const now = Date.now();
    const conn = randomUUID();
    await q(`INSERT INTO pms_connections (created_at, updated_at, id, tenant_id, software_id, status) VALUES (now(), now(), $1, $2, $3, 'connected')`, [conn, t.tenantId, softwareId]);
    const [pd] = await q<{ id: string }>(
      `INSERT INTO pms_debtors (id, created_at, updated_at, tenant_id, pms_connection_id, external_id, display_name, do_not_contact) VALUES (gen_random_uuid(), now(), now(), $1, $2, 'x1', 'P', true) RETURNING id`,
      [t.tenantId, conn],
    );
    const c = {
      night: await makeCase(t, { timezone: NIGHT }),
      dnc: await makeCase(t, { doNotCall: true }),
      pmsDnContact: await makeCase(t, { debtorMetadata: { pms_debtor_id: pd.id } }),
      dispute: await makeCase(t),
      resolvedDispute: await makeCase(t),
      invalidPhone: await makeCase(t, { phone: '12345' }),
      notApproved: await makeCase(t, { approval: 'PENDING_APPROVAL' }),
      mismatch: await makeCase(t, { meta: { reconciliation: { mismatch: true } } }),
      weekly: await makeCase(t),
      simulated: await makeCase(t),
      sixInWindow: await makeCase(t),
      conversation: await makeCase(t),
      inProgress: await makeCase(t, { status: 'IN_PROGRESS' }),
      closed: await makeCase(t, { status: 'IN_PROGRESS', closedAt: new Date(now - 24 * H) }),
      zero: await makeCase(t, { amount: 0 }),
      // never selected
      demo: await makeCase(t, { meta: { source: 'demo-ui' } }),
      smsOnly: await makeCase(t, { policyId: t.offPolicyId }),
      inactivePolicy: await makeCase(t, { policyId: t.inactivePolicyId }),
      // a policy of another tenant (a data error) does not make the case callable
      foreignPolicy: await makeCase(t, { policyId: other.policyId }),
      contacted: await makeCase(t, { status: 'CONTACTED' }),
      future: await makeCase(t, { nextActionAt: new Date(now + 2 * H) }),
    };
    await q(`INSERT INTO case_disputes (id, created_at, updated_at, debt_case_id, tenant_id, status, reason) VALUES (gen_random_uuid(), now(), now(), $1, $2, 'WAITING_DEBTOR', 'OTHER'), (gen_random_uuid(), now(), now(), $3, $2, 'RESOLVED', 'OTHER')`, [c.dispute, t.tenantId, c.resolvedDispute]);
    const oldest = new Date(now - 167 * H);
    for (const at of [oldest, ...[100, 80, 60, 40, 20, 2].map((h) => new Date(now - h * H))]) await call(t.tenantId, c.weekly, at);
    for (const h of [150, 120, 100, 80, 60, 40, 20]) await call(t.tenantId, c.simulated, new Date(now - h * H), { status: 'simulated' });
    for (const h of [169, 150, 120, 100, 80, 60, 20]) await call(t.tenantId, c.sixInWindow, new Date(now - h * H));
    const convAt = new Date(now - 30 * H);
    await call(t.tenantId, c.conversation, convAt, { outcome: 'PROMISE_TO_PAY' });
    await call(t.tenantId, c.inProgress, new Date(now - 60_000), { status: 'in_progress', outcome: null });

    const before = await caseRow(c.demo);
    const { result } = await runOnce({ SCHEDULER_TENANT_ID: t.tenantId, SCHEDULER_PER_TENANT_LIMIT: '50' });
    const ranAt = Date.now();

    expect(result.calls.selected).toBe(15);
    expect(result.calls.called).toBe(3);
    expect(result.calls.heldByReason).toEqual({
      OUTSIDE_CALLING_WINDOW: 1,
      DO_NOT_CALL: 1,
      DO_NOT_CONTACT: 1,
      OPEN_DISPUTE: 1,
      INVALID_PHONE: 1,
      NOT_APPROVED: 1,
      RECONCILIATION_MISMATCH: 1,
      WEEKLY_ATTEMPT_LIMIT: 1,
      RECENT_CONVERSATION: 1,
      CALL_IN_PROGRESS: 1,
      CASE_CLOSED: 1,
      ZERO_BALANCE: 1,
    });
    const jobs = await callJobs();
    expect(jobs.filter((j) => j.tenantId === t.tenantId).map((j) => j.caseId).sort()).toEqual([c.resolvedDispute, c.simulated, c.sixInWindow].sort());

    const hold = async (id: string) => (await caseRow(id)).meta.callHold as { reason: string; until: string | null; recheckAt: string; permanent: boolean; detail: string };
    // time-based holds: exactly the earliest lawful moment
    const nightNext = nextLawfulMoment(new Date(now), [NIGHT])!;
    expect((await caseRow(c.night)).next_action_at?.toISOString()).toBe(nightNext.toISOString());
    expect(await hold(c.night)).toMatchObject({ reason: 'OUTSIDE_CALLING_WINDOW', until: nightNext.toISOString(), permanent: false });
    expect(DateTime.fromJSDate(nightNext).setZone(NIGHT).toFormat('HH:mm')).toBe('08:00');

    const weeklyNext = new Date(oldest.getTime() + 168 * H);
    expect(inWindow(weeklyNext, LAWFUL)).toBe(true);
    expect((await caseRow(c.weekly)).next_action_at?.toISOString()).toBe(weeklyNext.toISOString());
    expect(await hold(c.weekly)).toMatchObject({ reason: 'WEEKLY_ATTEMPT_LIMIT', until: weeklyNext.toISOString() });

    const convRelease = DateTime.fromJSDate(convAt).setZone(LAWFUL).startOf('day').plus({ days: 7 }).toJSDate();
    const convNext = nextLawfulMoment(convRelease, [LAWFUL])!;
    expect((await caseRow(c.conversation)).next_action_at?.toISOString()).toBe(convNext.toISOString());
    expect(await hold(c.conversation)).toMatchObject({ reason: 'RECENT_CONVERSATION', until: convNext.toISOString() });

    const ip = (await caseRow(c.inProgress)).next_action_at!.getTime();
    expect(ip).toBeGreaterThanOrEqual(now + 15 * 60_000 - 1000);
    expect(ip).toBeLessThanOrEqual(ranAt + 15 * 60_000 + 1000);
    expect((await hold(c.inProgress)).reason).toBe('CALL_IN_PROGRESS');

    // holds that only new data can lift: re-checked after the cooldown, until = null, permanent
    for (const [id, reason] of [
      [c.dnc, 'DO_NOT_CALL'],
      [c.pmsDnContact, 'DO_NOT_CONTACT'],
      [c.dispute, 'OPEN_DISPUTE'],
      [c.invalidPhone, 'INVALID_PHONE'],
      [c.notApproved, 'NOT_APPROVED'],
      [c.mismatch, 'RECONCILIATION_MISMATCH'],
      [c.closed, 'CASE_CLOSED'],
      [c.zero, 'ZERO_BALANCE'],
    ] as const) {
      const row = await caseRow(id);
      expect(row.meta.callHold).toMatchObject({ reason, until: null, permanent: true });
      expect(row.next_action_at!.getTime()).toBeGreaterThanOrEqual(now + 360 * 60_000 - 1000);
      expect(row.next_action_at!.getTime()).toBeLessThanOrEqual(ranAt + 360 * 60_000 + 1000);
    }
    expect((await caseRow(c.invalidPhone)).status).toBe('NEW'); // status is left to CALL_CASE / the API

    // never selected: untouched
    for (const id of [c.demo, c.smsOnly, c.inactivePolicy, c.foreignPolicy, c.contacted]) expect((await caseRow(id)).next_action_at).toBeNull();
    expect((await caseRow(c.future)).next_action_at!.getTime()).toBe(new Date(now + 2 * H).getTime());
    expect((await caseRow(c.demo)).updated_at.getTime()).toBe(before.updated_at.getTime());

    // SCHEDULER_INCLUDE_DEMO_CASES=true picks the demo case up
    const { result: withDemo } = await runOnce({ SCHEDULER_TENANT_ID: t.tenantId, SCHEDULER_INCLUDE_DEMO_CASES: 'true' });
    expect(withDemo.calls.called).toBe(1);
    expect((await callJobs()).some((j) => j.caseId === c.demo)).toBe(true);

    // a held case called later: the hold is removed when it is claimed for a call
    await q(`UPDATE debt_cases SET next_action_at = now() - interval '1 minute' WHERE id = $1`, [c.dnc]);
    await q(`UPDATE worker_debtor_flags SET do_not_call = false WHERE debtor_id = (SELECT debtor_id FROM debt_cases WHERE id = $1)`, [c.dnc]);
    const { result: again } = await runOnce({ SCHEDULER_TENANT_ID: t.tenantId });
    expect(again.calls.called).toBe(1);
    expect((await caseRow(c.dnc)).meta.callHold).toBeUndefined();
  });
});

describe('dry run', () => {
  it('lists who would be called and why each other due case is held; writes nothing, enqueues nothing', async () => {
    const t = await tenant();
    const now = Date.now();
    const lawful1 = await makeCase(t, { nextActionAt: null });
    const dnc = await makeCase(t, { doNotCall: true, nextActionAt: new Date(now - 3 * H) });
    const night = await makeCase(t, { timezone: NIGHT, nextActionAt: new Date(now - 2 * H) });
    const lawful2 = await makeCase(t, { nextActionAt: new Date(now - 1 * H) });
    const snapshot = await q('SELECT id, next_action_at, meta, updated_at FROM debt_cases WHERE tenant_id = $1 ORDER BY id', [t.tenantId]);
    const jobsBefore = (await callJobs()).length;

    const { result } = await runOnce({ SCHEDULER_TENANT_ID: t.tenantId, SCHEDULER_PER_TENANT_LIMIT: '3' }, ['--dry-run']);
    expect(result.calls.selected).toBe(3);
    expect(result.calls.notSelectedByLimits).toBe(1);
    expect(result.calls.calls!.map((x) => x.caseId)).toEqual([lawful1]);
    const holds = Object.fromEntries(result.calls.holds!.map((h) => [h.caseId, h]));
    expect(Object.keys(holds).sort()).toEqual([dnc, night].sort());
    expect(holds[dnc]).toMatchObject({ reason: 'DO_NOT_CALL', nextAllowedAt: null });
    expect(holds[night]).toMatchObject({ reason: 'OUTSIDE_CALLING_WINDOW', nextAllowedAt: nextLawfulMoment(new Date(now), [NIGHT])!.toISOString() });
    expect(holds[night].detail).toContain(NIGHT);
    expect(result.calls.heldByReason).toEqual({ DO_NOT_CALL: 1, OUTSIDE_CALLING_WINDOW: 1 });
    expect(lawful2).toBeDefined();

    expect(await q('SELECT id, next_action_at, meta, updated_at FROM debt_cases WHERE tenant_id = $1 ORDER BY id', [t.tenantId])).toEqual(snapshot);
    expect((await callJobs()).length).toBe(jobsBefore);
  });

  it('rejects unknown arguments with exit code 2', async () => {
    const proc = startScheduler(baseEnv(db.name, prefix), ['--onse']);
    expect((await proc.exited).code).toBe(2);
    expect(proc.raw.join('\n')).toContain('unknown argument');
  });
});

describe('cron mode', () => {
  it('runs passes on SCHEDULER_CRON and enqueues', async () => {
    const t = await tenant();
    const id = await makeCase(t);
    const proc = startScheduler(baseEnv(db.name, prefix, { SYNC_INTERVAL_HOURS: '0', SCHEDULER_TENANT_ID: t.tenantId, SCHEDULER_CRON: '*/1 * * * * *' }));
    try {
      await proc.waitForMsg('scheduler started', 30000);
      await proc.waitFor((l) => String(l.msg ?? '').startsWith('scheduler pass: 1 call(s) enqueued'), 30000, 'a pass that enqueues');
      expect((await callJobs()).filter((j) => j.caseId === id)).toHaveLength(1);
    } finally {
      await proc.stop();
    }
  });
});

describe('rule-input loader (one query per batch)', () => {
  it('counts outbound attempts of 14 days except simulated ones, finds the last conversation, PMS flags and property address', async () => {
    const t = await tenant();
    const conn = randomUUID();
    await q(`INSERT INTO pms_connections (created_at, updated_at, id, tenant_id, software_id, status) VALUES (now(), now(), $1, $2, $3, 'connected')`, [conn, t.tenantId, softwareId]);
    const [pd] = await q<{ id: string }>(
      `INSERT INTO pms_debtors (id, created_at, updated_at, tenant_id, pms_connection_id, external_id, display_name, do_not_call, timezone, phone) VALUES (gen_random_uuid(), now(), now(), $1, $2, 'x2', 'P', true, 'America/Chicago', '+13125550100') RETURNING id`,
      [t.tenantId, conn],
    );
    const [prop] = await q<{ id: string }>(
      `INSERT INTO pms_properties (id, created_at, updated_at, tenant_id, pms_connection_id, external_id, address) VALUES (gen_random_uuid(), now(), now(), $1, $2, 'p1', '{"state":"CO","postalCode":"80202"}') RETURNING id`,
      [t.tenantId, conn],
    );
    const [lease] = await q<{ id: string }>(
      `INSERT INTO pms_leases (id, created_at, updated_at, tenant_id, pms_connection_id, external_id, pms_debtor_id, pms_property_id) VALUES (gen_random_uuid(), now(), now(), $1, $2, 'l1', $3, $4) RETURNING id`,
      [t.tenantId, conn, pd.id, prop.id],
    );
    const id = await makeCase(t, { phone: null, timezone: null });
    await q('UPDATE debt_cases SET pms_lease_id = $2 WHERE id = $1', [id, lease.id]);
    const now = new Date();
    await call(t.tenantId, id, new Date(now.getTime() - 24 * H));
    await call(t.tenantId, id, new Date(now.getTime() - 48 * H), { status: 'failed', outcome: 'FAILED' });
    await call(t.tenantId, id, new Date(now.getTime() - 50 * H), { status: 'simulated' });
    await call(t.tenantId, id, new Date(now.getTime() - 15 * 24 * H));
    await call(t.tenantId, id, new Date(now.getTime() - 3 * H), { direction: 'INBOUND', outcome: 'CONNECTED' });
    await q(`INSERT INTO case_disputes (id, created_at, updated_at, debt_case_id, tenant_id, status, reason) VALUES (gen_random_uuid(), now(), now(), $1, $2, 'OPEN', 'WRONG_AMOUNT')`, [id, t.tenantId]);

    const ds = await openDataSource(db.name);
    const input = await loadCallRuleInputs(ds, [id], now)
      .then((m) => m.get(id)!)
      .finally(() => ds.destroy());
    expect(input.recentAttempts.map((d) => d.getTime())).toEqual([now.getTime() - 24 * H, now.getTime() - 48 * H]);
    expect(input.lastConversationAt?.getTime()).toBe(now.getTime() - 3 * H);
    expect(input).toMatchObject({ doNotCall: true, doNotContact: false, debtorTimezone: 'America/Chicago', phone: '+13125550100', propertyState: 'CO', propertyPostalCode: '80202', hasOpenDispute: true, callInProgress: false, tenantTimezone: 'America/New_York' });
  });
});
