/**
 * SYNC_CALL_SUMMARY and RECONCILE_CALLS end to end: the built worker, the fake S3 (path-style,
 * reached by @aws-sdk/client-s3 through S3_ENDPOINT) and the fake Twilio.
 */
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'crypto';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_ENCRYPTION_KEY } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { FakeS3Server } from '../fakes/s3-server';
import { FakeTwilioServer } from '../fakes/twilio-server';
import { daytimeZone, phoneIn, seedCase, seedSandboxConnection, seedTenant } from '../fakes/twilio-scenario';
import { encryptCredentials } from '../../src/common/credentials-crypto';

const BUCKET = 'mordecai-calls-test';
const FROM = '+15005550006';

let db: TestDatabase;
let prefix: string;
let s3: FakeS3Server;
let twilio: FakeTwilioServer;
let worker: AppProcess;
let queue: Queue;
let tenantId: string;
let seq = 0;
let phoneSeq = 100;
const day = daytimeZone();

const sid = () => `CA${randomBytes(16).toString('hex')}`;
const summaryKey = (callSid: string, at: Date) => `twilio/calls/${callSid}/summary-${at.toISOString().replace(/[:.]/g, '-')}.json`;

function summary(callSid: string, outcome: string, extra: Record<string, unknown> = {}) {
  const startedAt = new Date(Date.now() - 5 * 60_000);
  return {
    callSid,
    streamSid: `MZ${randomBytes(16).toString('hex')}`,
    startedAt: startedAt.toISOString(),
    endedAt: new Date(startedAt.getTime() + 180_000).toISOString(),
    transcript: [
      { role: 'agent', text: 'Hello, this is Mordecai calling about your rent balance.' },
      { role: 'debtor', text: 'Yes, I can pay.' },
    ],
    events: [],
    final_state: { step: 'closing' },
    outcome,
    summary: `Debtor outcome ${outcome}.`,
    ...extra,
  };
}

/** A case with a placed call (interaction in_progress with a SID), as CALL_CASE leaves it. */
async function placedCall(opts: { pmsDebtorId?: string; startedAgoMs?: number; status?: string; sid?: string | null; evidence?: unknown } = {}) {
  const { caseId, debtorId } = await seedCase(db.pool, { tenantId, phone: phoneIn(day, ++phoneSeq), timezone: day.zone, status: 'IN_PROGRESS', pmsDebtorId: opts.pmsDebtorId });
  const callSid = opts.sid === undefined ? sid() : opts.sid;
  const startedAt = new Date(Date.now() - (opts.startedAgoMs ?? 10 * 60_000));
  const { rows } = await db.pool.query(
    `WITH il AS (
       INSERT INTO interaction_logs (id, updated_at, tenant_id, debt_case_id, debtor_id, type, direction, channel_provider, provider_ref, status, started_at, created_at)
       VALUES (gen_random_uuid(), now(), $1, $2, $3, 'CALL', 'OUTBOUND', 'twilio', $4, $5, $6, $9) RETURNING id)
     INSERT INTO worker_interactions (interaction_log_id, tenant_id, debt_case_id, channel, idempotency_key, evidence)
     SELECT il.id, $1, $2, 'CALL', $7, $8 FROM il RETURNING interaction_log_id AS id`,
    [tenantId, caseId, debtorId, callSid, opts.status ?? 'in_progress', opts.status === 'queued' && !callSid ? null : startedAt, `CALL_CASE:seed-${randomUUID()}`, JSON.stringify(opts.evidence ?? {}), startedAt],
  );
  return { caseId, debtorId, callSid, interactionId: rows[0].id as string };
}

async function run(name: string, data: Record<string, unknown>, attempts = 3) {
  const jobId = `e2e-sum-${++seq}`;
  await queue.add(name, data, { jobId, attempts, backoff: { type: 'exponential', delay: 150 } });
  return waitForJobEnd(queue, jobId, 60000);
}

const interaction = async (id: string) => (await db.pool.query(`SELECT il.*, wi.idempotency_key, wi.evidence, wi.attempts FROM interaction_logs il LEFT JOIN worker_interactions wi ON wi.interaction_log_id = il.id WHERE il.id = $1`, [id])).rows[0];
const caseRow = async (id: string) => (await db.pool.query(`SELECT * FROM debt_cases WHERE id = $1`, [id])).rows[0];
const agreements = async (caseId: string) => (await db.pool.query(`SELECT * FROM payment_agreements WHERE debt_case_id = $1`, [caseId])).rows;

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = testPrefix();
  s3 = new FakeS3Server({ buckets: [BUCKET] });
  await s3.start();
  twilio = new FakeTwilioServer();
  await twilio.start();
  queue = testQueue('case-actions', prefix);
  tenantId = await seedTenant(db.pool, day.zone);
  worker = startWorker(
    baseEnv(db.name, prefix, {
      AWS_REGION: 'us-east-1',
      S3_BUCKET_NAME: BUCKET,
      S3_ENDPOINT: s3.url,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM_NUMBER: FROM,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_VOICE_URL: 'https://api.mordecai.test/voice/twiml',
      CALL_CONTEXT_HMAC_SECRET: 'x',
    }),
  );
  await worker.waitForMsg('worker ready', 30000);
});

afterAll(async () => {
  await worker?.stop();
  await queue?.close();
  await s3?.stop();
  await twilio?.stop();
  await cleanPrefix(prefix);
  await db?.drop();
});

describe('SYNC_CALL_SUMMARY', () => {
  it('PROMISE_TO_PAY by callSid (newest summary under the prefix): interaction, case and agreement; a second apply changes nothing', async () => {
    const p = await placedCall();
    const old = summary(p.callSid!, 'NO_ANSWER');
    s3.put(BUCKET, summaryKey(p.callSid!, new Date(Date.now() - 60_000)), JSON.stringify(old));
    const promise = summary(p.callSid!, 'PROMISE_TO_PAY', { events: [{ type: 'PROMISE_TO_PAY', amount_cents: 60000, date: '2030-01-15', note: 'payday' }] });
    const key = summaryKey(p.callSid!, new Date());
    s3.put(BUCKET, key, JSON.stringify(promise));

    const job = await run('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid });
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ applied: true, key, outcome: 'PROMISE_TO_PAY', interactionOutcome: 'PROMISE_TO_PAY', caseStatus: 'PROMISE_TO_PAY' });
    expect(s3.requests.every((r) => r.signed)).toBe(true);

    const il = await interaction(p.interactionId);
    expect(il).toMatchObject({ status: 'completed', outcome: 'PROMISE_TO_PAY', summary: 'Debtor outcome PROMISE_TO_PAY.' });
    expect(il.transcript).toContain('debtor: Yes, I can pay.');
    expect(new Date(il.ended_at).toISOString()).toBe(promise.endedAt);
    expect(il.ai_data.summary).toMatchObject({ key, bucket: BUCKET, outcome: 'PROMISE_TO_PAY' });
    const c = await caseRow(p.caseId);
    expect(c.status).toBe('PROMISE_TO_PAY');
    expect(new Date(c.next_action_at).getTime()).toBeGreaterThanOrEqual(Date.parse('2030-01-16T00:00:00Z'));
    const ag = await agreements(p.caseId);
    expect(ag).toHaveLength(1);
    expect(ag[0]).toMatchObject({ type: 'PROMISE_TO_PAY', status: 'ACCEPTED', created_by: 'AI', provider_ref: p.callSid });
    expect(Number(ag[0].total_amount_cents)).toBe(60000);

    // Applied again (by interaction id and explicit key): nothing changes.
    const before = { il: await interaction(p.interactionId), c: await caseRow(p.caseId) };
    const again = await run('SYNC_CALL_SUMMARY', { tenantId, interactionId: p.interactionId, key });
    expect(again.returnvalue).toMatchObject({ applied: false, alreadyApplied: true });
    expect(await interaction(p.interactionId)).toEqual(before.il);
    expect(await caseRow(p.caseId)).toEqual(before.c);
    expect(await agreements(p.caseId)).toHaveLength(1);
  });

  it('PARTIAL_PAYMENT: PAYMENT_PLAN with an INSTALLMENTS agreement', async () => {
    const p = await placedCall();
    const key = summaryKey(p.callSid!, new Date());
    s3.put(BUCKET, key, JSON.stringify(summary(p.callSid!, 'PARTIAL_PAYMENT', {
      events: [
        { type: 'PAYMENT_PLAN_INSTALLMENT', amount_cents: 20000, date: '2030-02-01', note: null },
        { type: 'PAYMENT_PLAN_INSTALLMENT', amount_cents: 30000, date: '2030-03-01', note: null },
      ],
    })));
    const job = await run('SYNC_CALL_SUMMARY', { tenantId, interactionId: p.interactionId, key });
    expect(job.returnvalue).toMatchObject({ applied: true, interactionOutcome: 'PAYMENT_PLAN', caseStatus: 'PAYMENT_PLAN' });
    const [ag] = await agreements(p.caseId);
    expect(ag).toMatchObject({ type: 'INSTALLMENTS', installments: 2 });
    expect(Number(ag.total_amount_cents)).toBe(50000);
    expect(Number(ag.down_payment_cents)).toBe(20000);
    expect((await caseRow(p.caseId)).status).toBe('PAYMENT_PLAN');
  });

  it('DO_NOT_CALL sets do_not_call on the debtor and the linked PMS debtor; no next action', async () => {
    const creds = encryptCredentials({ seed: 1, leases: 5 }, TEST_ENCRYPTION_KEY);
    const conn = await seedSandboxConnection(db.pool, tenantId, creds, ['lease-1']);
    const p = await placedCall({ pmsDebtorId: conn.leases['lease-1'].pmsDebtorId });
    const key = summaryKey(p.callSid!, new Date());
    s3.put(BUCKET, key, JSON.stringify(summary(p.callSid!, 'DO_NOT_CALL')));
    const job = await run('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid, key });
    expect(job.returnvalue).toMatchObject({ applied: true, interactionOutcome: 'REFUSED', nextActionAt: null });
    expect((await db.pool.query(`SELECT do_not_call FROM worker_debtor_flags WHERE debtor_id = $1`, [p.debtorId])).rows[0].do_not_call).toBe(true);
    expect((await db.pool.query(`SELECT do_not_call FROM pms_debtors WHERE id = $1`, [conn.leases['lease-1'].pmsDebtorId])).rows[0].do_not_call).toBe(true);
    expect((await caseRow(p.caseId)).next_action_at).toBeNull();
  });

  it('WRONG_NUMBER: case INVALID_CONTACT, interaction FAILED', async () => {
    const p = await placedCall();
    const key = summaryKey(p.callSid!, new Date());
    s3.put(BUCKET, key, JSON.stringify(summary(p.callSid!, 'WRONG_NUMBER')));
    await run('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid, key });
    expect((await interaction(p.interactionId)).outcome).toBe('FAILED');
    expect((await caseRow(p.caseId)).status).toBe('INVALID_CONTACT');
  });

  it('CALLBACK_REQUESTED: next action at or after the requested time, inside the rules (7 days after a conversation)', async () => {
    const p = await placedCall();
    const requested = new Date(Date.now() + 24 * 3600 * 1000);
    const key = summaryKey(p.callSid!, new Date());
    s3.put(BUCKET, key, JSON.stringify(summary(p.callSid!, 'CALLBACK_REQUESTED', { events: [{ type: 'CALLBACK_REQUESTED', date: requested.toISOString() }] })));
    const job = await run('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid, key });
    const next = new Date((await caseRow(p.caseId)).next_action_at);
    expect(next.toISOString()).toBe(job.returnvalue.nextActionAt);
    // The call was a conversation: the rules hold the case for 7 days (day 1 = today).
    expect(next.getTime()).toBeGreaterThan(Date.now() + 5 * 24 * 3600 * 1000);
    expect((await interaction(p.interactionId)).outcome).toBe('CALLBACK_REQUESTED');
  });

  it('NO_ANSWER: next lawful attempt after the cooldown', async () => {
    const p = await placedCall();
    const key = summaryKey(p.callSid!, new Date());
    s3.put(BUCKET, key, JSON.stringify(summary(p.callSid!, 'NO_ANSWER', { transcript: [] })));
    const job = await run('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid, key });
    expect(job.returnvalue).toMatchObject({ interactionOutcome: 'NO_ANSWER', caseStatus: 'NO_ANSWER' });
    expect(new Date(job.returnvalue.nextActionAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('a malformed summary fails without retry, naming the field', async () => {
    const p = await placedCall();
    const key = summaryKey(p.callSid!, new Date());
    s3.put(BUCKET, key, JSON.stringify(summary(p.callSid!, 'MAYBE_LATER')));
    const job = await run('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid, key });
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/outcome/);
    expect(job.failedReason).toContain(key);
    expect((await interaction(p.interactionId)).status).toBe('in_progress');

    const key2 = summaryKey(p.callSid!, new Date(Date.now() + 1000));
    s3.put(BUCKET, key2, JSON.stringify({ ...summary(p.callSid!, 'NO_ANSWER'), endedAt: 'yesterday-ish' }));
    const job2 = await run('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid, key: key2 });
    expect(job2.attemptsMade).toBe(1);
    expect(job2.failedReason).toMatch(/endedAt/);
  });

  it('a missing object is retried with backoff, then fails naming the key', async () => {
    const p = await placedCall();
    const key = summaryKey(p.callSid!, new Date());
    const job = await run('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid, key }, 3);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(3);
    expect(job.failedReason).toContain(`s3://${BUCKET}/${key}`);
    expect(s3.gets(BUCKET, key)).toHaveLength(3);

    // Without a key and nothing under the prefix: the prefix is named.
    const job2 = await run('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid }, 2);
    expect(job2.attemptsMade).toBe(2);
    expect(job2.failedReason).toContain(`twilio/calls/${p.callSid}/`);
  });

  it('a missing object that appears before the retries run out is applied', async () => {
    const p = await placedCall();
    const key = summaryKey(p.callSid!, new Date());
    const jobId = `e2e-sum-${++seq}`;
    await queue.add('SYNC_CALL_SUMMARY', { tenantId, callSid: p.callSid, key }, { jobId, attempts: 5, backoff: { type: 'fixed', delay: 700 } });
    await new Promise((r) => setTimeout(r, 400));
    s3.put(BUCKET, key, JSON.stringify(summary(p.callSid!, 'REFUSED')));
    const job = await waitForJobEnd(queue, jobId, 30000);
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBeGreaterThanOrEqual(2);
    expect((await interaction(p.interactionId)).outcome).toBe('REFUSED');
    expect((await caseRow(p.caseId)).status).toBe('CONTACTED');
  });

  it('another tenant cannot apply a summary to this interaction', async () => {
    const p = await placedCall();
    const job = await run('SYNC_CALL_SUMMARY', { tenantId: randomUUID(), interactionId: p.interactionId });
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/not found for tenant/);
  });
});

describe('RECONCILE_CALLS', () => {
  it('closes stale calls with Twilio final status and leaves fresh ones alone', async () => {
    const hour = 3600_000;
    const noAnswer = await placedCall({ startedAgoMs: hour });
    const completed = await placedCall({ startedAgoMs: hour });
    const failed = await placedCall({ startedAgoMs: hour });
    const stillRinging = await placedCall({ startedAgoMs: hour });
    const fresh = await placedCall({ startedAgoMs: 60_000 });
    const neverDialed = await placedCall({ startedAgoMs: hour, status: 'queued', sid: null });
    // A dial that left before a crash: Twilio has the call, we never stored its SID.
    const lostTo = phoneIn(day, 9990);
    const lostAt = new Date(Date.now() - hour);
    const lost = await placedCall({ startedAgoMs: hour, status: 'queued', sid: null, evidence: { dialAttemptedAt: lostAt.toISOString(), dialedTo: lostTo, dialedFrom: FROM } });

    const end = new Date(Date.now() - hour + 60_000);
    for (const [p, status, extra] of [
      [noAnswer, 'no-answer', {}],
      [completed, 'completed', { duration: 42, answeredBy: 'human' }],
      [failed, 'failed', {}],
      [stillRinging, 'ringing', {}],
    ] as const) {
      twilio.seedCall({ sid: p.callSid!, to: '+15550000000', from: FROM, status, startTime: new Date(Date.now() - hour), endTime: status === 'ringing' ? null : end, ...extra });
    }
    const lostCall = twilio.seedCall({ to: lostTo, from: FROM, status: 'busy', dateCreated: new Date(lostAt.getTime() + 300), startTime: new Date(lostAt.getTime() + 500), endTime: end });

    const job = await run('RECONCILE_CALLS', {});
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ examined: 6, closed: 4, stillLive: 1, neverDialed: 1, errors: 0 });

    expect(await interaction(noAnswer.interactionId)).toMatchObject({ status: 'no_answer', outcome: 'NO_ANSWER' });
    const c = await interaction(completed.interactionId);
    expect(c).toMatchObject({ status: 'completed', outcome: 'CONNECTED' });
    expect(c.ai_data.reconciliation).toMatchObject({ twilioStatus: 'completed', durationSeconds: 42 });
    expect(new Date(c.ended_at).getTime()).toBe(Math.floor(end.getTime() / 1000) * 1000);
    expect(await interaction(failed.interactionId)).toMatchObject({ status: 'failed', outcome: 'FAILED' });
    expect((await interaction(stillRinging.interactionId)).status).toBe('in_progress');
    expect((await interaction(fresh.interactionId)).status).toBe('in_progress');
    const nd = await interaction(neverDialed.interactionId);
    expect(nd.status).toBe('canceled');
    expect(nd.error.reason).toBe('NEVER_DIALED');
    expect(await interaction(lost.interactionId)).toMatchObject({ status: 'no_answer', outcome: 'NO_ANSWER', provider_ref: lostCall.sid });

    expect((await caseRow(noAnswer.caseId)).status).toBe('NO_ANSWER');
    expect((await caseRow(completed.caseId)).status).toBe('CONTACTED');
    expect((await caseRow(stillRinging.caseId)).status).toBe('IN_PROGRESS');
    // Every request to Twilio was authenticated; none dialed.
    expect(twilio.requests.every((r) => r.authorized)).toBe(true);
    expect(twilio.dialRequests()).toHaveLength(0);

    // Run again: nothing left to close except the ringing one.
    const again = await run('RECONCILE_CALLS', {});
    expect(again.returnvalue).toMatchObject({ examined: 1, closed: 0, stillLive: 1 });
  });
});
