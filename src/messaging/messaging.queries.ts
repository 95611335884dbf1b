/**
 * Named SQL of SMS_CASE / EMAIL_CASE, bound parameters only. Rows written into the API's tables give
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

export const MESSAGE_SQL = {
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
