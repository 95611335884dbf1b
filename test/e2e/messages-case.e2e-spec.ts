/**
 * SMS_CASE and EMAIL_CASE end to end: the built worker process, real Postgres and Redis, the fake
 * Twilio (Messaging) and the fake SES v2 server (real HTTP on loopback) reached through the official
 * SDKs (TWILIO_API_BASE_URL, SES_ENDPOINT).
 */
import { Job, Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'crypto';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { FakeTwilioServer } from '../fakes/twilio-server';
import { FakeSesServer } from '../fakes/ses-server';
import { daytimeZone, nighttimeZone, phoneIn, seedCase, seedTenant } from '../fakes/twilio-scenario';
import { ensureMessagingTables, insertAutomationState, insertTemplate } from '../fakes/messaging-scenario';
import { intentKey } from '../../src/case-actions/intent-key';

const SERVICE_SID = `MG${randomBytes(16).toString('hex')}`;
const FROM_EMAIL = 'Acme Collections <billing@acme.example>';
const REPLY_TO = 'replies@acme.example';

let db: TestDatabase;
let prefix: string;
let twilio: FakeTwilioServer;
let ses: FakeSesServer;
let worker: AppProcess | null = null;
let queue: Queue;
let tenantId: string;
let seq = 0;
let phoneSeq = 0;
const day = daytimeZone();

const SMS_BODY = 'Hi {{ debtor_name }}, {{tenant_name}} here about your balance. Pay: {{ payment_link }}{{ unknown_var }}';

async function messageJob(name: 'SMS_CASE' | 'EMAIL_CASE', data: Record<string, unknown>, attempts = 3): Promise<Job> {
  const jobId = `e2e-msg-${++seq}`;
  await queue.add(name, { tenantId, ...data }, { jobId, attempts, backoff: { type: 'fixed', delay: 200 } });
  return waitForJobEnd(queue, jobId, 60000);
}

async function rows(sql: string, params: unknown[]) {
  return (await db.pool.query(sql, params)).rows;
}

const logsOf = (caseId: string) => rows(`SELECT *, type::text AS type_text, direction::text AS direction_text FROM interaction_logs WHERE debt_case_id = $1 ORDER BY created_at`, [caseId]);
const intentsOf = (caseId: string) => rows(`SELECT * FROM worker_interactions WHERE debt_case_id = $1`, [caseId]);
const eventsOf = (caseId: string) => rows(`SELECT event_type, channel, payload FROM collection_events WHERE debt_case_id = $1 ORDER BY created_at`, [caseId]);

/** A case whose debtor is in daytime now (or the given zone), with an email, on an automation stage. */
async function newCase(o: { zone?: { zone: string; prefix: string }; email?: string | null; stageRules?: Record<string, unknown>; approval?: string } = {}) {
  const spec = o.zone ?? day;
  const phone = phoneIn(spec, ++phoneSeq);
  const { caseId, debtorId } = await seedCase(db.pool, { tenantId, phone, timezone: spec.zone });
  const email = o.email === undefined ? `debtor${phoneSeq}@mail.example` : o.email;
  await db.pool.query(`UPDATE debtors SET email = $2, full_name = 'Jamie Rivera' WHERE id = $1`, [debtorId, email]);
  await db.pool.query(`UPDATE debt_cases SET payment_link_url = $2, currency = 'USD', due_date = '2026-10-01', meta = $3 WHERE id = $1`, [
    caseId,
    `https://pay.acme.example/p/${phoneSeq}`,
    JSON.stringify({ property_name: 'Maple Court', unit_number: '4B' }),
  ]);
  if (o.approval) await db.pool.query(`UPDATE debt_cases SET approval_status = $2 WHERE id = $1`, [caseId, o.approval]);
  const st = await insertAutomationState(db.pool, { tenantId, caseId, rules: o.stageRules ?? {} });
  return { caseId, debtorId, phone, email, ...st, payload: { caseId, automationId: st.automationId, stateId: st.stateId } };
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
  tenantId = await seedTenant(db.pool, day.zone);
  await db.pool.query(
    `INSERT INTO tenant_brandings (id, tenant_id, company_name, show_powered_by, created_at, updated_at) VALUES ($1, $2, 'Acme Property Co', true, now(), now())`,
    [randomUUID(), tenantId],
  );
  // the tenant's defaults: the oldest active template of each channel
  await insertTemplate(db.pool, { tenantId, channel: 'sms', name: 'default sms', bodyText: SMS_BODY, createdAt: new Date(Date.now() - 60_000) });
  await insertTemplate(db.pool, { tenantId, channel: 'sms', name: 'newer sms', bodyText: 'not the default {{ debtor_name }}' });
  await insertTemplate(db.pool, {
    tenantId,
    channel: 'email',
    name: 'default email',
    subject: 'Balance of {{ amount_due }} at {{ property_name }}',
    bodyText: 'Hello {{ debtor_name }},\n\n{% if days_past_due != "N/A" %}Your balance is {{ days_past_due }} days past due.{% endif %}\n\nPay here: {{ payment_link }}',
    bodyHtml: '<p>Hello {{ debtor_name }}, unit {{ unit_number }} owes <b>{{ amount_due }}</b> ({{ stage_name }}).</p>',
    createdAt: new Date(Date.now() - 60_000),
  });
  worker = startWorker(
    baseEnv(db.name, prefix, {
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_MESSAGING_SERVICE_SID: SERVICE_SID,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_HTTP_TIMEOUT_MS: '1000',
      SES_FROM_EMAIL: FROM_EMAIL,
      SES_REPLY_TO_EMAIL: REPLY_TO,
      SES_REGION: 'us-east-1',
      SES_ENDPOINT: ses.url,
      AWS_ACCESS_KEY_ID: ses.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ses.secretAccessKey,
      EMAIL_UNSUBSCRIBE_URL: 'https://acme.example/unsubscribe',
      WORKER_CONCURRENCY: '4',
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

beforeEach(() => {
  twilio.reset();
  ses.reset();
});

describe('SMS_CASE', () => {
  it('renders the tenant default template with the opt-out, sends exactly one message and records it', async () => {
    const c = await newCase();
    const job = await messageJob('SMS_CASE', c.payload);
    expect(await job.getState()).toBe('completed');
    expect(twilio.messageRequests()).toHaveLength(1);
    expect(twilio.messages).toHaveLength(1);
    const req = twilio.messageRequests()[0];
    expect(req.authorized).toBe(true);
    expect(req.form).toMatchObject({ To: c.phone, MessagingServiceSid: SERVICE_SID });
    expect(req.form.From).toBeUndefined();
    const tenantName = (await rows(`SELECT name FROM tenants WHERE id = $1`, [tenantId]))[0].name;
    expect(req.form.Body).toBe(`Hi Jamie Rivera, ${tenantName} here about your balance. Pay: https://pay.acme.example/p/${phoneSeq}\nReply STOP to opt out.`);

    const logs = await logsOf(c.caseId);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ type_text: 'SMS', direction_text: 'OUTBOUND', channel_provider: 'twilio', status: 'sent', provider_ref: twilio.messages[0].sid, summary: req.form.Body });
    expect(job.returnvalue).toEqual({ sent: true, interactionLogId: logs[0].id, providerRef: twilio.messages[0].sid });
    const intents = await intentsOf(c.caseId);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ interaction_log_id: logs[0].id, channel: 'SMS', idempotency_key: intentKey(job) });
    expect(intents[0].evidence.template).toMatchObject({ name: 'default sms', source: 'tenant_default' });
    expect(intents[0].evidence.rules.checks).toEqual(expect.arrayContaining(['approved', 'no open dispute', 'not do_not_contact']));
    expect(intents[0].attempts).toHaveLength(1);
    expect((await eventsOf(c.caseId)).map((e) => e.event_type)).toEqual(['sms_sent']);
  });

  it('uses the template the stage names, and does not add a second opt-out when the template has one', async () => {
    const tpl = await insertTemplate(db.pool, { tenantId, channel: 'sms', name: 'stage sms', bodyText: '{{tenant_name}}: {{ link }} Reply STOP to unsubscribe' });
    const c = await newCase({ stageRules: { sms_template_id: tpl } });
    const job = await messageJob('SMS_CASE', c.payload);
    expect(job.returnvalue.sent).toBe(true);
    expect(twilio.messageRequests()).toHaveLength(1);
    expect(twilio.messageRequests()[0].form.Body).toMatch(/: https:\/\/pay\.acme\.example\/p\/\d+ Reply STOP to unsubscribe$/);
    expect((await intentsOf(c.caseId))[0].evidence.template).toMatchObject({ id: tpl, source: 'stage_rules' });
  });

  it('reaches Twilio exactly once across a retry after a 429', async () => {
    const c = await newCase();
    twilio.scriptMessage({ kind: 'error', status: 429, code: 20429 }, { to: c.phone });
    const job = await messageJob('SMS_CASE', c.payload);
    expect(await job.getState()).toBe('completed');
    expect(twilio.messageRequests()).toHaveLength(2);
    expect(twilio.messages).toHaveLength(1);
    const logs = await logsOf(c.caseId);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ status: 'sent', provider_ref: twilio.messages[0].sid });
    const [intent] = await intentsOf(c.caseId);
    expect(intent.attempts.map((a: { result: string }) => a.result)).toEqual(['retry', 'sent']);
    expect(intent.attempts[0].error).toMatchObject({ kind: 'rate_limited', status: 429, code: '20429' });
  });

  it('after a send whose answer was lost, the retry finds the message at Twilio and does not send it again', async () => {
    const c = await newCase();
    twilio.scriptMessage({ kind: 'drop' }, { to: c.phone });
    const job = await messageJob('SMS_CASE', c.payload);
    expect(await job.getState()).toBe('completed');
    expect(twilio.messageRequests()).toHaveLength(1);
    expect(twilio.messages).toHaveLength(1);
    expect(job.returnvalue).toMatchObject({ sent: true, providerRef: twilio.messages[0].sid, resumed: true });
    const logs = await logsOf(c.caseId);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ status: 'sent', provider_ref: twilio.messages[0].sid });
    expect(twilio.requests.some((r) => r.method === 'GET' && /\/Messages\.json$/.test(r.path) && r.query.To === c.phone)).toBe(true);
  }, 30000);

  it('after a 500 the retry looks at Twilio, finds nothing, and sends once', async () => {
    const c = await newCase();
    twilio.scriptMessage({ kind: 'error', status: 500, code: 20500 }, { to: c.phone });
    const job = await messageJob('SMS_CASE', c.payload);
    expect(await job.getState()).toBe('completed');
    expect(twilio.messageRequests()).toHaveLength(2);
    expect(twilio.messages).toHaveLength(1);
    expect((await logsOf(c.caseId))[0].provider_ref).toBe(twilio.messages[0].sid);
  });

  it('21211 (invalid number): no retry, the SMS channel marked invalid and the case INVALID_CONTACT', async () => {
    const c = await newCase();
    twilio.scriptMessage({ kind: 'error', status: 400, code: 21211 }, { to: c.phone });
    const job = await messageJob('SMS_CASE', c.payload);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/21211/);
    expect(twilio.messageRequests()).toHaveLength(1);
    const logs = await logsOf(c.caseId);
    expect(logs[0]).toMatchObject({ status: 'failed', outcome: 'FAILED', provider_ref: null });
    expect(logs[0].error).toMatchObject({ kind: 'invalid_recipient', code: '21211' });
    const [flags] = await rows(`SELECT * FROM worker_debtor_flags WHERE debtor_id = $1`, [c.debtorId]);
    expect(flags.source.channels.sms).toMatchObject({ status: 'invalid', code: '21211' });
    expect((await rows(`SELECT status::text AS status FROM debt_cases WHERE id = $1`, [c.caseId]))[0].status).toBe('INVALID_CONTACT');
    expect((await eventsOf(c.caseId)).map((e) => e.event_type)).toEqual(['sms_failed']);
  });

  it('21610 (the debtor replied STOP): no retry, SMS opted out for the debtor, later SMS skipped, email still allowed', async () => {
    const c = await newCase();
    twilio.scriptMessage({ kind: 'error', status: 400, code: 21610 }, { to: c.phone });
    const job = await messageJob('SMS_CASE', c.payload);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    const [flags] = await rows(`SELECT * FROM worker_debtor_flags WHERE debtor_id = $1`, [c.debtorId]);
    expect(flags.source.channels.sms).toMatchObject({ status: 'opted_out', code: '21610' });
    expect((await rows(`SELECT status::text AS status FROM debt_cases WHERE id = $1`, [c.caseId]))[0].status).toBe('NEW');

    const again = await messageJob('SMS_CASE', c.payload);
    expect(await again.getState()).toBe('completed');
    expect(again.returnvalue).toMatchObject({ sent: false, reason: 'CHANNEL_OPTED_OUT' });
    expect(twilio.messageRequests()).toHaveLength(1);
    const mail = await messageJob('EMAIL_CASE', c.payload);
    expect(mail.returnvalue.sent).toBe(true);
  });

  it('outside the debtor window: not sent, the job completes with the reason and the state waits for the next lawful moment', async () => {
    const c = await newCase({ zone: nighttimeZone() });
    const job = await messageJob('SMS_CASE', c.payload);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ sent: false, reason: 'OUTSIDE_WINDOW' });
    const next = new Date(job.returnvalue.nextAllowedAt);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(twilio.messageRequests()).toHaveLength(0);
    expect(await logsOf(c.caseId)).toHaveLength(0);
    const [state] = await rows(`SELECT next_action_at FROM case_automation_state WHERE id = $1`, [c.stateId]);
    expect(new Date(state.next_action_at).toISOString()).toBe(next.toISOString());
    expect((await eventsOf(c.caseId)).map((e) => e.event_type)).toEqual(['sms_skipped_outside_window']);
  });

  it.each([
    ['do_not_contact', 'DO_NOT_CONTACT', 'sms_skipped_do_not_contact'],
    ['an open dispute', 'OPEN_DISPUTE', 'dispatch_skipped_open_dispute'],
    ['approval pending', 'NOT_APPROVED', 'dispatch_skipped_approval_pending'],
  ])('%s: not sent, the reason in the return value and the API event', async (label, reason, event) => {
    const c = await newCase({ approval: label === 'approval pending' ? 'PENDING_APPROVAL' : undefined });
    if (label === 'do_not_contact') await db.pool.query(`INSERT INTO worker_debtor_flags (debtor_id, tenant_id, do_not_contact) SELECT id, tenant_id, true FROM debtors WHERE id = $1 ON CONFLICT (debtor_id) DO UPDATE SET do_not_contact = true`, [c.debtorId]);
    if (label === 'an open dispute') {
      await db.pool.query(`INSERT INTO case_disputes (id, tenant_id, debt_case_id, status, reason, created_at, updated_at) VALUES ($1, $2, $3, 'OPEN', 'WRONG_AMOUNT', now(), now())`, [
        randomUUID(),
        tenantId,
        c.caseId,
      ]);
    }
    for (const name of ['SMS_CASE', 'EMAIL_CASE'] as const) {
      const job = await messageJob(name, c.payload);
      expect(await job.getState()).toBe('completed');
      expect(job.returnvalue).toMatchObject({ sent: false, reason });
    }
    expect(twilio.messageRequests()).toHaveLength(0);
    expect(ses.sendRequests()).toHaveLength(0);
    expect(await logsOf(c.caseId)).toHaveLength(0);
    expect((await eventsOf(c.caseId)).map((e) => e.event_type)).toEqual([event, event.replace('sms_', 'email_')]);
  });

  it('a missing template fails without retry naming the stage and the template', async () => {
    const missing = randomUUID();
    const c = await newCase({ stageRules: { sms_template_id: missing } });
    const job = await messageJob('SMS_CASE', c.payload);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain(`stage "Firm reminder" (${c.stageId}) names SMS template ${missing}`);
    expect(twilio.messageRequests()).toHaveLength(0);
    expect(await logsOf(c.caseId)).toHaveLength(0);
    const events = await eventsOf(c.caseId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event_type: 'sms_skipped_missing_template', channel: 'sms', payload: { templateReason: 'stage_template_not_found', stageId: c.stageId } });
  });

  it("a state of another case, or a case of another tenant, fails without retry naming it", async () => {
    const a = await newCase();
    const b = await newCase();
    const wrongState = await messageJob('SMS_CASE', { ...a.payload, stateId: b.stateId });
    expect(await wrongState.getState()).toBe('failed');
    expect(wrongState.failedReason).toContain(`stateId ${b.stateId}`);
    const jobId = `e2e-msg-${++seq}`;
    await queue.add('SMS_CASE', { ...a.payload, tenantId: randomUUID() }, { jobId, attempts: 3 });
    const wrongTenant = await waitForJobEnd(queue, jobId);
    expect(wrongTenant.failedReason).toMatch(/not found for tenant/);
    expect(wrongTenant.attemptsMade).toBe(1);
    expect(twilio.messageRequests()).toHaveLength(0);
  });
});

describe('EMAIL_CASE', () => {
  it('renders the Nunjucks template, adds the sender line and the opt-out, sends one signed SendEmail and records it', async () => {
    const c = await newCase();
    const job = await messageJob('EMAIL_CASE', c.payload);
    expect(await job.getState()).toBe('completed');
    expect(ses.sendRequests()).toHaveLength(1);
    expect(ses.sendRequests()[0]).toMatchObject({ signed: true, region: 'us-east-1' });
    expect(ses.sent).toHaveLength(1);
    const mail = ses.sent[0];
    expect(mail).toMatchObject({ from: FROM_EMAIL, to: [c.email], replyTo: [REPLY_TO], subject: 'Balance of $1,250.00 at Maple Court' });
    expect(mail.text).toBe(
      `Hello Jamie Rivera,\n\nYour balance is 35 days past due.\nPay here: https://pay.acme.example/p/${phoneSeq}\n\n--\n` +
        'To stop receiving emails from Acme Property Co about this account, reply to this email with STOP or visit https://acme.example/unsubscribe.',
    );
    expect(mail.html).toContain('<p>Hello Jamie Rivera, unit 4B owes <b>$1,250.00</b> (Firm reminder).</p>');
    expect(mail.html).toContain('reply to this email with STOP or <a href="https://acme.example/unsubscribe">unsubscribe here</a>');
    expect(mail.tags).toEqual(expect.arrayContaining([{ Name: 'debt_case_id', Value: c.caseId }, { Name: 'channel', Value: 'email' }]));

    const logs = await logsOf(c.caseId);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ type_text: 'EMAIL', direction_text: 'OUTBOUND', channel_provider: 'ses', status: 'sent', provider_ref: mail.messageId });
    expect(mail.tags).toContainEqual({ Name: 'interaction_id', Value: logs[0].id });
    expect(job.returnvalue).toEqual({ sent: true, interactionLogId: logs[0].id, providerRef: mail.messageId });
    expect((await intentsOf(c.caseId))[0]).toMatchObject({ channel: 'EMAIL', idempotency_key: intentKey(job) });
    expect((await eventsOf(c.caseId)).map((e) => e.event_type)).toEqual(['email_sent']);
  });

  it('reaches SES exactly once across a retry after throttling (429 TooManyRequestsException)', async () => {
    const c = await newCase();
    ses.script({ kind: 'error', status: 429, type: 'TooManyRequestsException' }, { to: c.email! });
    const job = await messageJob('EMAIL_CASE', c.payload);
    expect(await job.getState()).toBe('completed');
    expect(ses.sendRequests()).toHaveLength(2);
    expect(ses.sent).toHaveLength(1);
    const logs = await logsOf(c.caseId);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ status: 'sent', provider_ref: ses.sent[0].messageId });
    const [intent] = await intentsOf(c.caseId);
    expect(intent.attempts.map((a: { result: string }) => a.result)).toEqual(['retry', 'sent']);
    expect(intent.attempts[0].error).toMatchObject({ kind: 'rate_limited', status: 429, code: 'TooManyRequestsException' });
  });

  it("under SES's sending rate (the fake's 2 per second), a burst of emails all go out, each exactly once", async () => {
    ses.maxPerSecond = 2;
    const cases = await Promise.all([newCase(), newCase(), newCase(), newCase()]);
    const ids = cases.map(() => `e2e-msg-${++seq}`);
    await Promise.all(cases.map((c, i) => queue.add('EMAIL_CASE', { tenantId, ...c.payload }, { jobId: ids[i], attempts: 8, backoff: { type: 'fixed', delay: 400 } })));
    const jobs = await Promise.all(ids.map((id) => waitForJobEnd(queue, id, 60000)));
    for (const j of jobs) expect(j.returnvalue).toMatchObject({ sent: true });
    expect(ses.sent.map((m) => m.to[0]).sort()).toEqual(cases.map((c) => c.email).sort());
    expect(ses.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    for (const c of cases) expect((await logsOf(c.caseId)).map((l) => l.status)).toEqual(['sent']);
  });

  it.each([
    ['MessageRejected', 400, 'MessageRejected', false],
    ['AccountSuspendedException', 400, 'AccountSuspendedException', false],
    ['a bad address (BadRequestException)', 400, 'BadRequestException', true],
  ] as const)('%s: no retry; only a bad address marks the email channel invalid', async (_label, status, type, flags) => {
    const c = await newCase();
    ses.script({ kind: 'error', status, type }, { to: c.email! });
    const job = await messageJob('EMAIL_CASE', c.payload);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain(type);
    expect(ses.sendRequests()).toHaveLength(1);
    expect(ses.sent).toHaveLength(0);
    const logs = await logsOf(c.caseId);
    expect(logs[0]).toMatchObject({ status: 'failed', outcome: 'FAILED' });
    expect(logs[0].error).toMatchObject({ provider: 'ses', code: type });
    const flag = await rows(`SELECT source FROM worker_debtor_flags WHERE debtor_id = $1`, [c.debtorId]);
    if (flags) expect(flag[0].source.channels.email).toMatchObject({ status: 'invalid', code: type });
    else expect(flag[0]?.source?.channels?.email).toBeUndefined();
  });

  it('after an answer lost in transit (SES cannot be asked), the email is not sent a second time', async () => {
    const c = await newCase();
    ses.script({ kind: 'drop' }, { to: c.email! });
    const job = await messageJob('EMAIL_CASE', c.payload);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/may have been sent/);
    expect(ses.sendRequests()).toHaveLength(1);
    expect((await logsOf(c.caseId))[0].error).toMatchObject({ reason: 'SEND_OUTCOME_UNKNOWN' });
  });

  it('no email address: not sent, reported as an invalid contact', async () => {
    const c = await newCase({ email: null });
    const job = await messageJob('EMAIL_CASE', c.payload);
    expect(job.returnvalue).toMatchObject({ sent: false, reason: 'NO_CONTACT' });
    expect(ses.sendRequests()).toHaveLength(0);
    expect((await eventsOf(c.caseId)).map((e) => e.event_type)).toEqual(['email_skipped_invalid_contact']);
  });
});

/** A second worker on its own queue prefix, with other settings, for one describe block. */
function otherWorker(extra: Record<string, string>) {
  const ctx: { prefix: string; queue: Queue; worker: AppProcess | null } = { prefix: '', queue: null as unknown as Queue, worker: null };
  beforeAll(async () => {
    ctx.prefix = testPrefix();
    ctx.queue = testQueue('case-actions', ctx.prefix);
    ctx.worker = startWorker(baseEnv(db.name, ctx.prefix, { TWILIO_API_BASE_URL: twilio.url, SES_ENDPOINT: ses.url, ...extra }));
    await ctx.worker.waitForMsg('worker ready', 30000);
  });
  afterAll(async () => {
    await ctx.worker?.stop();
    await ctx.queue?.close();
    await cleanPrefix(ctx.prefix);
  });
  return async (name: 'SMS_CASE' | 'EMAIL_CASE', data: Record<string, unknown>): Promise<Job> => {
    const jobId = `e2e-msg-${++seq}`;
    await ctx.queue.add(name, { tenantId, ...data }, { jobId, attempts: 3, backoff: { type: 'fixed', delay: 200 } });
    return waitForJobEnd(ctx.queue, jobId, 60000);
  };
}

describe('MESSAGES_DRY_RUN=true (no provider configured)', () => {
  const run = otherWorker({ MESSAGES_DRY_RUN: 'true' });

  it('records both messages as simulated, rendered, and contacts no provider', async () => {
    const c = await newCase();
    for (const name of ['SMS_CASE', 'EMAIL_CASE'] as const) {
      const job = await run(name, c.payload);
      expect(await job.getState()).toBe('completed');
      expect(job.returnvalue).toMatchObject({ sent: false, dryRun: true, reason: 'DRY_RUN' });
    }
    expect(twilio.requests).toHaveLength(0);
    expect(ses.requests).toHaveLength(0);
    const logs = await logsOf(c.caseId);
    expect(logs.map((l) => [l.type_text, l.status, l.provider_ref])).toEqual([
      ['SMS', 'simulated', null],
      ['EMAIL', 'simulated', null],
    ]);
    expect(logs[0].summary).toMatch(/^Hi Jamie Rivera, .*\nReply STOP to opt out\.$/);
    expect(logs[1].summary).toMatch(/reply to this email with STOP/);
  });
});

describe('messages with the provider settings missing', () => {
  const run = otherWorker({});

  it('fail without retry naming every missing variable, before anything is recorded', async () => {
    const c = await newCase();
    const sms = await run('SMS_CASE', c.payload);
    expect(await sms.getState()).toBe('failed');
    expect(sms.attemptsMade).toBe(1);
    expect(sms.failedReason).toContain('sms needs configuration that is missing: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN');
    const mail = await run('EMAIL_CASE', c.payload);
    expect(mail.attemptsMade).toBe(1);
    expect(mail.failedReason).toContain('email needs configuration that is missing: SES_FROM_EMAIL');
    expect(await logsOf(c.caseId)).toHaveLength(0);
    expect(twilio.requests).toHaveLength(0);
    expect(ses.requests).toHaveLength(0);
  });
});
