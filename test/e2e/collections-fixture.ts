import { randomUUID } from 'crypto';
import { Pool } from 'pg';

/**
 * Rows of the API's collections engine, written with the columns the API's services write (ids and
 * timestamps given, no reliance on column defaults: the API strips the ones it does not declare).
 *
 * Until the test template is built from the API's schema fixture, the API's collections tables are
 * made here when missing, with the API's columns and its unique (debt_case_id, automation_id).
 */
export async function ensureApiCollectionsTables(pool: Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS collection_strategies (
      id uuid PRIMARY KEY, tenant_id uuid, name varchar(120) NOT NULL, description text, is_active boolean,
      global_rules jsonb, max_attempts_per_week integer, cooldown_hours integer, allowed_time_window varchar(64),
      stop_on_promise boolean, stop_on_payment boolean, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz);
    CREATE TABLE IF NOT EXISTS collection_stages (
      id uuid PRIMARY KEY, strategy_id uuid, name varchar(120) NOT NULL, min_days_past_due integer NOT NULL, max_days_past_due integer,
      channels jsonb, messaging_config jsonb, tone varchar(40), rules jsonb, is_active boolean, created_at timestamptz, updated_at timestamptz);
    CREATE TABLE IF NOT EXISTS collection_automations (
      id uuid PRIMARY KEY, tenant_id uuid, pms_connection_id uuid, strategy_id uuid, status varchar(32) NOT NULL,
      started_at timestamptz, paused_at timestamptz, last_evaluated_at timestamptz, next_tick_at timestamptz, stats jsonb,
      approval_mode varchar(32), approval_rules jsonb, created_at timestamptz, updated_at timestamptz);
    CREATE TABLE IF NOT EXISTS case_automation_state (
      id uuid PRIMARY KEY, debt_case_id uuid, automation_id uuid, strategy_id uuid, current_stage_id uuid, status varchar(32) NOT NULL,
      next_action_at timestamptz, last_attempt_at timestamptz, attempts_week_count integer, promise_due_date date,
      last_outcome varchar(64), last_outcome_at timestamptz, meta jsonb, created_at timestamptz, updated_at timestamptz);
    CREATE UNIQUE INDEX IF NOT EXISTS uq_case_automation_state_case_automation ON case_automation_state (debt_case_id, automation_id);
    CREATE TABLE IF NOT EXISTS collection_events (
      id uuid PRIMARY KEY, automation_id uuid, debt_case_id uuid, channel varchar(32), event_type varchar(64) NOT NULL,
      payload jsonb, created_at timestamptz);
    CREATE TABLE IF NOT EXISTS tenant_message_templates (
      id uuid PRIMARY KEY, tenant_id uuid, channel varchar(20) NOT NULL, name varchar(120) NOT NULL, subject varchar(500),
      body_text text NOT NULL, body_html text, is_active boolean, created_at timestamptz, updated_at timestamptz);
  `);
}

export const PHONE_LA = (i: number) => `+1213234${String(i).padStart(4, '0')}`;
export const PHONE_HONOLULU = (i: number) => `+1808234${String(i).padStart(4, '0')}`;

export async function insertTenantRow(pool: Pool, timezone = 'America/New_York'): Promise<string> {
  const id = randomUUID();
  await pool.query(`INSERT INTO tenants (id, name, timezone, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`, [id, `Tenant ${id.slice(0, 8)}`, timezone]);
  return id;
}

export async function insertStrategy(
  pool: Pool,
  tenantId: string,
  o: { window?: string | null; cooldownHours?: number | null; maxAttemptsPerWeek?: number | null; stopOnPromise?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO collection_strategies (id, tenant_id, name, description, is_active, global_rules, max_attempts_per_week, cooldown_hours,
       allowed_time_window, stop_on_promise, stop_on_payment, created_at, updated_at)
     VALUES ($1, $2, $3, null, true, '{}', $4, $5, $6, $7, true, now(), now())`,
    [id, tenantId, `Strategy ${id.slice(0, 8)}`, o.maxAttemptsPerWeek ?? null, o.cooldownHours ?? null, o.window ?? null, o.stopOnPromise !== false],
  );
  return id;
}

export async function insertStage(
  pool: Pool,
  strategyId: string,
  o: { name: string; min: number; max: number | null; channels: Record<string, boolean>; rules?: Record<string, unknown>; createdAt?: string },
): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO collection_stages (id, strategy_id, name, min_days_past_due, max_days_past_due, channels, messaging_config, tone, rules, is_active, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, '{}', 'professional', $7, true, coalesce($8::timestamptz, now()), now())`,
    [id, strategyId, o.name, o.min, o.max, JSON.stringify(o.channels), JSON.stringify(o.rules ?? {}), o.createdAt ?? null],
  );
  return id;
}

export async function insertAutomation(
  pool: Pool,
  o: { tenantId: string; strategyId: string; connectionId?: string | null; status?: string; approvalMode?: string; approvalRules?: Record<string, unknown> },
): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO collection_automations (id, tenant_id, pms_connection_id, strategy_id, status, started_at, paused_at, stats, approval_mode, approval_rules, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, now(), null, '{}', $6, $7, now(), now())`,
    [id, o.tenantId, o.connectionId ?? null, o.strategyId, o.status ?? 'active', o.approvalMode ?? 'AUTO', JSON.stringify(o.approvalRules ?? {})],
  );
  return id;
}

export async function insertTemplate(pool: Pool, tenantId: string, channel: 'sms' | 'email', o: { active?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO tenant_message_templates (id, tenant_id, channel, name, subject, body_text, body_html, is_active, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'Hello {{debtor_name}}, you owe {{amount_due}}.', null, $6, now(), now())`,
    [id, tenantId, channel, `${channel} template`, channel === 'email' ? 'Your balance' : null, o.active !== false],
  );
  return id;
}

export async function insertCase(
  pool: Pool,
  tenantId: string,
  o: { phone: string | null; dpd?: number; approval?: string; status?: string; amountCents?: number; connectionId?: string },
): Promise<string> {
  const debtorId = randomUUID();
  const caseId = randomUUID();
  await pool.query(`INSERT INTO debtors (id, tenant_id, full_name, email, phone, metadata, created_at, updated_at) VALUES ($1, $2, 'Test Debtor', 'debtor@example.com', $3, '{}', now(), now())`, [
    debtorId,
    tenantId,
    o.phone,
  ]);
  await pool.query(
    `INSERT INTO debt_cases (id, tenant_id, debtor_id, amount_due_cents, currency, days_past_due, status, approval_status, meta, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'USD', $5, $6, $7, $8, now(), now())`,
    [caseId, tenantId, debtorId, o.amountCents ?? 125000, o.dpd ?? 35, o.status ?? 'NEW', o.approval ?? 'APPROVED', JSON.stringify(o.connectionId ? { source: 'pms', pms_connection_id: o.connectionId } : {})],
  );
  return caseId;
}

export async function insertState(
  pool: Pool,
  o: { caseId: string; automationId: string; strategyId: string; stageId: string | null; nextActionAt: Date | null; lastAttemptAt?: Date | null; attempts?: number },
): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO case_automation_state (id, debt_case_id, automation_id, strategy_id, current_stage_id, status, next_action_at, last_attempt_at,
       attempts_week_count, meta, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, '{}', now(), now())`,
    [id, o.caseId, o.automationId, o.strategyId, o.stageId, o.nextActionAt, o.lastAttemptAt ?? null, o.attempts ?? 0],
  );
  return id;
}
