/**
 * SIGTERM while a case-actions job is in flight: the worker's drain (beforeApplicationShutdown) lets
 * it finish, so the clients it uses (the CPS limiter's Redis, the S3 client) must still be open.
 * The built worker as a child process, real Postgres and Redis, the fake Twilio and the fake S3.
 * The worker's clock is set to 11:00 in New York so the call rules allow the call at any hour.
 */
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomBytes, randomUUID } from 'crypto';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_REDIS_URL } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { clockEnv, DAYTIME_ZONE, usDaytimeOffset } from '../utils/fake-clock';
import { FakeS3Server } from '../fakes/s3-server';
import { FakeTwilioServer } from '../fakes/twilio-server';
import { phoneIn, seedCase, seedTenant } from '../fakes/twilio-scenario';

const BUCKET = 'mordecai-drain-test';
const FROM = '+15005550006';

let db: TestDatabase;
let prefix: string;
let s3: FakeS3Server;
let twilio: FakeTwilioServer;
let queue: Queue;
let redis: IORedis;
let worker: AppProcess | null = null;
let tenantId: string;

function startCallWorker(): AppProcess {
  return startWorker(
    baseEnv(db.name, prefix, {
      ...clockEnv(usDaytimeOffset()),
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
      TWILIO_CPS: '1',
      CALL_CONTEXT_HMAC_SECRET: 'drain-secret',
      WORKER_SHUTDOWN_TIMEOUT_MS: '30000',
    }),
  );
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM, then the exit code and every log line of the process. */
async function terminate(w: AppProcess): Promise<{ code: number | null; raw: string }> {
  w.kill('SIGTERM');
  const { code } = await w.exited;
  return { code, raw: w.raw.join('\n') };
}

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = testPrefix();
  s3 = new FakeS3Server({ buckets: [BUCKET] });
  await s3.start();
  twilio = new FakeTwilioServer();
  await twilio.start();
  queue = testQueue('case-actions', prefix);
  redis = new IORedis(TEST_REDIS_URL);
  tenantId = await seedTenant(db.pool, DAYTIME_ZONE.zone);
});

afterAll(async () => {
  await worker?.stop();
  await queue?.close();
  await redis?.quit();
  await s3?.stop();
  await twilio?.stop();
  await cleanPrefix(prefix);
  await db?.drop();
});

it('a CALL_CASE waiting for its CPS slot at SIGTERM dials and completes in the drain', async () => {
  const { caseId } = await seedCase(db.pool, { tenantId, phone: phoneIn(DAYTIME_ZONE, 1), timezone: DAYTIME_ZONE.zone });
  worker = startCallWorker();
  await worker.waitForMsg('worker ready', 30000);

  // Another dial booked the account's next slots: this one waits ~4 s for its own (TWILIO_CPS=1).
  const [sec, micros] = await redis.time();
  const nowUs = Number(sec) * 1_000_000 + Number(micros);
  await redis.set(`${prefix}:twilio-cps:${twilio.accountSid}`, String(nowUs + 3_000_000), 'PX', 60000);

  const jobId = `drain-call-${randomUUID()}`;
  await queue.add('CALL_CASE', { tenantId, caseId }, { jobId, attempts: 1 });
  // The interaction is recorded right before the limiter is asked for a slot.
  await until('the CALL_CASE to reach the CPS limiter', async () => (await db.pool.query(`SELECT 1 FROM interaction_logs WHERE debt_case_id = $1`, [caseId])).rowCount);
  expect(twilio.dialRequests()).toHaveLength(0);

  const { code, raw } = await terminate(worker);
  worker = null;
  expect(code).toBe(0);
  expect(raw).not.toContain('Connection is closed');
  expect(raw).toContain('all running jobs finished');

  const job = await waitForJobEnd(queue, jobId, 5000);
  expect(await job.getState()).toBe('completed');
  expect(job.returnvalue).toMatchObject({ called: true, status: 'in_progress' });
  expect(twilio.dialRequests()).toHaveLength(1);
  const rows = (await db.pool.query(`SELECT status, provider_ref FROM interaction_logs WHERE debt_case_id = $1`, [caseId])).rows;
  expect(rows).toEqual([{ status: 'in_progress', provider_ref: twilio.calls[0].sid }]);
});

it('a SYNC_CALL_SUMMARY reading a slow S3 object at SIGTERM applies the summary in the drain', async () => {
  const { caseId, debtorId } = await seedCase(db.pool, { tenantId, phone: phoneIn(DAYTIME_ZONE, 2), timezone: DAYTIME_ZONE.zone, status: 'IN_PROGRESS' });
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const startedAt = new Date(Date.now() - 10 * 60_000);
  const { rows } = await db.pool.query(
    `WITH il AS (
       INSERT INTO interaction_logs (id, updated_at, tenant_id, debt_case_id, debtor_id, type, direction, channel_provider, provider_ref, status, started_at, created_at)
       VALUES (gen_random_uuid(), now(), $1, $2, $3, 'CALL', 'OUTBOUND', 'twilio', $4, 'in_progress', $5, $5) RETURNING id)
     INSERT INTO worker_interactions (interaction_log_id, tenant_id, debt_case_id, channel, idempotency_key)
     SELECT il.id, $1, $2, 'CALL', $6 FROM il RETURNING interaction_log_id AS id`,
    [tenantId, caseId, debtorId, callSid, startedAt, `CALL_CASE:seed-${randomUUID()}`],
  );
  const interactionId = rows[0].id as string;
  const key = `twilio/calls/${callSid}/summary-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  s3.put(
    BUCKET,
    key,
    JSON.stringify({
      callSid,
      startedAt: startedAt.toISOString(),
      endedAt: new Date(startedAt.getTime() + 120_000).toISOString(),
      transcript: [{ role: 'debtor', text: 'Call me later.' }],
      events: [],
      outcome: 'CALLBACK_REQUESTED',
      summary: 'Debtor asked for a callback.',
    }),
  );
  s3.slowGets.set(`${BUCKET}/${key}`, 3000);

  worker = startCallWorker();
  await worker.waitForMsg('worker ready', 30000);
  const jobId = `drain-summary-${randomUUID()}`;
  await queue.add('SYNC_CALL_SUMMARY', { tenantId, callSid }, { jobId, attempts: 1 });
  await until('the summary GET to reach the fake S3', async () => s3.gets(BUCKET, key).length > 0);

  const { code, raw } = await terminate(worker);
  worker = null;
  expect(code).toBe(0);
  expect(raw).not.toContain('Connection is closed');
  expect(raw).toContain('all running jobs finished');

  const job = await waitForJobEnd(queue, jobId, 5000);
  expect(job.failedReason).toBeUndefined();
  expect(await job.getState()).toBe('completed');
  expect(job.returnvalue).toMatchObject({ applied: true, key });
  expect(s3.gets(BUCKET, key)).toHaveLength(1);
  const il = (await db.pool.query(`SELECT status, summary, ai_data FROM interaction_logs WHERE id = $1`, [interactionId])).rows[0];
  expect(il).toMatchObject({ status: 'completed', summary: 'Debtor asked for a callback.' });
  expect(il.ai_data.summary).toMatchObject({ key, bucket: BUCKET });
});
