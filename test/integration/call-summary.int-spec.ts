/**
 * The middle test layer: SYNC_CALL_SUMMARY's handler built with Nest's testing module in this
 * process (the real modules, the cloned API-schema database, a Redis prefix of its own and the fake
 * S3), called with real BullMQ jobs. Faster to start than the child-process e2e files and it reaches
 * the handler's failure paths directly; signals, exit codes and the CLI stay in test/e2e.
 */
import type { TestingModule } from '@nestjs/testing';
import { Queue } from 'bullmq';
import pino from 'pino';
import { randomBytes, randomUUID } from 'crypto';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { parseEnv } from '../../src/config/env.schema';
import { cleanPrefix, testPrefix, testQueue } from '../utils/queues';
import { FakeS3Server } from '../fakes/s3-server';
import { seedCase, seedTenant } from '../fakes/twilio-scenario';
import type { CallSummaryHandler } from '../../src/case-actions/call-summary.handler';

const BUCKET = 'mordecai-calls-int';
const ZONE = 'America/Chicago';

let db: TestDatabase;
let prefix: string;
let s3: FakeS3Server;
let queue: Queue;
let moduleRef: TestingModule;
let handler: CallSummaryHandler;
let tenantId: string;
let phoneSeq = 0;

const sid = () => `CA${randomBytes(16).toString('hex')}`;
const keyFor = (callSid: string) => `twilio/calls/${callSid}/summary-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;

function summary(callSid: string, outcome: string, extra: Record<string, unknown> = {}) {
  const startedAt = new Date(Date.now() - 5 * 60_000);
  return {
    callSid,
    streamSid: `MZ${randomBytes(16).toString('hex')}`,
    startedAt: startedAt.toISOString(),
    endedAt: new Date(startedAt.getTime() + 120_000).toISOString(),
    transcript: [{ role: 'debtor', text: 'I will pay on Friday.' }],
    events: [],
    final_state: { step: 'closing' },
    outcome,
    summary: `Outcome ${outcome}.`,
    ...extra,
  };
}

/** A case whose call was placed (in_progress with its SID), as CALL_CASE leaves it. */
async function placedCall() {
  const { caseId, debtorId } = await seedCase(db.pool, { tenantId, phone: `+1312555${String(1000 + ++phoneSeq)}`, timezone: ZONE, status: 'IN_PROGRESS' });
  const callSid = sid();
  const { rows } = await db.pool.query(
    `WITH il AS (
       INSERT INTO interaction_logs (id, created_at, updated_at, tenant_id, debt_case_id, debtor_id, type, direction, channel_provider, provider_ref, status, started_at)
       VALUES (gen_random_uuid(), now(), now(), $1, $2, $3, 'CALL', 'OUTBOUND', 'twilio', $4, 'in_progress', now() - interval '10 minutes') RETURNING id)
     INSERT INTO worker_interactions (interaction_log_id, tenant_id, debt_case_id, channel, idempotency_key, evidence)
     SELECT il.id, $1, $2, 'CALL', $5, '{}' FROM il RETURNING interaction_log_id AS id`,
    [tenantId, caseId, debtorId, callSid, `CALL_CASE:int-${randomUUID()}`],
  );
  return { caseId, callSid, interactionId: rows[0].id as string };
}

/** A real job on the test prefix (no worker consumes it: the handler is called here). */
async function ctxFor(data: Record<string, unknown>) {
  const job = await queue.add('SYNC_CALL_SUMMARY', data, { jobId: `int-${randomUUID()}` });
  return { job, data: data as never, log: pino({ level: 'silent' }) };
}

const interaction = async (id: string) => (await db.pool.query(`SELECT status, outcome, summary, ai_data FROM interaction_logs WHERE id = $1`, [id])).rows[0];
const caseStatus = async (id: string) => (await db.pool.query(`SELECT status FROM debt_cases WHERE id = $1`, [id])).rows[0].status as string;
const agreementCount = async (caseId: string) => Number((await db.pool.query(`SELECT count(*) AS n FROM payment_agreements WHERE debt_case_id = $1`, [caseId])).rows[0].n);

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = testPrefix();
  s3 = new FakeS3Server({ buckets: [BUCKET] });
  await s3.start();
  queue = testQueue('case-actions', prefix);
  tenantId = await seedTenant(db.pool, ZONE);
  // The app is booted with this environment, as bootstrap() boots it with the parsed process.env.
  const env = parseEnv(baseEnv(db.name, prefix, {
    LOG_LEVEL: 'silent',
    AWS_REGION: 'us-east-1',
    S3_BUCKET_NAME: BUCKET,
    S3_ENDPOINT: s3.url,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  }));
  const { Test } = await import('@nestjs/testing');
  const { CoreModule } = await import('../../src/core.module');
  const { CaseActionsModule } = await import('../../src/case-actions/case-actions.module');
  const { CallSummaryHandler: Handler } = await import('../../src/case-actions/call-summary.handler');
  moduleRef = await Test.createTestingModule({ imports: [CoreModule.forRoot({ app: 'worker', env }), CaseActionsModule] }).compile();
  await moduleRef.init();
  handler = moduleRef.get(Handler);
});

afterAll(async () => {
  await moduleRef?.close();
  await queue?.close();
  await s3?.stop();
  await cleanPrefix(prefix);
  await db?.drop();
});

it('applies a PROMISE_TO_PAY summary once: interaction, case and one agreement; the second run changes nothing', async () => {
  const p = await placedCall();
  const key = keyFor(p.callSid);
  s3.put(BUCKET, key, JSON.stringify(summary(p.callSid, 'PROMISE_TO_PAY', { events: [{ type: 'PROMISE_TO_PAY', amount_cents: 45000, date: '2030-01-10', note: null }] })));

  const first = await handler.handle(await ctxFor({ tenantId, callSid: p.callSid }));
  expect(first).toMatchObject({ applied: true, key, interactionOutcome: 'PROMISE_TO_PAY', caseStatus: 'PROMISE_TO_PAY' });
  expect(await interaction(p.interactionId)).toMatchObject({ status: 'completed', outcome: 'PROMISE_TO_PAY', summary: 'Outcome PROMISE_TO_PAY.' });
  expect(await caseStatus(p.caseId)).toBe('PROMISE_TO_PAY');
  expect(await agreementCount(p.caseId)).toBe(1);

  const gets = s3.requests.filter((r) => r.method === 'GET' && r.key === key).length;
  const again = await handler.handle(await ctxFor({ tenantId, interactionId: p.interactionId, key }));
  expect(again).toEqual({ applied: false, alreadyApplied: true, interactionId: p.interactionId, key });
  expect(await agreementCount(p.caseId)).toBe(1);
  // an applied summary is not read again
  expect(s3.requests.filter((r) => r.method === 'GET' && r.key === key).length).toBe(gets);
});

it('a summary missing a field fails without retry naming the field and the object; nothing is written', async () => {
  const p = await placedCall();
  const key = keyFor(p.callSid);
  const bad: Record<string, unknown> = summary(p.callSid, 'PROMISE_TO_PAY');
  delete bad.outcome;
  s3.put(BUCKET, key, JSON.stringify(bad));
  const { PermanentJobError } = await import('../../src/common/errors');

  const err = await handler.handle(await ctxFor({ tenantId, interactionId: p.interactionId, key })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PermanentJobError);
  expect((err as Error).message).toContain('outcome');
  expect((err as Error).message).toContain(`s3://${BUCKET}/${key}`);
  expect(await interaction(p.interactionId)).toMatchObject({ status: 'in_progress', outcome: null, summary: null });
  expect(await caseStatus(p.caseId)).toBe('IN_PROGRESS');
  expect(await agreementCount(p.caseId)).toBe(0);
});

it('no summary under the call yet: a retryable error naming where it looked; nothing is written', async () => {
  const p = await placedCall();
  const { SummaryNotFoundError } = await import('../../src/calls/summary/s3-summary.store');
  const err = await handler.handle(await ctxFor({ tenantId, callSid: p.callSid })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SummaryNotFoundError);
  expect((err as Error).message).toContain(`s3://${BUCKET}/twilio/calls/${p.callSid}/summary-`);
  expect(await interaction(p.interactionId)).toMatchObject({ status: 'in_progress', outcome: null });
});

it('a summary of another call is refused without retry; the interaction keeps its state', async () => {
  const p = await placedCall();
  const key = keyFor(p.callSid);
  s3.put(BUCKET, key, JSON.stringify(summary(sid(), 'PROMISE_TO_PAY')));
  const { PermanentJobError } = await import('../../src/common/errors');
  const err = await handler.handle(await ctxFor({ tenantId, callSid: p.callSid, key })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PermanentJobError);
  expect((err as Error).message).toContain(`does not match the interaction's call ${p.callSid}`);
  expect(await interaction(p.interactionId)).toMatchObject({ status: 'in_progress', outcome: null });
});
