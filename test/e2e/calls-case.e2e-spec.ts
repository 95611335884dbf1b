/**
 * CALL_CASE end to end: the built worker process, real Postgres and Redis, the fake Twilio server
 * (real HTTP on loopback) reached through the official SDK via TWILIO_API_BASE_URL.
 */
import { Queue } from 'bullmq';
import { randomUUID } from 'crypto';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_ENCRYPTION_KEY } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { FakeTwilioServer } from '../fakes/twilio-server';
import { daytimeZone, nighttimeZone, phoneIn, seedCase, seedSandboxConnection, seedTenant } from '../fakes/twilio-scenario';
import { verifyVoiceUrl } from '../../src/calls/voice-context';
import { encryptCredentials } from '../../src/common/credentials-crypto';

const SECRET = 'e2e-voice-secret';
const FROM = '+15005550006';
const VOICE_URL = 'https://api.mordecai.test/voice/twiml';
const CALLBACK_URL = 'https://api.mordecai.test/voice/status';

let db: TestDatabase;
let prefix: string;
let twilio: FakeTwilioServer;
let worker: AppProcess | null = null;
let queue: Queue;
let tenantId: string;
let seq = 0;
const day = daytimeZone();

function env(extra: Record<string, string> = {}): Record<string, string> {
  return baseEnv(db.name, prefix, {
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM_NUMBER: FROM,
    TWILIO_VOICE_URL: VOICE_URL,
    TWILIO_STATUS_CALLBACK_URL: CALLBACK_URL,
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_MACHINE_DETECTION: 'DetectMessageEnd',
    TWILIO_RING_TIMEOUT_SECONDS: '25',
    TWILIO_HTTP_TIMEOUT_MS: '3000',
    TWILIO_CPS: '20',
    CALL_CONTEXT_HMAC_SECRET: SECRET,
    WORKER_CONCURRENCY: '4',
    ...extra,
  });
}

async function startCallWorker(extra: Record<string, string> = {}): Promise<void> {
  worker = startWorker(env(extra));
  await worker.waitForMsg('worker ready', 30000);
}

async function callJob(caseId: string, opts: { tenant?: string; attempts?: number } = {}) {
  const jobId = `e2e-call-${++seq}`;
  await queue.add('CALL_CASE', { tenantId: opts.tenant ?? tenantId, caseId }, { jobId, attempts: opts.attempts ?? 3, backoff: { type: 'exponential', delay: 200 } });
  return waitForJobEnd(queue, jobId, 60000);
}

async function interactions(caseId: string) {
  return (await db.pool.query(`SELECT il.*, wi.idempotency_key, wi.evidence, wi.attempts FROM interaction_logs il LEFT JOIN worker_interactions wi ON wi.interaction_log_id = il.id WHERE il.debt_case_id = $1 ORDER BY il.created_at`, [caseId])).rows;
}

async function caseRow(caseId: string) {
  return (await db.pool.query(`SELECT * FROM debt_cases WHERE id = $1`, [caseId])).rows[0];
}

let phoneSeq = 0;
async function newCase(extra: Partial<Parameters<typeof seedCase>[1]> = {}) {
  return seedCase(db.pool, { tenantId, phone: phoneIn(day, ++phoneSeq), timezone: day.zone, ...extra });
}

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = testPrefix();
  twilio = new FakeTwilioServer();
  await twilio.start();
  queue = testQueue('case-actions', prefix);
  tenantId = await seedTenant(db.pool, day.zone);
  await startCallWorker();
});

afterAll(async () => {
  await worker?.stop();
  await queue?.close();
  await twilio?.stop();
  await cleanPrefix(prefix);
  await db?.drop();
});

beforeEach(() => {
  twilio.reset();
});

describe('CALL_CASE happy path', () => {
  it('records one interaction, makes exactly one Twilio request whose signed Url verifies, and updates the case', async () => {
    const { caseId } = await newCase();
    const job = await callJob(caseId);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ called: true, status: 'in_progress' });

    const dials = twilio.dialRequests();
    expect(dials).toHaveLength(1);
    expect(twilio.calls).toHaveLength(1);
    const req = dials[0];
    expect(req.authorized).toBe(true);
    expect(req.form.To).toBe(phoneIn(day, phoneSeq));
    expect(req.form.From).toBe(FROM);
    expect(req.form.Timeout).toBe('25');
    expect(req.form.MachineDetection).toBe('DetectMessageEnd');

    const rows = await interactions(caseId);
    expect(rows).toHaveLength(1);
    const il = rows[0];
    expect(il.provider_ref).toBe(twilio.calls[0].sid);
    expect(il.status).toBe('in_progress');
    expect(il.started_at).not.toBeNull();
    expect(il.idempotency_key).toBe(`CALL_CASE:${caseId}:-:${job.id}:${job.timestamp}`);
    expect(new URL(req.form.StatusCallback).searchParams.get('il')).toBe(il.id);

    // The Url verifies with the API's algorithm, for this interaction, tenant and case.
    expect(req.form.Url.startsWith(`${VOICE_URL}?`)).toBe(true);
    expect(verifyVoiceUrl(req.form.Url, { tenantId, caseId }, SECRET)).toEqual({ ok: true, interactionId: il.id });
    expect(verifyVoiceUrl(req.form.Url, { tenantId, caseId: randomUUID() }, SECRET).ok).toBe(false);
    expect(verifyVoiceUrl(req.form.Url, { tenantId, caseId }, 'other-secret').ok).toBe(false);

    // Evidence (docs/call-rules.md, evidence).
    expect(il.evidence.balance).toMatchObject({ amountDueCents: 125000, daysPastDue: 35 });
    expect(il.evidence.rules.decision).toBe('allowed');
    expect(il.evidence.rules.timezones[0]).toMatchObject({ zone: day.zone });
    expect(il.evidence.rules.checks).toEqual(expect.arrayContaining(['phone valid', 'not do_not_call']));
    expect(il.evidence.dialAttemptedAt).toBeTruthy();
    expect(il.evidence.data).toHaveProperty('syncRunId');

    const c = await caseRow(caseId);
    expect(c.status).toBe('IN_PROGRESS');
    expect(c.last_contacted_at).not.toBeNull();
    expect(new Date(c.next_action_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('never places a second live call for the same case (another job is held, no dial)', async () => {
    const { caseId } = await newCase();
    const first = await callJob(caseId);
    expect(first.returnvalue.called).toBe(true);
    const second = await callJob(caseId);
    expect(second.returnvalue).toMatchObject({ called: false, reason: 'CALL_IN_PROGRESS' });
    expect(twilio.dialRequests()).toHaveLength(1);
    expect(await interactions(caseId)).toHaveLength(1);
  });

  it('fails without retry when the tenant does not own the case', async () => {
    const { caseId } = await newCase();
    const job = await callJob(caseId, { tenant: randomUUID() });
    expect(job.failedReason).toMatch(/must own the case/);
    expect(job.attemptsMade).toBe(1);
    expect(twilio.dialRequests()).toHaveLength(0);
    expect(await interactions(caseId)).toHaveLength(0);
  });
});

describe('CALL_CASE rules at dial time', () => {
  it('a missing or invalid phone: case INVALID_CONTACT, interaction FAILED with the reason, no call', async () => {
    for (const phone of ['12345', null]) {
      const { caseId } = await newCase({ phone });
      const job = await callJob(caseId);
      expect(job.returnvalue).toMatchObject({ called: false, reason: 'INVALID_PHONE' });
      const rows = await interactions(caseId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'failed', outcome: 'FAILED', provider_ref: null });
      expect(rows[0].error.reason).toBe('INVALID_PHONE');
      expect((await caseRow(caseId)).status).toBe('INVALID_CONTACT');
    }
    expect(twilio.dialRequests()).toHaveLength(0);
  });

  it('outside the calling window: no dial, next_action_at moves to the next lawful moment, the reason is recorded', async () => {
    const night = nighttimeZone();
    const { caseId } = await seedCase(db.pool, { tenantId, phone: phoneIn(night, 77), timezone: night.zone });
    const job = await callJob(caseId);
    expect(job.returnvalue).toMatchObject({ called: false, reason: 'OUTSIDE_CALLING_WINDOW' });
    const c = await caseRow(caseId);
    expect(new Date(c.next_action_at).toISOString()).toBe(job.returnvalue.nextAllowedAt);
    expect(new Date(c.next_action_at).getTime()).toBeGreaterThan(Date.now());
    expect(c.meta.callHold.reason).toBe('OUTSIDE_CALLING_WINDOW');
    expect(twilio.dialRequests()).toHaveLength(0);
    expect(await interactions(caseId)).toHaveLength(0);
  });

  it('a second call of the case within the hour, from another path, is held at dial time until an hour after the first started', async () => {
    const { caseId } = await newCase();
    const first = await callJob(caseId);
    expect(first.returnvalue.called).toBe(true);
    // the first call ended unanswered (as Twilio's status callback or the reconciliation records it)
    await db.pool.query(`UPDATE interaction_logs SET status = 'no_answer', outcome = 'NO_ANSWER', ended_at = now() WHERE debt_case_id = $1`, [caseId]);
    const [{ started_at: startedAt }] = await interactions(caseId);
    const second = await callJob(caseId);
    expect(second.returnvalue).toMatchObject({ called: false, reason: 'RECENT_CALL' });
    expect(second.returnvalue.detail).toBe(`a call of this case started at ${new Date(startedAt).toISOString()}: the next may start 60 min after it`);
    // an hour after the first started, or later when that falls outside the calling window
    expect(new Date(second.returnvalue.nextAllowedAt).getTime()).toBeGreaterThanOrEqual(new Date(startedAt).getTime() + 3_600_000);
    const c = await caseRow(caseId);
    expect(c.meta.callHold.reason).toBe('RECENT_CALL');
    expect(new Date(c.next_action_at).toISOString()).toBe(second.returnvalue.nextAllowedAt);
    expect(twilio.dialRequests()).toHaveLength(1);
    expect(await interactions(caseId)).toHaveLength(1);
  });

  it('do_not_call and a closed case are held without a dial', async () => {
    const a = await newCase();
    await db.pool.query(`UPDATE worker_debtor_flags SET do_not_call = true WHERE debtor_id = $1`, [a.debtorId]);
    const b = await newCase({ status: 'PAID' });
    expect((await callJob(a.caseId)).returnvalue).toMatchObject({ called: false, reason: 'DO_NOT_CALL' });
    expect((await callJob(b.caseId)).returnvalue).toMatchObject({ called: false, reason: 'CASE_CLOSED' });
    expect(twilio.dialRequests()).toHaveLength(0);
  });
});

describe('CALL_CASE Twilio errors', () => {
  it.each([21211, 21214, 21216, 21217])('permanent number error %i: no retry, contact invalid, code and message kept', async (code) => {
    const { caseId } = await newCase();
    twilio.script({ kind: 'error', status: 400, code });
    const job = await callJob(caseId);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain(String(code));
    expect(twilio.dialRequests()).toHaveLength(1);
    const [il] = await interactions(caseId);
    expect(il).toMatchObject({ status: 'failed', outcome: 'FAILED', provider_ref: null });
    expect(il.error).toMatchObject({ provider: 'twilio', code, kind: 'invalid_number' });
    expect(il.error.message).toBeTruthy();
    expect((await caseRow(caseId)).status).toBe('INVALID_CONTACT');
  });

  it('a Twilio message that quotes the number is masked in the job error and on the interaction (the number is in evidence.dialedTo)', async () => {
    const { caseId } = await newCase();
    const phone = phoneIn(day, phoneSeq);
    twilio.script({ kind: 'error', status: 400, code: 21214, message: `'To' phone number ${phone} cannot be reached` });
    const job = await callJob(caseId);
    expect(job.failedReason).toContain('21214');
    expect(job.failedReason).not.toContain(phone);
    expect((job.stacktrace ?? []).join('\n')).not.toContain(phone);
    const [il] = await interactions(caseId);
    expect(il.error.message).toContain('cannot be reached');
    expect(il.error.message).not.toContain(phone);
    expect(il.evidence.dialedTo).toBe(phone);
  });

  it('configuration error 21215: no retry, case untouched', async () => {
    const { caseId } = await newCase();
    twilio.script({ kind: 'error', status: 400, code: 21215 });
    const job = await callJob(caseId);
    expect(job.attemptsMade).toBe(1);
    const [il] = await interactions(caseId);
    expect(il.error).toMatchObject({ code: 21215, kind: 'config' });
    expect((await caseRow(caseId)).status).toBe('NEW');
  });

  it('authentication / suspended account 20003: fails loudly without retry', async () => {
    const { caseId } = await newCase();
    twilio.script({ kind: 'error', status: 401, code: 20003 });
    const job = await callJob(caseId);
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/authentication failed/i);
    const [il] = await interactions(caseId);
    expect(il.error).toMatchObject({ code: 20003, kind: 'auth' });
    expect((await caseRow(caseId)).status).toBe('NEW');
    await worker!.waitFor((l) => ['fatal', '60'].includes(String(l.level)) && String(l.msg).includes('Twilio rejected our credentials'), 5000, 'fatal log');
  });

  it.each([
    ['429 / 20429', { kind: 'error' as const, status: 429, code: 20429 }],
    ['500', { kind: 'error' as const, status: 500, code: 20500 }],
    ['connection reset before Twilio acted', { kind: 'drop-before' as const }],
  ])('%s: retried with backoff, then exactly one call', async (_label, action) => {
    const { caseId } = await newCase();
    twilio.script(action);
    const job = await callJob(caseId);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue.called).toBe(true);
    expect(job.attemptsMade).toBe(2);
    expect(twilio.dialRequests()).toHaveLength(2);
    expect(twilio.calls).toHaveLength(1);
    const rows = await interactions(caseId);
    expect(rows).toHaveLength(1);
    expect(rows[0].provider_ref).toBe(twilio.calls[0].sid);
    // Where the call may exist, the retry asked Twilio's call list before dialing again.
    const listed = twilio.requests.some((r) => r.method === 'GET' && r.path.endsWith('/Calls.json') && r.query.To === phoneIn(day, phoneSeq));
    expect(listed).toBe(action.kind !== 'error' || action.status >= 500);
  });

  it('connection dropped after Twilio created the call: the call is found in the list, never dialed twice', async () => {
    const { caseId } = await newCase();
    twilio.script({ kind: 'drop' });
    const job = await callJob(caseId);
    expect(job.returnvalue).toMatchObject({ called: true, resumed: true });
    expect(twilio.dialRequests()).toHaveLength(1);
    expect(twilio.calls).toHaveLength(1);
    const rows = await interactions(caseId);
    expect(rows).toHaveLength(1);
    expect(rows[0].provider_ref).toBe(twilio.calls[0].sid);
    expect(rows[0].status).toBe('in_progress');
  });

  it('a timeout after Twilio created the call: found in the list, never dialed twice', async () => {
    const { caseId } = await newCase();
    twilio.script({ kind: 'delay', ms: 4000 }); // > TWILIO_HTTP_TIMEOUT_MS (3000): the SDK gives up, the call exists
    const job = await callJob(caseId);
    expect(job.returnvalue.called).toBe(true);
    expect(twilio.dialRequests()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1200)); // let the delayed create land
    expect(twilio.calls).toHaveLength(1);
    const rows = await interactions(caseId);
    expect(rows).toHaveLength(1);
    expect(rows[0].provider_ref).toBe(twilio.calls[0].sid);
  });
});

describe('CALL_CASE pre-dial freshness (sandbox PMS)', () => {
  it('a lease the PMS reports paid cancels the call and closes the case; a lower balance is refreshed and called', async () => {
    const creds = encryptCredentials({ seed: 3, leases: 20, balanceOverrides: { 'lease-3': 0, 'lease-4': 4321 } }, TEST_ENCRYPTION_KEY);
    const conn = await seedSandboxConnection(db.pool, tenantId, creds, ['lease-3', 'lease-4', 'lease-5']);
    const stale = new Date(Date.now() - 3 * 3600 * 1000);
    const paid = await newCase({ pmsLeaseId: conn.leases['lease-3'].leaseId, lastPmsSyncAt: stale });
    const lower = await newCase({ pmsLeaseId: conn.leases['lease-4'].leaseId, lastPmsSyncAt: stale });
    const fresh = await newCase({ pmsLeaseId: conn.leases['lease-5'].leaseId, lastPmsSyncAt: new Date() });

    const j1 = await callJob(paid.caseId);
    expect(j1.returnvalue).toMatchObject({ called: false, reason: 'PAID_AT_PRE_DIAL' });
    const c1 = await caseRow(paid.caseId);
    expect(c1.status).toBe('PAID');
    expect(c1.closed_at).not.toBeNull();
    expect(Number(c1.amount_due_cents)).toBe(0);
    expect(c1.meta.preDialFreshness).toMatchObject({ previousCents: 125000, balanceCents: 0, callCancelled: true });
    expect(await interactions(paid.caseId)).toHaveLength(0);
    expect(twilio.dialRequests()).toHaveLength(0);

    const j2 = await callJob(lower.caseId);
    expect(j2.returnvalue.called).toBe(true);
    expect(Number((await caseRow(lower.caseId)).amount_due_cents)).toBe(4321);
    const [il2] = await interactions(lower.caseId);
    expect(il2.evidence.preDialFreshness).toMatchObject({ checked: true, paid: false, balanceCents: 4321 });
    expect(il2.evidence.balance.amountDueCents).toBe(4321);

    // Synced within CALL_FRESHNESS_MINUTES: no PMS read, called on the synced data.
    const j3 = await callJob(fresh.caseId);
    expect(j3.returnvalue.called).toBe(true);
    const [il3] = await interactions(fresh.caseId);
    expect(il3.evidence.preDialFreshness).toMatchObject({ checked: false, reason: 'RECENTLY_SYNCED' });
    expect(twilio.dialRequests()).toHaveLength(2);
  });
});

describe('CALLS_DRY_RUN', () => {
  it('runs everything but the dial: interaction simulated, no Twilio request', async () => {
    await worker!.stop();
    await startCallWorker({ CALLS_DRY_RUN: 'true' });
    const { caseId } = await newCase();
    const job = await callJob(caseId);
    expect(job.returnvalue).toMatchObject({ called: false, dryRun: true, status: 'simulated' });
    const rows = await interactions(caseId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'simulated', provider_ref: null });
    expect(rows[0].evidence.rules.decision).toBe('allowed');
    expect(twilio.requests).toHaveLength(0);
  });
});
