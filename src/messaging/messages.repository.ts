import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ChannelFlag, MessageChannel } from './message-rules';
import { TemplateRow } from './templates';

/**
 * The SQL of SMS_CASE / EMAIL_CASE, bound parameters only. Rows written into the API's tables give
 * every column the API's model would default (id, timestamps, jsonb) because the API's schema carries
 * no defaults; ENUM columns are read as text and written from untyped parameters.
 *
 * An intent (one job) owns one worker_interactions row keyed (tenant, intent key) and one
 * interaction_logs row: queued (recorded before sending; evidence.sendAttemptedAt once a request may
 * have left) -> sent (provider_ref = message SID / SES MessageId) | simulated (MESSAGES_DRY_RUN) |
 * failed (the provider refused; error holds why).
 */

const PMS_DEBTOR_OF_CASE = `
  LEFT JOIN pms_leases l ON l.id = c.pms_lease_id
  LEFT JOIN pms_debtors pd ON pd.id = coalesce(
    CASE WHEN d.metadata->>'pms_debtor_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
         THEN (d.metadata->>'pms_debtor_id')::uuid END,
    l.pms_debtor_id)`;

const MESSAGE_SQL = {
  /** The case with what a message needs: debtor name and email, tenant and sender names, channel flags. */
  caseForMessage: `
    SELECT c.id, c.tenant_id, c.debtor_id, c.amount_due_cents::text AS amount_due_cents, c.currency, c.days_past_due,
           c.due_date::text AS due_date, c.payment_link_url, c.meta,
           d.full_name, coalesce(nullif(btrim(d.email), ''), nullif(btrim(pd.email), '')) AS email,
           t.name AS tenant_name,
           (SELECT b.company_name FROM tenant_brandings b WHERE b.tenant_id = c.tenant_id AND nullif(btrim(b.company_name), '') IS NOT NULL
             ORDER BY b.updated_at DESC NULLS LAST LIMIT 1) AS company_name,
           coalesce(wf.source->'channels', '{}'::jsonb) AS channel_flags
      FROM debt_cases c
      JOIN tenants t ON t.id = c.tenant_id
      LEFT JOIN debtors d ON d.id = c.debtor_id
      ${PMS_DEBTOR_OF_CASE}
      LEFT JOIN worker_debtor_flags wf ON wf.debtor_id = c.debtor_id
     WHERE c.id = $1`,

  /** The automation state named by the job, with its current stage. */
  stateWithStage: `
    SELECT s.id, s.debt_case_id, s.automation_id, s.current_stage_id,
           st.id AS stage_id, st.name AS stage_name, st.rules AS stage_rules
      FROM case_automation_state s
      LEFT JOIN collection_stages st ON st.id = s.current_stage_id
     WHERE s.id = $1`,

  /** $1 template id (as text: a stage may hold anything), $2 tenant, $3 channel lower-case. */
  templateById: `
    SELECT id, name, subject, body_text, body_html FROM tenant_message_templates
     WHERE id::text = $1 AND tenant_id = $2 AND lower(channel) = $3 AND is_active IS TRUE`,

  /** The tenant's default: its oldest active template of the channel. */
  defaultTemplate: `
    SELECT id, name, subject, body_text, body_html FROM tenant_message_templates
     WHERE tenant_id = $1 AND lower(channel) = $2 AND is_active IS TRUE
     ORDER BY created_at ASC NULLS LAST, id LIMIT 1`,

  intentByKey: `
    SELECT il.id, il.status, il.provider_ref, il.error, wi.evidence, wi.attempts
      FROM worker_interactions wi
      JOIN interaction_logs il ON il.id = wi.interaction_log_id
     WHERE wi.tenant_id = $1 AND wi.idempotency_key = $2`,

  /** $1 id, $2 tenant, $3 case, $4 channel, $5 key, $6 evidence. Returns nothing on a duplicate key. */
  insertIntent: `
    INSERT INTO worker_interactions (interaction_log_id, tenant_id, debt_case_id, channel, idempotency_key, evidence, attempts, created_at)
    VALUES ($1, $2, $3, $4, $5, $6::jsonb, '[]'::jsonb, now())
    ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
    RETURNING interaction_log_id`,

  /** $1 id, $2 tenant, $3 case, $4 debtor, $5 type (SMS|EMAIL), $6 provider, $7 started, $8 ai_data. */
  insertLog: `
    INSERT INTO interaction_logs (id, tenant_id, debt_case_id, debtor_id, type, direction, channel_provider, status,
                                  started_at, ai_data, error, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, 'OUTBOUND', $6, 'queued', $7, $8::jsonb, '{}'::jsonb, now(), now())`,

  /** A resumed intent found at the provider keeps the summary written when it was first rendered. */
  markFoundSent: `UPDATE interaction_logs SET status = 'sent', provider_ref = $2, ended_at = now(), ai_data = coalesce(ai_data, '{}'::jsonb) || $3::jsonb, updated_at = now() WHERE id = $1`,

  evidence: `SELECT evidence FROM worker_interactions WHERE interaction_log_id = $1`,

  mergeEvidence: `UPDATE worker_interactions SET evidence = evidence || $2::jsonb WHERE interaction_log_id = $1`,

  /** One delivery's record (checks, inputs, error) appended; evidence merged. */
  recordAttempt: `
    UPDATE worker_interactions
       SET attempts = attempts || jsonb_build_array($2::jsonb), evidence = evidence || $3::jsonb
     WHERE interaction_log_id = $1`,

  /** $1 id, $2 provider ref, $3 summary, $4 ended_at, $5 ai_data to merge, $6 status (sent|simulated). */
  markSent: `
    UPDATE interaction_logs
       SET status = $6, provider_ref = $2, summary = $3, ended_at = $4,
           ai_data = coalesce(ai_data, '{}'::jsonb) || $5::jsonb, updated_at = now()
     WHERE id = $1`,

  /** $1 id, $2 status, $3 outcome (null or an enum value), $4 error. */
  markEnded: `
    UPDATE interaction_logs SET status = $2, outcome = $3, error = $4::jsonb, ended_at = now(), updated_at = now() WHERE id = $1`,

  /** Is this provider ref already another interaction's? (a message found at the provider is claimed once) */
  refClaimed: `SELECT 1 FROM interaction_logs WHERE tenant_id = $1 AND provider_ref = $2 AND id <> $3 LIMIT 1`,

  /** The API's activity feed ($1 automation, $2 case, $3 channel sms|email, $4 event type, $5 payload). */
  insertEvent: `
    INSERT INTO collection_events (id, automation_id, debt_case_id, channel, event_type, payload, created_at)
    VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb, now())`,

  /** Records what a provider said about one channel of a debtor ($3 sms|email, $4 the flag). */
  flagChannel: `
    INSERT INTO worker_debtor_flags (debtor_id, tenant_id, do_not_call, do_not_contact, timezone, source, updated_at)
    VALUES ($1, $2, false, false, NULL, jsonb_build_object('channels', jsonb_build_object($3::text, $4::jsonb)), now())
    ON CONFLICT (debtor_id) DO UPDATE
       SET source = worker_debtor_flags.source
                    || jsonb_build_object('channels', coalesce(worker_debtor_flags.source->'channels', '{}'::jsonb) || jsonb_build_object($3::text, $4::jsonb)),
           updated_at = now()`,

  /** Same as calls: a number that is not valid stops the case's calls and texts. */
  caseInvalidContact: `
    UPDATE debt_cases
       SET status = 'INVALID_CONTACT', next_action_at = NULL,
           meta = coalesce(meta, '{}'::jsonb) || jsonb_build_object('invalidContact', $2::jsonb), updated_at = now()
     WHERE id = $1`,

  /** Outside the window: the state waits for the next lawful moment (never earlier than planned). */
  stateNotBefore: `
    UPDATE case_automation_state SET next_action_at = $2, updated_at = now()
     WHERE id = $1 AND (next_action_at IS NULL OR next_action_at < $2)`,
};

type Json = Record<string, any>;

/** The case with what a message needs (MESSAGE_SQL.caseForMessage). */
export interface MessageCaseRow {
  id: string;
  tenant_id: string;
  debtor_id: string | null;
  amount_due_cents: string | null;
  currency: string | null;
  days_past_due: number | null;
  due_date: string | null;
  payment_link_url: string | null;
  meta: Record<string, unknown> | null;
  full_name: string | null;
  email: string | null;
  tenant_name: string;
  company_name: string | null;
  channel_flags: Record<string, ChannelFlag>;
}

/** An automation state with its current stage (stage_* are null when the state has no stage). */
export interface StateWithStageRow {
  id: string;
  debt_case_id: string;
  automation_id: string;
  current_stage_id: string | null;
  stage_id: string | null;
  stage_name: string | null;
  stage_rules: Json | null;
}

/**
 * worker_interactions.evidence of a message: the marks of a request that may have left (when, to whom,
 * what, its last error), which a retry reads before sending again, plus whatever else was recorded.
 */
export interface MessageEvidence {
  sendAttemptedAt?: string | null;
  to?: string;
  body?: string;
  lastError?: { kind?: string; message?: string } | null;
  [key: string]: unknown;
}

/** An intent recorded by an earlier delivery: its interaction_logs row and the worker's evidence. */
export interface IntentRow {
  id: string;
  status: string;
  provider_ref: string | null;
  error: { reason?: string; kind?: string; [key: string]: unknown } | null;
  evidence: MessageEvidence | null;
  attempts: Json[];
}

/** A new intent: its worker_interactions row and its queued interaction_logs row. */
export interface NewIntent {
  id: string;
  tenantId: string;
  caseId: string;
  debtorId: string | null;
  channel: MessageChannel;
  provider: 'twilio' | 'ses';
  key: string;
  evidence: Json;
  aiData: Json;
  startedAt: Date;
}

/** An entry of the API's activity feed (collection_events). */
export interface CollectionEvent {
  automationId: string;
  caseId: string;
  channel: 'sms' | 'email';
  type: string;
  payload: Json;
}

/**
 * The rows of SMS_CASE / EMAIL_CASE. Writes take the EntityManager of a transaction opened with
 * transaction() when they must commit together; without one they run on their own.
 */
@Injectable()
export class MessagesRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async caseForMessage(caseId: string): Promise<MessageCaseRow | undefined> {
    return (await this.db.query<MessageCaseRow[]>(MESSAGE_SQL.caseForMessage, [caseId]))[0];
  }

  async stateWithStage(stateId: string): Promise<StateWithStageRow | undefined> {
    return (await this.db.query<StateWithStageRow[]>(MESSAGE_SQL.stateWithStage, [stateId]))[0];
  }

  /** The template (id as text: a stage may hold anything), if it is an active template of the tenant's channel. */
  async templateById(templateId: string, tenantId: string, channel: 'sms' | 'email'): Promise<TemplateRow | undefined> {
    return (await this.db.query<TemplateRow[]>(MESSAGE_SQL.templateById, [templateId, tenantId, channel]))[0];
  }

  /** The tenant's default: its oldest active template of the channel. */
  async defaultTemplate(tenantId: string, channel: 'sms' | 'email'): Promise<TemplateRow | undefined> {
    return (await this.db.query<TemplateRow[]>(MESSAGE_SQL.defaultTemplate, [tenantId, channel]))[0];
  }

  async intentByKey(tenantId: string, key: string): Promise<IntentRow | undefined> {
    return (await this.db.query<IntentRow[]>(MESSAGE_SQL.intentByKey, [tenantId, key]))[0];
  }

  /** worker_interactions + interaction_logs in one transaction; false when the key is already taken. */
  recordIntent(i: NewIntent): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const ins = await m.query<unknown[]>(MESSAGE_SQL.insertIntent, [i.id, i.tenantId, i.caseId, i.channel, i.key, JSON.stringify(i.evidence)]);
      if (ins.length === 0) return false;
      await m.query(MESSAGE_SQL.insertLog, [i.id, i.tenantId, i.caseId, i.debtorId, i.channel, i.provider, i.startedAt, JSON.stringify(i.aiData)]);
      return true;
    });
  }

  async evidence(interactionId: string): Promise<MessageEvidence | undefined> {
    return (await this.db.query<{ evidence: MessageEvidence }[]>(MESSAGE_SQL.evidence, [interactionId]))[0]?.evidence;
  }

  async mergeEvidence(interactionId: string, evidence: Json): Promise<void> {
    await this.db.query(MESSAGE_SQL.mergeEvidence, [interactionId, JSON.stringify(evidence)]);
  }

  /** One delivery's record (checks, inputs, error) appended; evidence merged. */
  async recordAttempt(interactionId: string, attempt: Json, evidence: Json, tx?: EntityManager): Promise<void> {
    await (tx ?? this.db).query(MESSAGE_SQL.recordAttempt, [interactionId, JSON.stringify(attempt), JSON.stringify(evidence)]);
  }

  async markSent(
    s: { interactionId: string; providerRef: string | null; summary: string; endedAt: Date; aiData: Json; status: 'sent' | 'simulated' },
    tx?: EntityManager,
  ): Promise<void> {
    await (tx ?? this.db).query(MESSAGE_SQL.markSent, [s.interactionId, s.providerRef, s.summary, s.endedAt, JSON.stringify(s.aiData), s.status]);
  }

  /** A resumed intent found at the provider: sent, with the summary written when it was first rendered. */
  async markFoundSent(interactionId: string, providerRef: string, aiData: Json, tx?: EntityManager): Promise<void> {
    await (tx ?? this.db).query(MESSAGE_SQL.markFoundSent, [interactionId, providerRef, JSON.stringify(aiData)]);
  }

  async markEnded(e: { interactionId: string; status: 'failed' | 'canceled'; outcome: 'FAILED' | null; error: Json }, tx?: EntityManager): Promise<void> {
    await (tx ?? this.db).query(MESSAGE_SQL.markEnded, [e.interactionId, e.status, e.outcome, JSON.stringify(e.error)]);
  }

  /** Is this provider ref already another interaction's? */
  async refClaimed(tenantId: string, providerRef: string, interactionId: string): Promise<boolean> {
    return (await this.db.query<unknown[]>(MESSAGE_SQL.refClaimed, [tenantId, providerRef, interactionId])).length > 0;
  }

  async insertEvent(e: CollectionEvent, tx?: EntityManager): Promise<void> {
    await (tx ?? this.db).query(MESSAGE_SQL.insertEvent, [e.automationId, e.caseId, e.channel, e.type, JSON.stringify(e.payload)]);
  }

  /** Records what a provider said about one channel of a debtor. */
  async flagChannel(f: { debtorId: string; tenantId: string; channel: 'sms' | 'email'; flag: ChannelFlag & Json }, tx?: EntityManager): Promise<void> {
    await (tx ?? this.db).query(MESSAGE_SQL.flagChannel, [f.debtorId, f.tenantId, f.channel, JSON.stringify(f.flag)]);
  }

  async markCaseInvalidContact(caseId: string, detail: Json, tx?: EntityManager): Promise<void> {
    await (tx ?? this.db).query(MESSAGE_SQL.caseInvalidContact, [caseId, JSON.stringify(detail)]);
  }

  /** The state waits for the next lawful moment (never earlier than planned). */
  async stateNotBefore(stateId: string, at: Date, tx?: EntityManager): Promise<void> {
    await (tx ?? this.db).query(MESSAGE_SQL.stateNotBefore, [stateId, at]);
  }
}
