/**
 * CALL_CASE beside the real API: its job ids are BullMQ counter ids (1, 2, 3, ...) that start again
 * when Redis loses its data, and a delivery that fails before dialing must not stand as the evidence
 * of the dial that happened. The built worker, real Postgres (the API's schema from its fixture) and
 * Redis, the fake Twilio through the official SDK.
 */
import { Queue } from 'bullmq';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { FakeTwilioServer } from '../fakes/twilio-server';
import { daytimeZone, phoneIn, seedCase, seedTenant } from '../fakes/twilio-scenario';

const FROM = '+15005550006';

let db: TestDatabase;
let prefix: string;
let twilio: FakeTwilioServer;
let worker: AppProcess | null = null;
let queue: Queue;
let tenantId: string;
const day = daytimeZone();
let phoneSeq = 100;

function env(): Record<string, string> {
  return baseEnv(db.name, prefix, {
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM_NUMBER: FROM,
    TWILIO_VOICE_URL: 'https://api.mordecai.test/voice/twiml',
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_RING_TIMEOUT_SECONDS: '25',
    TWILIO_HTTP_TIMEOUT_MS: '3000',
    TWILIO_CPS: '20',
    CALL_CONTEXT_HMAC_SECRET: 'e2e-voice-secret',
  });
}

async function newCase() {
  return seedCase(db.pool, { tenantId, phone: phoneIn(day, ++phoneSeq), timezone: day.zone });
}

async function intents(caseId: string) {
  return (
    await db.pool.query(
      `SELECT il.id, il.status, il.provider_ref, wi.idempotency_key, wi.evidence, wi.attempts
         FROM interaction_logs il JOIN worker_interactions wi ON wi.interaction_log_id = il.id
        WHERE il.debt_case_id = $1 ORDER BY il.created_at`,
      [caseId],
    )
  ).rows;
}

/** Enqueues the way the API's automations do: no job id of our own, so BullMQ's counter gives one. */
async function enqueueLikeTheApi(caseId: string) {
  const job = await queue.add('CALL_CASE', { tenantId, caseId, automationId: '00000000-0000-4000-8000-00000000a001', stateId: '00000000-0000-4000-8000-00000000b001' }, { attempts: 3, backoff: { type: 'fixed', delay: 200 } });
  return waitForJobEnd(queue, job.id!, 60000);
}

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = testPrefix();
  twilio = new FakeTwilioServer();
  await twilio.start();
  queue = testQueue('case-actions', prefix);
  tenantId = await seedTenant(db.pool, day.zone);
  worker = startWorker(env());
  await worker.waitForMsg('worker ready', 30000);
});

afterAll(async () => {
  await worker?.stop();
  await queue?.close();
  await twilio?.stop();
  await cleanPrefix(prefix);
  await db?.drop();
});

beforeEach(() => twilio.reset());

describe('counter job ids that repeat after Redis lost its data', () => {
  it('a new CALL_CASE whose id repeats an old one dials its own case', async () => {
    const b = await newCase();
    const first = await enqueueLikeTheApi(b.caseId);
    expect(first.returnvalue).toMatchObject({ called: true });
    const oldId = first.id;

    // Redis loses its data: the queue's keys (its job counter with them) are gone.
    await queue.obliterate({ force: true });
    const a = await newCase();
    const second = await enqueueLikeTheApi(a.caseId);
    expect(second.id).toBe(oldId);
    expect(second.returnvalue).toMatchObject({ called: true });
    expect(second.returnvalue.resumed).toBeFalsy();

    expect(twilio.dialRequests().map((r) => r.form.To)).toEqual([phoneIn(day, phoneSeq - 1), phoneIn(day, phoneSeq)]);
    const [ia] = await intents(a.caseId);
    const [ib] = await intents(b.caseId);
    expect(ia.provider_ref).toBe(twilio.calls[1].sid);
    expect(ib.provider_ref).toBe(twilio.calls[0].sid);
    expect(ia.idempotency_key).not.toBe(ib.idempotency_key);
    expect(ia.idempotency_key).toBe(`CALL_CASE:${a.caseId}:00000000-0000-4000-8000-00000000b001:${second.id}:${second.timestamp}`);
  });
});

describe('evidence of the dial that happened', () => {
  it('after a 429 and a retry that dials, the kept evidence is the second delivery\'s and the first delivery\'s error is kept', async () => {
    const c = await newCase();
    twilio.script({ kind: 'error', status: 429, code: 20429 });
    const job = await enqueueLikeTheApi(c.caseId);
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    expect(twilio.dialRequests()).toHaveLength(2);
    expect(twilio.calls).toHaveLength(1);

    const rows = await intents(c.caseId);
    expect(rows).toHaveLength(1);
    const il = rows[0];
    expect(il.provider_ref).toBe(twilio.calls[0].sid);
    // The record of the placed call holds the inputs and checks of the delivery that dialed.
    expect(il.evidence.job).toEqual({ id: String(job.id), attempt: 2 });
    expect(il.evidence.rules.decision).toBe('allowed');
    expect(il.evidence.twilio.sid).toBe(twilio.calls[0].sid);
    // Every delivery is kept: delivery 1's inputs and its 429, then delivery 2's inputs.
    const attempts = il.attempts as { attempt: number; evidence?: { job: { attempt: number } }; error?: { code: number; status: number } }[];
    expect(attempts.map((x) => [x.attempt, x.evidence ? 'inputs' : 'error'])).toEqual([
      [1, 'inputs'],
      [1, 'error'],
      [2, 'inputs'],
    ]);
    expect(attempts[0].evidence!.job.attempt).toBe(1);
    expect(attempts[1].error).toMatchObject({ status: 429, code: 20429 });
    expect(attempts[2].evidence!.job.attempt).toBe(2);
  });
});
