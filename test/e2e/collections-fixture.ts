import { randomUUID } from 'crypto';
import { Pool } from 'pg';

import { apiSchemaSql } from '../../src/database/api-schema/api-schema';
import { automationConnection } from '../utils/seed';

/**
 * Rows of the API's collections engine, written with the columns the API's services write (ids and
 * timestamps given, no reliance on column defaults: the API strips the ones it does not declare).
 */

export const API_COLLECTIONS_TABLES = ['collection_strategies', 'collection_stages', 'collection_automations', 'case_automation_state', 'collection_events', 'tenant_message_templates'];

/**
 * The API's collections tables, from its schema fixture (its models synced with alter): each table,
 * its primary key and its indexes (the unique (debt_case_id, automation_id) among them), made when
 * the test database does not have them yet (a template built from the fixture already does).
 */
export async function ensureApiCollectionsTables(pool: Pool): Promise<void> {
  const sql = apiSchemaSql('models');
  const statements = sql.split(/;\n/).map((x) => x.replace(/^(--.*\n|\s*\n)*/g, '').trim());
  for (const table of API_COLLECTIONS_TABLES) {
    const [{ exists }] = (await pool.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`public.${table}`])).rows;
    if (exists) continue;
    const mine = statements.filter(
      (st) => st.startsWith(`CREATE TABLE public.${table} (`) || (st.startsWith(`ALTER TABLE ONLY public.${table}\n`) && /PRIMARY KEY/.test(st)) || new RegExp(`^CREATE (UNIQUE )?INDEX \\S+ ON public\\.${table} `).test(st),
    );
    if (!mine.some((st) => st.startsWith('CREATE TABLE'))) throw new Error(`the API schema fixture has no table ${table}`);
    for (const st of mine) await pool.query(st);
  }
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
  o: { tenantId: string; strategyId: string; connectionId?: string; status?: string; approvalMode?: string; approvalRules?: Record<string, unknown> },
): Promise<string> {
  const id = randomUUID();
  const connectionId = o.connectionId ?? (await automationConnection(pool, o.tenantId));
  await pool.query(
    `INSERT INTO collection_automations (id, tenant_id, pms_connection_id, strategy_id, status, started_at, paused_at, stats, approval_mode, approval_rules, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, now(), null, '{}', $6, $7, now(), now())`,
    [id, o.tenantId, connectionId, o.strategyId, o.status ?? 'active', o.approvalMode ?? 'AUTO', JSON.stringify(o.approvalRules ?? {})],
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
