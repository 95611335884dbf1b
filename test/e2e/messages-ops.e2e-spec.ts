/**
 * The operator's view of messages: after a known set of SMS_CASE / EMAIL_CASE jobs through the built
 * worker (fake Twilio and SES over loopback HTTP, real Postgres and Redis, a database of its own),
 * /metrics and `status --json` give exact counts by channel and outcome: sent, failed by kind,
 * retried, held by rule.
 */
import { Job, Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'crypto';
import { createServer } from 'net';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { runCli, startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { FakeTwilioServer } from '../fakes/twilio-server';
import { FakeSesServer } from '../fakes/ses-server';
import { daytimeZone, nighttimeZone, phoneIn, seedCase, seedTenant } from '../fakes/twilio-scenario';
import { ensureMessagingTables, insertAutomationState, insertTemplate } from '../fakes/messaging-scenario';

jest.setTimeout(120_000);

let db: TestDatabase;
let prefix: string;
let twilio: FakeTwilioServer;
let ses: FakeSesServer;
let worker: AppProcess;
let queue: Queue;
let tenantId: string;
let port: number;
let seq = 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function newCase(o: { zone?: { zone: string; prefix: string }; email?: string | null; stageRules?: Record<string, unknown> } = {}) {
  const spec = o.zone ?? daytimeZone();
  const phone = phoneIn(spec, ++seq);
  const { caseId, debtorId } = await seedCase(db.pool, { tenantId, phone, timezone: spec.zone });
  const email = o.email === undefined ? `ops${seq}@mail.example` : o.email;
  await db.pool.query(`UPDATE debtors SET email = $2 WHERE id = $1`, [debtorId, email]);
  const st = await insertAutomationState(db.pool, { tenantId, caseId, rules: o.stageRules ?? {} });
  return { phone, email, payload: { caseId, automationId: st.automationId, stateId: st.stateId } };
}

async function job(name: 'SMS_CASE' | 'EMAIL_CASE', data: Record<string, unknown>): Promise<Job> {
  const id = `ops-${++seq}`;
  await queue.add(name, { tenantId, ...data }, { jobId: id, attempts: 3, backoff: { type: 'fixed', delay: 200 } });
  return waitForJobEnd(queue, id, 60_000);
}

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureMessagingTables(db.pool);
  prefix = testPrefix();
  twilio = new FakeTwilioServer();
  ses = new FakeSesServer();
  await twilio.start();
  await ses.start();
  queue = testQueue('case-actions', prefix);
  tenantId = await seedTenant(db.pool, daytimeZone().zone);
  await insertTemplate(db.pool, { tenantId, channel: 'sms', bodyText: 'Hi {{ debtor_name }}, about your balance.' });
  await insertTemplate(db.pool, { tenantId, channel: 'email', subject: 'Your balance', bodyText: 'Hello {{ debtor_name }}.' });
  port = await freePort();
  worker = startWorker(
    baseEnv(db.name, prefix, {
      METRICS_PORT: String(port),
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_MESSAGING_SERVICE_SID: `MG${randomBytes(16).toString('hex')}`,
      TWILIO_API_BASE_URL: twilio.url,
      SES_FROM_EMAIL: 'billing@acme.example',
      SES_REGION: 'us-east-1',
      SES_ENDPOINT: ses.url,
      AWS_ACCESS_KEY_ID: ses.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ses.secretAccessKey,
      EMAIL_UNSUBSCRIBE_URL: 'https://acme.example/unsubscribe',
    }),
  );
  await worker.waitForMsg('worker ready', 30000);
});

afterAll(async () => {
  await worker?.stop();
  await queue?.close();
  await twilio?.stop();
  await ses?.stop();
  await cleanPrefix(prefix);
  await db?.drop();
});

describe('messages by outcome', () => {
  it('/metrics and status count sent, failed by kind, retried and held-by-rule messages exactly', async () => {
    // SMS: two sent, one refused as an invalid number (no retry), one held outside the debtor's window
    for (let i = 0; i < 2; i++) expect((await job('SMS_CASE', (await newCase()).payload)).returnvalue).toMatchObject({ sent: true });
    const invalid = await newCase();
    twilio.scriptMessage({ kind: 'error', status: 400, code: 21211 }, { to: invalid.phone });
    expect(await (await job('SMS_CASE', invalid.payload)).getState()).toBe('failed');
    expect((await job('SMS_CASE', (await newCase({ zone: nighttimeZone() })).payload)).returnvalue).toMatchObject({ sent: false, reason: 'OUTSIDE_WINDOW' });
    // EMAIL: one throttled once then sent, one without an address, one whose stage names a missing template
    const throttled = await newCase();
    ses.script({ kind: 'error', status: 429, type: 'TooManyRequestsException' }, { to: throttled.email! });
    const t = await job('EMAIL_CASE', throttled.payload);
    expect(await t.getState()).toBe('completed');
    expect(ses.sendRequests()).toHaveLength(2);
    expect((await job('EMAIL_CASE', (await newCase({ email: null })).payload)).returnvalue).toMatchObject({ sent: false, reason: 'NO_CONTACT' });
    expect(await (await job('EMAIL_CASE', (await newCase({ stageRules: { email_template_id: randomUUID() } })).payload)).getState()).toBe('failed');
    expect(twilio.messages).toHaveLength(2);
    expect(ses.sent).toHaveLength(1);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const counters = metrics.split('\n').filter((l) => l.startsWith('mordecai_messages_total{')).sort();
    expect(counters).toEqual(
      [
        'mordecai_messages_total{channel="EMAIL",outcome="failed",reason="missing_template"} 1',
        'mordecai_messages_total{channel="EMAIL",outcome="retried",reason="rate_limited"} 1',
        'mordecai_messages_total{channel="EMAIL",outcome="sent",reason=""} 1',
        'mordecai_messages_total{channel="EMAIL",outcome="skipped",reason="no_contact"} 1',
        'mordecai_messages_total{channel="SMS",outcome="failed",reason="invalid_recipient"} 1',
        'mordecai_messages_total{channel="SMS",outcome="sent",reason=""} 2',
        'mordecai_messages_total{channel="SMS",outcome="skipped",reason="outside_window"} 1',
      ].sort(),
    );
    // the database's record: a held message or a missing template leaves no interaction
    const gauges = metrics.split('\n').filter((l) => l.startsWith('mordecai_messages{')).sort();
    expect(gauges).toEqual(['mordecai_messages{channel="EMAIL",status="sent"} 1', 'mordecai_messages{channel="SMS",status="failed"} 1', 'mordecai_messages{channel="SMS",status="sent"} 2']);

    const cli = await runCli(['status', '--json'], baseEnv(db.name, prefix));
    expect(cli.code).toBe(0);
    const st = JSON.parse(cli.stdout.trim().split('\n').pop()!);
    expect(st.messages24h).toEqual({
      byStatus: [
        { channel: 'EMAIL', status: 'sent', reason: '', n: 1 },
        { channel: 'SMS', status: 'failed', reason: 'invalid_recipient', n: 1 },
        { channel: 'SMS', status: 'sent', reason: '', n: 2 },
      ],
      skipped: [
        { channel: 'EMAIL', event_type: 'email_skipped_invalid_contact', n: 1 },
        { channel: 'EMAIL', event_type: 'email_skipped_missing_template', n: 1 },
        { channel: 'SMS', event_type: 'sms_skipped_outside_window', n: 1 },
      ],
    });
    const text = await runCli(['status'], baseEnv(db.name, prefix));
    expect(text.stdout).toMatch(/^SMS\s+failed\s+invalid_recipient\s+1$/m);
    expect(text.stdout).toMatch(/^SMS\s+sms_skipped_outside_window\s+1$/m);
  });
});
