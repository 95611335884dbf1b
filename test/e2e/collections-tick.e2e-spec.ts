/**
 * The collection tick on real Postgres (the API's collections tables) and Redis: jobs asserted in the
 * case-actions queue by exact id, collection_events and case_automation_state rows read back. The
 * engine runs in process for the precise cases (fixed instant, racing ticks); one tick goes through the
 * built worker from the collection-tick queue, with an empty payload as the previous worker sent it.
 */
import { Job, Queue } from 'bullmq';
import { createServer } from 'net';
import { DataSource } from 'typeorm';
import { createTestDatabase, openDataSource, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { runCli, startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { daytimeZone, phoneIn } from '../fakes/twilio-scenario';
import { CollectionTickEngine } from '../../src/collections/collection-tick.engine';
import { ActionRow } from '../../src/collections/tick-decision';
import {
  ensureApiCollectionsTables,
  insertAutomation,
  insertCase,
  insertStage,
  insertState,
  insertStrategy,
  insertTemplate,
  insertTenantRow,
  PHONE_HONOLULU,
  PHONE_LA,
} from './collections-fixture';

jest.setTimeout(120_000);

// Wednesday 2026-12-02 18:00 UTC: 10:00 in Los Angeles, 08:00 in Honolulu.
const AT = new Date('2026-12-02T18:00:00.000Z');
const SLOT = AT.getTime();
const ALL = { call: true, sms: true, email: true };

let db: TestDatabase;
/** The engine's connection: a TypeORM data source, as the worker gives it. */
let ds: DataSource;
let prefix: string;
let caseQueue: Queue;

async function q<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.pool.query(sql, params)).rows as T[];
}

function enqueueTo(queue: Queue) {
  return async (actions: ActionRow[]) => queue.addBulk(actions.map((a) => ({ name: a.name, data: a.payload, opts: { jobId: a.jobId } })));
}

function engine(batchSize = 500) {
  return new CollectionTickEngine(ds, enqueueTo(caseQueue), { batchSize, budgetMs: 60_000 });
}

async function jobs(): Promise<Job[]> {
  return caseQueue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized'], 0, -1);
}

async function events(caseId: string) {
  return q<{ event_type: string; channel: string | null; payload: any; automation_id: string }>(`SELECT event_type, channel, payload, automation_id FROM collection_events WHERE debt_case_id = $1 ORDER BY event_type`, [caseId]);
}

async function state(id: string) {
  const [s] = await q(`SELECT next_action_at, last_attempt_at, attempts_week_count, last_outcome, last_outcome_at, current_stage_id FROM case_automation_state WHERE id = $1`, [id]);
  return s;
}

/** A tenant with one active automation whose strategy has one stage (31+ days) with the given channels. */
async function setup(o: { channels?: Record<string, boolean>; window?: string | null; templates?: ('sms' | 'email')[]; cooldownHours?: number; tenantTimezone?: string } = {}) {
  const tenantId = await insertTenantRow(db.pool, o.tenantTimezone);
  const strategyId = await insertStrategy(db.pool, tenantId, { window: o.window ?? null, cooldownHours: o.cooldownHours ?? 24 });
  const stageId = await insertStage(db.pool, strategyId, { name: 'Late', min: 31, max: null, channels: o.channels ?? ALL });
  for (const ch of o.templates ?? ['sms', 'email']) await insertTemplate(db.pool, tenantId, ch);
  const automationId = await insertAutomation(db.pool, { tenantId, strategyId });
  const addState = async (c: { phone?: string | null; approval?: string; dpd?: number; nextActionAt?: Date | null; stageId?: string | null }) => {
    const caseId = await insertCase(db.pool, tenantId, { phone: c.phone === undefined ? PHONE_LA(1) : c.phone, approval: c.approval, dpd: c.dpd });
    const stateId = await insertState(db.pool, { caseId, automationId, strategyId, stageId: c.stageId === undefined ? stageId : c.stageId, nextActionAt: c.nextActionAt === undefined ? new Date(SLOT - 60_000) : c.nextActionAt });
    return { caseId, stateId };
  };
  return { tenantId, strategyId, stageId, automationId, addState };
}

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureApiCollectionsTables(db.pool);
  ds = await openDataSource(db.name);
  prefix = testPrefix();
  caseQueue = testQueue('case-actions', prefix);
});

afterAll(async () => {
  await caseQueue?.close();
  await cleanPrefix(prefix);
  await ds?.destroy();
  await db?.drop();
});

beforeEach(async () => {
  await caseQueue.obliterate({ force: true });
  // every test starts with no active automation: the ones a test adds are the only ones a tick sees
  await q(`UPDATE collection_automations SET status = 'paused'`);
});

describe('collection tick', () => {
  it('dispatches each enabled channel of the stage once, with ids deterministic per state and slot, and records the API events', async () => {
    const a = await setup();
    const s1 = await a.addState({ phone: PHONE_LA(11) });
    const s2 = await a.addState({ phone: PHONE_LA(12) });
    const notDue = await a.addState({ phone: PHONE_LA(13), nextActionAt: new Date(SLOT + 3600_000) });

    const r = await engine().run(AT);
    expect(r.claimed).toBe(2);
    expect(r.dispatched).toBe(2);
    expect(r.jobs).toEqual({ CALL_CASE: 2, SMS_CASE: 2, EMAIL_CASE: 2 });

    const all = await jobs();
    const ids = all.map((j) => j.id).sort();
    const expected = [s1, s2].flatMap((s) => ['CALL_CASE', 'SMS_CASE', 'EMAIL_CASE'].map((n) => `${n}-${s.stateId}-${SLOT}`)).sort();
    expect(ids).toEqual(expected);
    for (const j of all) {
      const s = [s1, s2].find((x) => j.id!.includes(x.stateId))!;
      expect(j.data).toEqual({ tenantId: a.tenantId, caseId: s.caseId, automationId: a.automationId, stateId: s.stateId });
      expect(j.id).not.toMatch(/:/);
    }

    const ev = await events(s1.caseId);
    expect(ev.map((e) => [e.event_type, e.channel, e.payload])).toEqual([
      ['call_queued', 'call', { jobId: `CALL_CASE-${s1.stateId}-${SLOT}` }],
      ['email_queued', 'email', { jobId: `EMAIL_CASE-${s1.stateId}-${SLOT}` }],
      ['sms_queued', 'sms', { jobId: `SMS_CASE-${s1.stateId}-${SLOT}` }],
    ]);
    const st = await state(s1.stateId);
    expect(st.last_attempt_at.toISOString()).toBe(AT.toISOString());
    expect(st.next_action_at.toISOString()).toBe(new Date(SLOT + 24 * 3600_000).toISOString());
    expect(st.attempts_week_count).toBe(1);
    expect(st.last_outcome).toBe('call_queued,sms_queued,email_queued');
    expect((await state(notDue.stateId)).last_attempt_at).toBeNull();
    expect(await events(notDue.caseId)).toEqual([]);

    const [auto] = await q(`SELECT last_evaluated_at, next_tick_at FROM collection_automations WHERE id = $1`, [a.automationId]);
    expect(auto.last_evaluated_at.toISOString()).toBe(AT.toISOString());
    expect(auto.next_tick_at.toISOString()).toBe(new Date(SLOT + 15 * 60_000).toISOString());

    // a second tick in the same slot finds nothing due: no job, no event
    const again = await engine().run(new Date(SLOT + 60_000));
    expect(again.claimed).toBe(0);
    expect((await jobs()).length).toBe(6);
    expect((await events(s1.caseId)).length).toBe(3);
  });

  it('two ticks racing over many states (small batches) dispatch every state exactly once', async () => {
    const a = await setup({ channels: { call: true, sms: true } });
    const states = [];
    for (let i = 0; i < 60; i++) states.push(await a.addState({ phone: PHONE_LA(100 + i) }));

    const [r1, r2] = await Promise.all([engine(7).run(AT), engine(7).run(AT)]);
    expect(r1.claimed + r2.claimed).toBe(60);
    expect(r1.dispatched + r2.dispatched).toBe(60);

    const all = await jobs();
    expect(all.length).toBe(120);
    expect(new Set(all.map((j) => j.id)).size).toBe(120);
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM collection_events WHERE automation_id = $1 AND event_type IN ('call_queued', 'sms_queued')`, [a.automationId]);
    expect(n).toBe(120);
    const perState = await q(`SELECT attempts_week_count AS a, count(*)::int AS n FROM case_automation_state WHERE automation_id = $1 GROUP BY 1`, [a.automationId]);
    expect(perState).toEqual([{ a: 1, n: 60 }]);
  });

  it("reads the strategy window at the debtor's location: a Honolulu debtor at 08:00 local is not dispatched and moves to 09:00 local", async () => {
    // 18:00 UTC is inside 09:00-20:00 by the UTC clock (the API's reading) but 08:00 in Honolulu
    const a = await setup({ window: '09:00-20:00' });
    const hnl = await a.addState({ phone: PHONE_HONOLULU(1) });
    const la = await a.addState({ phone: PHONE_LA(21) });

    const r = await engine().run(AT);
    expect(r.dispatched).toBe(1);
    expect(r.skipped).toEqual({ outside_window: 1 });
    const ids = (await jobs()).map((j) => j.id);
    expect(ids.filter((id) => id!.includes(hnl.stateId))).toEqual([]);
    expect(ids.filter((id) => id!.includes(la.stateId)).length).toBe(3);

    const st = await state(hnl.stateId);
    expect(st.next_action_at.toISOString()).toBe('2026-12-02T19:00:00.000Z'); // 09:00 HST
    expect(st.last_attempt_at).toBeNull();
    expect(st.attempts_week_count).toBe(0);
    const ev = await events(hnl.caseId);
    expect(ev.map((e) => e.event_type)).toEqual(['dispatch_skipped_outside_window']);
    expect(ev[0].payload).toMatchObject({ timezones: ['Pacific/Honolulu'], nextActionAt: '2026-12-02T19:00:00.000Z' });

    // at 09:00 HST it goes
    const later = await engine().run(new Date('2026-12-02T19:00:00.000Z'));
    expect(later.dispatched).toBe(1);
    expect((await jobs()).filter((j) => j.id!.includes(hnl.stateId)).length).toBe(3);
  });

  it("a call outside 08:00-21:00 at the debtor's location is held until the next lawful moment (the call rules)", async () => {
    const a = await setup({ channels: { call: true } });
    const hnl = await a.addState({ phone: PHONE_HONOLULU(2), nextActionAt: new Date('2026-12-02T17:00:00.000Z') });
    // 17:30 UTC = 07:30 in Honolulu
    const r = await engine().run(new Date('2026-12-02T17:30:00.000Z'));
    expect(r.dispatched).toBe(0);
    expect(r.skipped).toEqual({ 'rules:call_skipped_outside_calling_window': 1 });
    expect(await jobs()).toEqual([]);
    const st = await state(hnl.stateId);
    expect(st.next_action_at.toISOString()).toBe('2026-12-02T18:00:00.000Z'); // 08:00 HST
    expect(st.last_outcome).toBe('call_skipped_outside_calling_window');
    expect((await events(hnl.caseId)).map((e) => e.event_type)).toEqual(['call_skipped_outside_calling_window']);
  });

  it('approval pending, open dispute, missing template and no channel give the API events', async () => {
    const a = await setup({ templates: [] });
    const pending = await a.addState({ phone: PHONE_LA(31), approval: 'PENDING_APPROVAL' });
    const disputed = await a.addState({ phone: PHONE_LA(32) });
    await q(
      `INSERT INTO case_disputes (id, debt_case_id, tenant_id, status, reason, opened_at, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'OPEN', 'OTHER', now(), now(), now())`,
      [disputed.caseId, a.tenantId],
    );
    const noTemplate = await a.addState({ phone: PHONE_LA(33) });
    const noChannelStage = await insertStage(db.pool, a.strategyId, { name: 'Quiet', min: 0, max: 30, channels: { call: false, sms: false } });
    const noChannel = await a.addState({ phone: PHONE_LA(34), dpd: 10, stageId: noChannelStage });

    const r = await engine().run(AT);
    expect(r.skipped).toMatchObject({ approval_pending: 1, open_dispute: 1 });

    expect((await events(pending.caseId)).map((e) => [e.event_type, e.channel, e.payload])).toEqual([
      ['dispatch_skipped_approval_pending', null, { reason: 'Case requires approval before execution' }],
    ]);
    expect((await events(disputed.caseId)).map((e) => [e.event_type, e.channel, e.payload])).toEqual([['dispatch_skipped_open_dispute', null, { reason: 'Case has an open dispute' }]]);
    const nt = await events(noTemplate.caseId);
    expect(nt.map((e) => e.event_type)).toEqual(['call_queued', 'email_skipped_missing_template', 'sms_skipped_missing_template']);
    expect(nt.find((e) => e.event_type === 'sms_skipped_missing_template')!.payload).toEqual({
      reason: 'SMS template is not configured for this stage',
      templateReason: 'missing_active_template',
      stageId: a.stageId,
    });
    const nc = await events(noChannel.caseId);
    expect(nc.map((e) => [e.event_type, e.payload])).toEqual([['dispatch_skipped_no_channel', { stageId: noChannelStage, channels: { call: false, sms: false }, reason: 'No channel enabled in stage' }]]);

    // only the no-template case's call went out
    expect((await jobs()).map((j) => j.id)).toEqual([`CALL_CASE-${noTemplate.stateId}-${SLOT}`]);
    // held states come back at the next tick; their event is not repeated while nothing changed
    const st = await state(pending.stateId);
    expect(st.next_action_at.toISOString()).toBe(new Date(SLOT + 15 * 60_000).toISOString());
    expect(st.last_attempt_at).toBeNull();
    await engine().run(new Date(SLOT + 15 * 60_000));
    expect((await events(pending.caseId)).length).toBe(1);
    // approved: it goes
    await q(`UPDATE debt_cases SET approval_status = 'APPROVED' WHERE id = $1`, [pending.caseId]);
    await engine().run(new Date(SLOT + 30 * 60_000));
    expect((await events(pending.caseId)).map((e) => e.event_type)).toEqual(['call_queued', 'dispatch_skipped_approval_pending', 'email_skipped_missing_template', 'sms_skipped_missing_template']);
  });

  it('a failed enqueue (Redis down) fails the tick and leaves the batch untouched: no event, the states still due', async () => {
    const a = await setup({ channels: { call: true } });
    const s = await a.addState({ phone: PHONE_LA(81) });
    const broken = new CollectionTickEngine(
      ds,
      async () => {
        throw new Error('Connection is closed.');
      },
      { batchSize: 100, budgetMs: 60_000 },
    );
    await expect(broken.run(AT)).rejects.toThrow('Connection is closed.');
    expect(await events(s.caseId)).toEqual([]);
    const st = await state(s.stateId);
    expect(st.last_attempt_at).toBeNull();
    expect(st.next_action_at.getTime()).toBeLessThanOrEqual(AT.getTime());
    // the next tick dispatches it
    expect((await engine().run(AT)).jobs).toEqual({ CALL_CASE: 1 });
  });

  it("a stage's template id that is missing or inactive gives stage_template_not_found", async () => {
    const tenantId = await insertTenantRow(db.pool);
    const strategyId = await insertStrategy(db.pool, tenantId);
    const inactive = await insertTemplate(db.pool, tenantId, 'sms', { active: false });
    await insertTemplate(db.pool, tenantId, 'sms');
    const stageId = await insertStage(db.pool, strategyId, { name: 'S', min: 0, max: null, channels: { sms: true }, rules: { sms_template_id: inactive } });
    const automationId = await insertAutomation(db.pool, { tenantId, strategyId });
    const caseId = await insertCase(db.pool, tenantId, { phone: PHONE_LA(41) });
    await insertState(db.pool, { caseId, automationId, strategyId, stageId, nextActionAt: AT });
    await engine().run(AT);
    expect((await events(caseId)).map((e) => [e.event_type, e.payload.templateReason, e.payload.reason])).toEqual([
      ['sms_skipped_missing_template', 'stage_template_not_found', 'SMS template configured in stage was not found or is inactive'],
    ]);
  });

  it('cooldown, attempts per week and a paused automation keep a state from being dispatched', async () => {
    const a = await setup({ channels: { call: true }, cooldownHours: 48 });
    const cooling = await a.addState({ phone: PHONE_LA(51) });
    await q(`UPDATE case_automation_state SET last_attempt_at = $2 WHERE id = $1`, [cooling.stateId, new Date(SLOT - 24 * 3600_000)]);
    const r = await engine().run(AT);
    expect(r.skipped).toEqual({ cooldown: 1 });
    expect((await state(cooling.stateId)).next_action_at.toISOString()).toBe(new Date(SLOT + 24 * 3600_000).toISOString());

    const paused = await setup({ channels: { call: true } });
    await q(`UPDATE collection_automations SET status = 'paused' WHERE id = $1`, [paused.automationId]);
    await paused.addState({ phone: PHONE_LA(52) });
    expect((await engine().run(AT)).claimed).toBe(0);
    expect(await jobs()).toEqual([]);
  });

  it("a call of the case from elsewhere (the scheduler's flow policy) 3 h ago holds the automation's call for the cooldown; a do-not-call debtor gets no text", async () => {
    const a = await setup({ channels: { call: true, sms: true } });
    const called = await a.addState({ phone: PHONE_LA(53) });
    await q(
      `INSERT INTO interaction_logs (id, updated_at, tenant_id, debt_case_id, debtor_id, type, direction, status, outcome, started_at, created_at)
       SELECT gen_random_uuid(), now(), c.tenant_id, c.id, c.debtor_id, 'CALL', 'OUTBOUND', 'completed', 'NO_ANSWER', $2, $2 FROM debt_cases c WHERE c.id = $1`,
      [called.caseId, new Date(SLOT - 3 * 3600_000)],
    );
    const dnc = await a.addState({ phone: PHONE_LA(54) });
    await q(`INSERT INTO worker_debtor_flags (debtor_id, tenant_id, do_not_call, source) SELECT debtor_id, tenant_id, true, '{"from":"test"}' FROM debt_cases WHERE id = $1`, [dnc.caseId]);

    const r = await engine().run(AT);
    expect(r.claimed).toBe(2);
    expect((await jobs()).map((j) => j.id).sort()).toEqual([`SMS_CASE-${called.stateId}-${SLOT}`]);
    expect((await events(called.caseId)).map((e) => e.event_type)).toEqual(['call_skipped_recent_call', 'sms_queued']);
    const held = (await events(called.caseId)).find((e) => e.event_type === 'call_skipped_recent_call')!;
    expect(held.payload).toMatchObject({ rule: 'RECENT_CALL', nextAllowedAt: new Date(SLOT + 21 * 3600_000).toISOString() });
    expect((await events(dnc.caseId)).map((e) => e.event_type)).toEqual(['call_skipped_do_not_call', 'sms_skipped_do_not_call']);
    // the text went, so the state counts an attempt and waits its cooldown
    expect(await state(called.stateId)).toMatchObject({ attempts_week_count: 1, last_outcome: 'call_skipped_recent_call,sms_queued' });
  });

  it('recomputes the stage of every state from days past due before dispatching', async () => {
    const tenantId = await insertTenantRow(db.pool);
    const strategyId = await insertStrategy(db.pool, tenantId);
    const early = await insertStage(db.pool, strategyId, { name: 'Early', min: 1, max: 30, channels: { sms: true } });
    const late = await insertStage(db.pool, strategyId, { name: 'Late', min: 31, max: 90, channels: { call: true } });
    await insertTemplate(db.pool, tenantId, 'sms');
    const automationId = await insertAutomation(db.pool, { tenantId, strategyId });
    const c1 = await insertCase(db.pool, tenantId, { phone: PHONE_LA(61), dpd: 45 });
    const c2 = await insertCase(db.pool, tenantId, { phone: PHONE_LA(62), dpd: 200 }); // above every max: the last stage
    const c3 = await insertCase(db.pool, tenantId, { phone: PHONE_LA(63), dpd: 0 }); // before the first range: the first stage
    const s1 = await insertState(db.pool, { caseId: c1, automationId, strategyId, stageId: early, nextActionAt: AT });
    const s2 = await insertState(db.pool, { caseId: c2, automationId, strategyId, stageId: early, nextActionAt: AT });
    const s3 = await insertState(db.pool, { caseId: c3, automationId, strategyId, stageId: late, nextActionAt: AT });
    const r = await engine().run(AT);
    expect(r.stagesRecomputed).toBe(3);
    expect((await state(s1)).current_stage_id).toBe(late);
    expect((await state(s2)).current_stage_id).toBe(late);
    expect((await state(s3)).current_stage_id).toBe(early);
    expect((await jobs()).map((j) => j.id).sort()).toEqual([`CALL_CASE-${s1}-${SLOT}`, `CALL_CASE-${s2}-${SLOT}`, `SMS_CASE-${s3}-${SLOT}`].sort());
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('collection tick through the worker', () => {
  let worker: AppProcess;
  let tickQueue: Queue;
  let port: number;

  beforeAll(async () => {
    tickQueue = testQueue('collection-tick', prefix);
    port = await freePort();
    worker = startWorker(baseEnv(db.name, prefix, { CALLS_DRY_RUN: 'true', METRICS_PORT: String(port) }));
    await worker.waitForMsg('worker ready', 30000);
  });

  afterAll(async () => {
    await worker?.stop();
    await tickQueue?.close();
  });

  it('a tick enqueued by anyone with an empty payload runs; one with a bad payload fails naming the field', async () => {
    // the worker's tick runs at the real clock: a debtor (and tenant: the zone of a number outside the
    // NANP is the tenant's) where it is daytime now
    const day = daytimeZone();
    const a = await setup({ channels: { email: true }, tenantTimezone: day.zone });
    const s = await a.addState({ phone: phoneIn(day, 71), nextActionAt: new Date(Date.now() - 60_000) });
    await a.addState({ phone: phoneIn(day, 72), approval: 'PENDING_APPROVAL', nextActionAt: new Date(Date.now() - 60_000) });
    await a.addState({ phone: phoneIn(day, 73), approval: 'PENDING_APPROVAL', nextActionAt: new Date(Date.now() - 60_000) });
    await tickQueue.add('tick', {}, { jobId: 'tick-anyone' });
    const done = await waitForJobEnd(tickQueue, 'tick-anyone');
    expect(await done.getState()).toBe('completed');
    expect(done.returnvalue).toMatchObject({ claimed: 3, dispatched: 1, jobs: { EMAIL_CASE: 1 }, skipped: { approval_pending: 2 } });
    const emailJobs = (await jobs()).filter((j) => j.name === 'EMAIL_CASE');
    expect(emailJobs.length).toBe(1);
    expect(emailJobs[0].id).toMatch(new RegExp(`^EMAIL_CASE-${s.stateId}-\\d+$`));

    await tickQueue.add('tick', { at: 'yesterday' }, { jobId: 'tick-bad' });
    const bad = await waitForJobEnd(tickQueue, 'tick-bad');
    expect(await bad.getState()).toBe('failed');
    expect(bad.failedReason).toMatch(/job tick-bad "tick" on queue collection-tick: invalid payload: at: must be an ISO 8601 instant/);

    // the operator's view: /metrics counts the tick and its states; CLI status shows the events
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^mordecai_collection_ticks_total 1$/m);
    expect(metrics).toMatch(/^mordecai_collection_states_total\{outcome="dispatched",reason=""\} 1$/m);
    expect(metrics).toMatch(/^mordecai_collection_states_total\{outcome="skipped",reason="approval_pending"\} 2$/m);
    expect(metrics.match(/^mordecai_collection_states_total\{/gm)).toHaveLength(2);
    expect(metrics).toMatch(/^mordecai_collection_jobs_total\{name="EMAIL_CASE"\} 1$/m);
    expect(metrics).toMatch(/^mordecai_queue_jobs\{queue="collection-tick",state="failed"\} 1$/m);
    const cli = await runCli(['status', '--json'], baseEnv(db.name, prefix));
    expect(cli.code).toBe(0);
    const st = JSON.parse(cli.stdout.trim().split('\n').pop()!);
    expect(st.collections.available).toBe(true);
    const [{ n: emails }] = await q(`SELECT count(*)::int AS n FROM collection_events WHERE event_type = 'email_queued' AND created_at > now() - interval '24 hours'`);
    expect(st.collections.events24h).toEqual(expect.arrayContaining([{ event_type: 'email_queued', n: emails }]));
    expect(st.queues['collection-tick']).toMatchObject({ completed: 1, failed: 1 });
    // ticks across workers, from the completed tick jobs (the failed one ran nothing)
    expect(st.collections.ticks24h).toEqual({ ticks: 1, claimed: 3, dispatched: 1, skipped: { approval_pending: 2 }, jobs: { EMAIL_CASE: 1 }, lastTickAt: done.returnvalue.at });
    const text = await runCli(['status'], baseEnv(db.name, prefix));
    expect(text.stdout).toContain('Ticks of the last 24 hours: 1 tick(s), 3 due state(s), 1 dispatched (1 EMAIL_CASE)');
    expect(text.stdout).toMatch(/^approval_pending\s+2$/m);
  });
});
