import { Pool } from 'pg';
import { randomUUID } from 'crypto';
import { automationConnection } from '../utils/seed';

/**
 * Rows SMS_CASE / EMAIL_CASE read, written the way the API writes them: automations, stages with
 * their template ids in `rules`, automation states, message templates and brandings. Until the test
 * template database carries the API's real schema, the API tables these jobs need (and the worker
 * tables of the shared design) are created here when missing, with the API's columns and no defaults.
 */
export async function ensureMessagingTables(pool: Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS collection_strategies (
      id uuid PRIMARY KEY, tenant_id uuid, name varchar(120) NOT NULL, description text, is_active boolean, global_rules jsonb,
      max_attempts_per_week integer, cooldown_hours integer, allowed_time_window varchar(64), stop_on_promise boolean, stop_on_payment boolean,
      created_at timestamptz, updated_at timestamptz);
    CREATE TABLE IF NOT EXISTS collection_automations (
      id uuid PRIMARY KEY, tenant_id uuid, pms_connection_id uuid, strategy_id uuid, status varchar(32) NOT NULL,
      started_at timestamptz, paused_at timestamptz, last_evaluated_at timestamptz, next_tick_at timestamptz, stats jsonb,
      approval_mode varchar(32), approval_rules jsonb, created_at timestamptz, updated_at timestamptz);
    CREATE TABLE IF NOT EXISTS collection_stages (
      id uuid PRIMARY KEY, strategy_id uuid, name varchar(120) NOT NULL, min_days_past_due integer NOT NULL, max_days_past_due integer,
      channels jsonb, messaging_config jsonb, tone varchar(40), rules jsonb, is_active boolean, created_at timestamptz, updated_at timestamptz);
    CREATE TABLE IF NOT EXISTS case_automation_state (
      id uuid PRIMARY KEY, debt_case_id uuid, automation_id uuid, strategy_id uuid, current_stage_id uuid, status varchar(32) NOT NULL,
      next_action_at timestamptz, last_attempt_at timestamptz, attempts_week_count integer, promise_due_date date, last_outcome varchar(64),
      last_outcome_at timestamptz, meta jsonb, created_at timestamptz, updated_at timestamptz);
    CREATE TABLE IF NOT EXISTS tenant_message_templates (
      id uuid PRIMARY KEY, tenant_id uuid, channel varchar(20) NOT NULL, name varchar(120) NOT NULL, subject varchar(500),
      body_text text NOT NULL, body_html text, is_active boolean, created_at timestamptz, updated_at timestamptz);
    CREATE TABLE IF NOT EXISTS tenant_brandings (
      id uuid PRIMARY KEY, tenant_id uuid, company_name varchar(160), logo_url text, primary_color varchar(7), secondary_color varchar(7),
      support_email varchar(160), support_phone varchar(40), support_hours varchar(80), footer_text text, show_powered_by boolean,
      legal_disclaimer_override text, otp_delivery_label_override varchar(120), created_at timestamptz, updated_at timestamptz);
    CREATE TABLE IF NOT EXISTS collection_events (
      id uuid PRIMARY KEY, automation_id uuid, debt_case_id uuid, channel varchar(32), event_type varchar(64) NOT NULL, payload jsonb, created_at timestamptz);
    CREATE TABLE IF NOT EXISTS worker_interactions (
      interaction_log_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, debt_case_id uuid NOT NULL, channel varchar(8) NOT NULL,
      idempotency_key varchar(256) NOT NULL, evidence jsonb NOT NULL DEFAULT '{}', attempts jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (tenant_id, idempotency_key));
    CREATE TABLE IF NOT EXISTS worker_debtor_flags (
      debtor_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, do_not_call boolean NOT NULL DEFAULT false, do_not_contact boolean NOT NULL DEFAULT false,
      timezone varchar(64), source jsonb NOT NULL DEFAULT '{}', updated_at timestamptz NOT NULL DEFAULT now());
  `);
}

export async function insertTemplate(
  pool: Pool,
  t: { tenantId: string; channel: 'sms' | 'email'; name?: string; subject?: string | null; bodyText: string; bodyHtml?: string | null; isActive?: boolean; createdAt?: Date },
): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO tenant_message_templates (id, tenant_id, channel, name, subject, body_text, body_html, is_active, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
    [id, t.tenantId, t.channel, t.name ?? `${t.channel} template`, t.subject ?? null, t.bodyText, t.bodyHtml ?? null, t.isActive ?? true, t.createdAt ?? new Date()],
  );
  return id;
}

/**
 * An automation with one stage (rules as the API stores them) and the case's state on that stage,
 * created as the API creates them: a strategy of the tenant, the stage in it, the automation on a
 * connection of the tenant (the SQL migrations' schema requires both ids) and the state naming the
 * strategy. The tenant's connection, or a new disconnected one.
 */
export async function insertAutomationState(
  pool: Pool,
  o: { tenantId: string; caseId: string; stageName?: string; rules?: Record<string, unknown>; channels?: Record<string, boolean> },
): Promise<{ automationId: string; stageId: string; stateId: string; strategyId: string; connectionId: string }> {
  const automationId = randomUUID();
  const stageId = randomUUID();
  const stateId = randomUUID();
  const strategyId = randomUUID();
  const connectionId = await automationConnection(pool, o.tenantId);
  await pool.query(
    `INSERT INTO collection_strategies (id, tenant_id, name, description, is_active, global_rules, max_attempts_per_week, cooldown_hours,
       allowed_time_window, stop_on_promise, stop_on_payment, created_at, updated_at)
     VALUES ($1, $2, $3, null, true, '{}', null, null, null, true, true, now(), now())`,
    [strategyId, o.tenantId, `Strategy ${strategyId.slice(0, 8)}`],
  );
  await pool.query(
    `INSERT INTO collection_stages (id, strategy_id, name, min_days_past_due, max_days_past_due, channels, messaging_config, tone, rules, is_active, created_at, updated_at)
     VALUES ($1, $2, $3, 30, 60, $4, '{}', 'professional', $5, true, now(), now())`,
    [stageId, strategyId, o.stageName ?? 'Firm reminder', JSON.stringify(o.channels ?? { sms: true, email: true }), JSON.stringify(o.rules ?? {})],
  );
  await pool.query(
    `INSERT INTO collection_automations (id, tenant_id, pms_connection_id, strategy_id, status, started_at, stats, approval_mode, approval_rules, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'active', now(), '{}', 'AUTO', '{}', now(), now())`,
    [automationId, o.tenantId, connectionId, strategyId],
  );
  await pool.query(
    `INSERT INTO case_automation_state (id, debt_case_id, automation_id, strategy_id, current_stage_id, status, attempts_week_count, meta, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'active', 0, '{}', now(), now())`,
    [stateId, o.caseId, automationId, strategyId, stageId],
  );
  return { automationId, stageId, stateId, strategyId, connectionId };
}
