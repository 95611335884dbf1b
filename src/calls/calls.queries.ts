/**
 * Named SQL of the calls capability (CALL_CASE, SYNC_CALL_SUMMARY, RECONCILE_CALLS), all with bound
 * parameters. Kept in one place so the state machine of an interaction can be read at a glance:
 *
 *   queued (recorded before dialing; its intent key and evidence in worker_interactions)
 *     -> in_progress (Twilio accepted it: provider_ref = call SID)
 *        -> completed (summary applied, or Twilio reported completed)
 *        -> failed (Twilio reported busy / no-answer / failed / canceled)
 *     -> failed    (Twilio refused the call: error jsonb holds its code and message)
 *     -> canceled  (never dialed: a rule or the PMS said no after it was recorded)
 *     -> simulated (CALLS_DRY_RUN)
 */

/**
 * The API's interaction row plus the workers' own record of the intent (worker_interactions:
 * idempotency key, evidence, one entry per delivery). Ids and timestamps are given explicitly: the
 * API's tables have no defaults for them. ENUM columns (type, direction, outcome) are written from
 * untyped literals or parameters, so the column's own type applies whatever its name.
 */
const INTERACTION = `SELECT il.*, wi.idempotency_key, wi.evidence, wi.attempts
  FROM interaction_logs il LEFT JOIN worker_interactions wi ON wi.interaction_log_id = il.id`;

export const CALL_SQL = {
  /** The case, its debtor, the lease and the tenant's zone: everything CALL_CASE reads. */
  caseForCall: `
    SELECT c.id, c.tenant_id, c.debtor_id, c.pms_lease_id, c.amount_due_cents::bigint AS amount_due_cents,
           c.currency, c.days_past_due, c.status::text AS status, c.closed_at, c.last_pms_sync_at, c.next_action_at, c.meta,
           d.phone, d.metadata AS debtor_metadata, wf.timezone AS debtor_timezone,
           l.external_id AS lease_external_id, l.pms_connection_id, t.timezone AS tenant_timezone
      FROM debt_cases c
      JOIN debtors d ON d.id = c.debtor_id
      LEFT JOIN worker_debtor_flags wf ON wf.debtor_id = d.id
      JOIN tenants t ON t.id = c.tenant_id
      LEFT JOIN pms_leases l ON l.id = c.pms_lease_id
     WHERE c.id = $1`,

  interactionByKey: `${INTERACTION} WHERE wi.tenant_id = $1 AND wi.idempotency_key = $2`,

  interactionById: `${INTERACTION} WHERE il.id = $1 AND il.tenant_id = $2`,

  interactionByIdForUpdate: `${INTERACTION} WHERE il.id = $1 AND il.tenant_id = $2 FOR UPDATE OF il`,

  interactionBySid: `${INTERACTION} WHERE il.tenant_id = $1 AND il.provider_ref = $2 AND il.type = 'CALL' ORDER BY il.created_at DESC LIMIT 1`,

  lockCase: `SELECT id FROM debt_cases WHERE id = $1 FOR UPDATE`,

  /** Another live call of this case (never two live calls for one case). $2 may be null. */
  otherLiveCall: `
    SELECT id, status, provider_ref FROM interaction_logs
     WHERE debt_case_id = $1 AND type = 'CALL' AND status IN ('queued', 'in_progress')
       AND ($2::uuid IS NULL OR id <> $2::uuid)
     LIMIT 1`,

  /**
   * Records one dial intent, run after lockCase in the same transaction (so this statement's
   * snapshot sees every call committed before the lock was granted): inserts nothing when another
   * CALL of the case is queued/in_progress, or when this intent was already recorded.
   */
  insertIntentIfNoLiveCall: `
    WITH ok AS (
      SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM interaction_logs
                                  WHERE debt_case_id = $2 AND type = 'CALL' AND status IN ('queued', 'in_progress'))
                 AND NOT EXISTS (SELECT 1 FROM worker_interactions WHERE tenant_id = $1 AND idempotency_key = $4)
    ), il AS (
      INSERT INTO interaction_logs (id, tenant_id, debt_case_id, debtor_id, type, direction, channel_provider, status, ai_data, error, created_at, updated_at)
      SELECT gen_random_uuid(), $1, $2, $3, 'CALL', 'OUTBOUND', 'twilio', 'queued', '{}'::jsonb, '{}'::jsonb, now(), now() FROM ok
      RETURNING *
    ), wi AS (
      INSERT INTO worker_interactions (interaction_log_id, tenant_id, debt_case_id, channel, idempotency_key, evidence, attempts)
      SELECT il.id, $1, $2, 'CALL', $4, $5::jsonb, jsonb_build_array($6::jsonb) FROM il
      RETURNING idempotency_key, evidence, attempts
    )
    SELECT il.*, wi.idempotency_key, wi.evidence, wi.attempts FROM il, wi`,

  /** A placed call: the interaction gets its SID and the case its contact times, in one statement. */
  recordPlaced: `
    WITH il AS (
      UPDATE interaction_logs
         SET provider_ref = $2, status = 'in_progress', started_at = COALESCE(started_at, $3), updated_at = now()
       WHERE id = $1
       RETURNING id, debt_case_id
    ), ev AS (
      UPDATE worker_interactions w SET evidence = w.evidence || $4::jsonb FROM il WHERE w.interaction_log_id = il.id
    )
    UPDATE debt_cases
       SET last_contacted_at = $3, next_action_at = $5, status = 'IN_PROGRESS', updated_at = now()
     WHERE id = (SELECT debt_case_id FROM il)`,

  /** Records a finished intent in one go (a case held before any dial); a duplicate key inserts nothing. */
  insertInteraction: `
    WITH ok AS (
      SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM worker_interactions WHERE tenant_id = $1 AND idempotency_key = $7)
    ), il AS (
      INSERT INTO interaction_logs (id, tenant_id, debt_case_id, debtor_id, type, direction, channel_provider, status,
                                    outcome, error, ai_data, started_at, ended_at, created_at, updated_at)
      SELECT gen_random_uuid(), $1, $2, $3, 'CALL', 'OUTBOUND', 'twilio', $4, $5, $6::jsonb, '{}'::jsonb, $9::timestamptz, $10::timestamptz, now(), now() FROM ok
      RETURNING *
    ), wi AS (
      INSERT INTO worker_interactions (interaction_log_id, tenant_id, debt_case_id, channel, idempotency_key, evidence, attempts)
      SELECT il.id, $1, $2, 'CALL', $7, $8::jsonb, jsonb_build_array($8::jsonb) FROM il
      RETURNING idempotency_key, evidence
    )
    SELECT il.*, wi.idempotency_key, wi.evidence FROM il, wi`,

  /** Marks that the dial request is about to leave: from here on a retry must ask Twilio first. */
  markDialing: `UPDATE worker_interactions SET evidence = evidence || $2::jsonb WHERE interaction_log_id = $1`,

  /** One delivery of the job: its inputs, checks and error, appended (never overwritten). */
  appendAttempt: `UPDATE worker_interactions SET attempts = attempts || jsonb_build_array($2::jsonb) WHERE interaction_log_id = $1`,

  markPlaced: `
    WITH il AS (
      UPDATE interaction_logs
         SET provider_ref = $2, status = $3, started_at = COALESCE(started_at, $4), updated_at = now()
       WHERE id = $1
       RETURNING id
    ), ev AS (
      UPDATE worker_interactions w SET evidence = w.evidence || $5::jsonb FROM il WHERE w.interaction_log_id = il.id
    )
    SELECT id FROM il`,

  markEnded: `
    WITH il AS (
      UPDATE interaction_logs
         SET status = $2, outcome = COALESCE($3, outcome), error = COALESCE($4::jsonb, '{}'::jsonb), ended_at = COALESCE(ended_at, $5), updated_at = now()
       WHERE id = $1
       RETURNING id
    )
    UPDATE worker_interactions w SET evidence = w.evidence || COALESCE($6::jsonb, '{}'::jsonb) FROM il WHERE w.interaction_log_id = il.id`,

  /** SID already stored on another interaction (so a found call is not claimed twice). */
  sidClaimed: `SELECT 1 FROM interaction_logs WHERE tenant_id = $1 AND provider_ref = $2 AND id <> $3 LIMIT 1`,

  caseSimulated: `UPDATE debt_cases SET next_action_at = $2, updated_at = now() WHERE id = $1`,

  caseHeld: `
    UPDATE debt_cases
       SET next_action_at = COALESCE($2, next_action_at),
           meta = COALESCE(meta, '{}'::jsonb) || jsonb_build_object('callHold', $3::jsonb), updated_at = now()
     WHERE id = $1`,

  caseInvalidContact: `
    UPDATE debt_cases
       SET status = 'INVALID_CONTACT', next_action_at = NULL,
           meta = COALESCE(meta, '{}'::jsonb) || jsonb_build_object('invalidContact', $2::jsonb), updated_at = now()
     WHERE id = $1`,

  /** Pre-dial freshness: the PMS says the balance changed. Zero or less closes the case as PAID. */
  caseRefreshedBalance: `
    UPDATE debt_cases
       SET amount_due_cents = $2, last_pms_sync_at = $3,
           status = CASE WHEN $2::bigint <= 0 THEN 'PAID' ELSE status END,
           closed_at = CASE WHEN $2::bigint <= 0 THEN COALESCE(closed_at, $3) ELSE closed_at END,
           next_action_at = CASE WHEN $2::bigint <= 0 THEN NULL ELSE next_action_at END,
           meta = COALESCE(meta, '{}'::jsonb) || jsonb_build_object('preDialFreshness', $4::jsonb), updated_at = now()
     WHERE id = $1`,

  latestSyncRun: `
    SELECT id, finished_at FROM sync_runs
     WHERE pms_connection_id = $1 AND status = 'completed'
     ORDER BY finished_at DESC NULLS LAST LIMIT 1`,

  // ---- SYNC_CALL_SUMMARY ----

  applySummary: `
    UPDATE interaction_logs
       SET status = 'completed', outcome = $2, transcript = $3, summary = $4,
           started_at = COALESCE(started_at, $5), ended_at = $6,
           ai_data = COALESCE(ai_data, '{}'::jsonb) || $7::jsonb, updated_at = now()
     WHERE id = $1`,

  caseAfterSummary: `
    UPDATE debt_cases
       SET status = COALESCE($2, status), next_action_at = $3,
           meta = COALESCE(meta, '{}'::jsonb) || jsonb_build_object('lastCallOutcome', $4::jsonb), updated_at = now()
     WHERE id = $1`,

  /**
   * The API's payment provider is a payment processor (STRIPE / NONE): an agreement taken on a call
   * has none; the call's SID stays in provider_ref.
   */
  insertAgreement: `
    INSERT INTO payment_agreements (id, tenant_id, debt_case_id, type, status, total_amount_cents, down_payment_cents,
                                    installments, start_date, promise_date, provider, provider_ref, terms, payment_proof_urls, created_by, created_at, updated_at)
    VALUES (gen_random_uuid(), $1, $2, $3, 'ACCEPTED', $4, $5, $6, $7, $8, 'NONE', $9, $10, '[]'::jsonb, 'AI', now(), now())
    RETURNING id`,

  /** The debtor asked not to be called: kept in the workers' own flags (the API's table has no such column). */
  debtorDoNotCall: `
    WITH d AS (SELECT id, tenant_id, metadata FROM debtors WHERE id = $1 AND tenant_id = $2),
    f AS (
      INSERT INTO worker_debtor_flags AS w (debtor_id, tenant_id, do_not_call, source, updated_at)
      SELECT d.id, d.tenant_id, true, jsonb_build_object('doNotCall', $3::jsonb), now() FROM d
      ON CONFLICT (debtor_id) DO UPDATE SET do_not_call = true, source = w.source || EXCLUDED.source, updated_at = now()
    )
    SELECT d.metadata->>'pms_debtor_id' AS pms_debtor_id FROM d`,

  pmsDebtorDoNotCall: `UPDATE pms_debtors SET do_not_call = true, updated_at = now() WHERE id = $1::uuid AND tenant_id = $2`,

  // ---- RECONCILE_CALLS ----

  staleCalls: `
    SELECT il.id, il.tenant_id, il.debt_case_id, il.provider_ref, il.status, wi.evidence, il.created_at, il.started_at
      FROM interaction_logs il LEFT JOIN worker_interactions wi ON wi.interaction_log_id = il.id
     WHERE il.type = 'CALL' AND il.status IN ('queued', 'in_progress')
       AND COALESCE(il.started_at, il.created_at) < now() - make_interval(secs => $1)
     ORDER BY COALESCE(il.started_at, il.created_at)
     LIMIT $2`,

  closeReconciled: `
    UPDATE interaction_logs
       SET status = $2, outcome = COALESCE(outcome, $3), ended_at = COALESCE(ended_at, $4), provider_ref = COALESCE(provider_ref, $5),
           ai_data = COALESCE(ai_data, '{}'::jsonb) || jsonb_build_object('reconciliation', $6::jsonb),
           error = COALESCE($7::jsonb, error), updated_at = now()
     WHERE id = $1 AND status IN ('queued', 'in_progress')
     RETURNING id`,

  /** A case left IN_PROGRESS by a call that is now closed. */
  caseAfterReconcile: `
    UPDATE debt_cases
       SET status = $2, updated_at = now()
     WHERE id = $1 AND status = 'IN_PROGRESS'
       AND NOT EXISTS (SELECT 1 FROM interaction_logs i WHERE i.debt_case_id = $1 AND i.type = 'CALL' AND i.status IN ('queued', 'in_progress'))`,
} as const;

/** A row of caseForCall. amount_due_cents is a bigint: pg gives it as a string. */
export interface CaseForCallRow {
  id: string;
  tenant_id: string;
  debtor_id: string;
  pms_lease_id: string | null;
  amount_due_cents: string;
  currency: string;
  days_past_due: number;
  status: string;
  closed_at: Date | null;
  last_pms_sync_at: Date | null;
  next_action_at: Date | null;
  meta: Record<string, unknown> | null;
  phone: string | null;
  debtor_metadata: Record<string, unknown> | null;
  debtor_timezone: string | null;
  lease_external_id: string | null;
  pms_connection_id: string | null;
  tenant_timezone: string | null;
}

/**
 * worker_interactions.evidence of a call: what buildEvidence records, plus the marks of a dial
 * request that may have left (a retry asks Twilio before dialing again).
 */
export interface CallEvidence {
  dialAttemptedAt?: string | null;
  dialedTo?: string | null;
  dialedFrom?: string | null;
  lastDialError?: { kind?: string } | null;
  [key: string]: unknown;
}

/** A row of the interaction queries: the API's interaction_logs row and the workers' record of its intent. */
export interface InteractionRow {
  id: string;
  tenant_id: string;
  debt_case_id: string | null;
  debtor_id: string | null;
  type: string;
  provider_ref: string | null;
  status: string;
  outcome: string | null;
  started_at: Date | null;
  ended_at: Date | null;
  ai_data: Record<string, any> | null;
  error: Record<string, any> | null;
  created_at: Date | null;
  updated_at: Date | null;
  idempotency_key: string;
  evidence: CallEvidence | null;
  attempts: unknown[] | null;
}

/** A row of latestSyncRun. */
export interface SyncRunRef {
  id: string;
  finished_at: Date | null;
}

/** A row of staleCalls. */
export type StaleCallRow = Pick<InteractionRow, 'id' | 'tenant_id' | 'debt_case_id' | 'provider_ref' | 'status' | 'evidence' | 'created_at' | 'started_at'>;
