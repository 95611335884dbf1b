import type { Queue } from 'bullmq';
import { randomUUID } from 'crypto';
import type { DataSource } from 'typeorm';
import { enrollNewCases } from '../../collections/enroll';
import type { TickResult } from '../../collections/collection-tick.engine';

/**
 * The demo's automation, created the way the API creates one: two templates (sms, email), a strategy,
 * three stages by days past due, then the automation on the sandbox connection, created paused and
 * then activated (as the API's create then activate do), and its cases enrolled (the worker's
 * enrollment after a build, the same rows the API's enroll writes). Cases over 60 days need approval
 * (HYBRID), so the tick shows a hold that only a person lifts, beside the channels' own rules.
 */
export const DEMO_STAGES = [
  { name: 'Reminder (1-30 days)', min: 1, max: 30, channels: { call: false, sms: true, email: true }, tone: 'friendly' },
  { name: 'Firm (31-60 days)', min: 31, max: 60, channels: { call: true, sms: true, email: true }, tone: 'firm' },
  { name: 'Final (61+ days)', min: 61, max: null, channels: { call: true, sms: false, email: true }, tone: 'formal' },
] as const;

const SMS_BODY = 'Hi {{ debtor_name }}, this is {{ tenant_name }} about your rent balance. Please call our office to arrange a payment.';
const EMAIL_SUBJECT = 'Your balance of {{ amount_due }} at {{ property_name }}';
const EMAIL_TEXT = 'Hello {{ debtor_name }},\n\nYour balance of {{ amount_due }} is {{ days_past_due }} days past due ({{ stage_name }}).\n\nPlease call our office to arrange a payment.';
const EMAIL_HTML = '<p>Hello {{ debtor_name }},</p><p>Your balance of <b>{{ amount_due }}</b> is {{ days_past_due }} days past due.</p><p>Please call our office to arrange a payment.</p>';

export interface DemoAutomation {
  automationId: string;
  strategyId: string;
  enrolled: number;
  approved: number;
  pendingApproval: number;
}

export async function createDemoAutomation(db: DataSource, tenantId: string, connectionId: string, now: Date): Promise<DemoAutomation> {
  const sms = randomUUID();
  const email = randomUUID();
  await db.query(
    `INSERT INTO tenant_message_templates (id, tenant_id, channel, name, subject, body_text, body_html, is_active, created_at, updated_at)
     VALUES ($1, $3, 'sms', 'Demo reminder (SMS)', NULL, $4, NULL, true, $6, $6), ($2, $3, 'email', 'Demo reminder (email)', $5, $7, $8, true, $6, $6)`,
    [sms, email, tenantId, SMS_BODY, EMAIL_SUBJECT, now, EMAIL_TEXT, EMAIL_HTML],
  );
  const strategyId = randomUUID();
  await db.query(
    `INSERT INTO collection_strategies (id, tenant_id, name, description, is_active, global_rules, max_attempts_per_week, cooldown_hours,
       allowed_time_window, stop_on_promise, stop_on_payment, created_at, updated_at)
     VALUES ($1, $2, 'Demo strategy', 'Reminder, firm and final stages', true, '{}', 3, 24, NULL, true, true, $3, $3)`,
    [strategyId, tenantId, now],
  );
  for (const s of DEMO_STAGES) {
    // the stage names its templates in rules, as the API's stage editor stores them
    const rules = { ...(s.channels.sms ? { sms_template_id: sms } : {}), ...(s.channels.email ? { email_template_id: email } : {}) };
    await db.query(
      `INSERT INTO collection_stages (id, strategy_id, name, min_days_past_due, max_days_past_due, channels, messaging_config, tone, rules, is_active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, '{}', $7, $8::jsonb, true, $9, $9)`,
      [randomUUID(), strategyId, s.name, s.min, s.max, JSON.stringify({ ...s.channels, whatsapp: false }), s.tone, JSON.stringify(rules), now],
    );
  }
  const automationId = randomUUID();
  await db.query(
    `INSERT INTO collection_automations (id, tenant_id, pms_connection_id, strategy_id, status, started_at, paused_at, stats, approval_mode, approval_rules, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'paused', NULL, $5, '{}', 'HYBRID', $6::jsonb, $5, $5)`,
    [automationId, tenantId, connectionId, strategyId, now, JSON.stringify({ autoApproveMaxDpd: 60 })],
  );
  await db.query(`UPDATE collection_automations SET status = 'active', paused_at = NULL, next_tick_at = $2, started_at = coalesce(started_at, $2), updated_at = $2 WHERE id = $1`, [automationId, now]);
  const enrolled = await enrollNewCases(db.manager, tenantId, connectionId, now);
  const [a] = (await db.query(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE d.approval_status::text = 'APPROVED')::int AS approved
       FROM case_automation_state s JOIN debt_cases d ON d.id = s.debt_case_id WHERE s.automation_id = $1`,
    [automationId],
  )) as { n: number; approved: number }[];
  if (a.n !== enrolled.enrolled) throw new Error(`automation ${automationId}: ${enrolled.enrolled} case(s) enrolled but ${a.n} state row(s) found`);
  return { automationId, strategyId, enrolled: a.n, approved: a.approved, pendingApproval: a.n - a.approved };
}

export interface ChannelOutcome {
  channel: 'CALL' | 'SMS' | 'EMAIL';
  jobs: number;
  /** simulated (dry run) or, with live calls, placed */
  done: number;
  held: Record<string, number>;
  failed: Record<string, number>;
}

const TICK_JOB = /^(CALL_CASE|SMS_CASE|EMAIL_CASE)-[0-9a-f-]{36}-(\d+)$/;

/** What the case-action jobs of one tick slot ended with, per channel (their return values). */
export async function tickJobOutcomes(caseActions: Pick<Queue, 'getJobs'>, slotMs: number): Promise<ChannelOutcome[]> {
  const out = new Map<string, ChannelOutcome>();
  for (const ch of ['CALL', 'SMS', 'EMAIL'] as const) out.set(ch, { channel: ch, jobs: 0, done: 0, held: {}, failed: {} });
  for (const state of ['completed', 'failed'] as const) {
    for (const j of await caseActions.getJobs([state], 0, -1)) {
      const m = TICK_JOB.exec(String(j.id));
      if (!m || Number(m[2]) !== slotMs) continue;
      const o = out.get(m[1].replace('_CASE', ''))!;
      o.jobs++;
      if (state === 'failed') {
        const reason = (j.failedReason ?? 'failed').split(':')[0].slice(0, 60);
        o.failed[reason] = (o.failed[reason] ?? 0) + 1;
        continue;
      }
      const r = (j.returnvalue ?? {}) as { called?: boolean; sent?: boolean; dryRun?: boolean; reason?: string };
      if (r.called || r.sent || r.dryRun) o.done++;
      else o.held[r.reason ?? 'unknown'] = (o.held[r.reason ?? 'unknown'] ?? 0) + 1;
    }
  }
  return [...out.values()];
}

export interface DemoAutomationFacts extends DemoAutomation {
  tick: Pick<TickResult, 'at' | 'claimed' | 'dispatched' | 'jobs' | 'skipped'>;
  channels: ChannelOutcome[];
  /** one rendered text and one email subject, as the debtor would get them */
  exampleSms: string | null;
  exampleEmailSubject: string | null;
  exampleEmailOptOut: string | null;
}

export async function exampleMessages(db: DataSource, tenantId: string): Promise<{ sms: string | null; emailSubject: string | null; emailOptOut: string | null }> {
  const rows = (await db.query(
    `SELECT DISTINCT ON (type) type::text AS type, summary, ai_data FROM interaction_logs
      WHERE tenant_id = $1 AND type::text IN ('SMS', 'EMAIL') AND summary IS NOT NULL ORDER BY type, created_at, id`,
    [tenantId],
  )) as { type: string; summary: string; ai_data: { email?: { subject?: string; opt_out?: string } } | null }[];
  const email = rows.find((r) => r.type === 'EMAIL')?.ai_data?.email;
  return { sms: rows.find((r) => r.type === 'SMS')?.summary ?? null, emailSubject: email?.subject ?? null, emailOptOut: email?.opt_out ?? null };
}
