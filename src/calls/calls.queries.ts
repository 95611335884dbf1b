/**
 * Named SQL of the calls capability (CALL_CASE, SYNC_CALL_SUMMARY, RECONCILE_CALLS), all with bound
 * parameters. Kept in one place so the state machine of an interaction can be read at a glance:
 *
 *   queued (recorded before dialing, idempotency_key = CALL_CASE:<jobId>)
 *     -> in_progress (Twilio accepted it: provider_ref = call SID)
 *        -> completed (summary applied, or Twilio reported completed)
 *        -> failed (Twilio reported busy / no-answer / failed / canceled)
 *     -> failed    (Twilio refused the call: error jsonb holds its code and message)
 *     -> canceled  (never dialed: a rule or the PMS said no after it was recorded)
 *     -> simulated (CALLS_DRY_RUN)
 */

export const CALL_SQL = {
  /** The case, its debtor, the lease and the tenant's zone: everything CALL_CASE reads. */
  caseForCall: `
    SELECT c.id, c.tenant_id, c.debtor_id, c.pms_lease_id, c.amount_due_cents::bigint AS amount_due_cents,
           c.currency, c.days_past_due, c.status, c.closed_at, c.last_pms_sync_at, c.next_action_at, c.meta,
           d.phone, d.metadata AS debtor_metadata, d.timezone AS debtor_timezone,
           l.external_id AS lease_external_id, l.pms_connection_id, t.timezone AS tenant_timezone
      FROM debt_cases c
      JOIN debtors d ON d.id = c.debtor_id
      JOIN tenants t ON t.id = c.tenant_id
      LEFT JOIN pms_leases l ON l.id = c.pms_lease_id
     WHERE c.id = $1`,

  interactionByKey: `SELECT * FROM interaction_logs WHERE tenant_id = $1 AND idempotency_key = $2`,

  interactionById: `SELECT * FROM interaction_logs WHERE id = $1 AND tenant_id = $2`,

  interactionByIdForUpdate: `SELECT * FROM interaction_logs WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,

  interactionBySid: `SELECT * FROM interaction_logs WHERE tenant_id = $1 AND provider_ref = $2 AND type = 'CALL' ORDER BY created_at DESC LIMIT 1`,

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
    INSERT INTO interaction_logs (tenant_id, debt_case_id, debtor_id, type, direction, channel_provider, status, idempotency_key, evidence)
    SELECT $1, $2, $3, 'CALL', 'OUTBOUND', 'twilio', 'queued', $4, $5
     WHERE NOT EXISTS (SELECT 1 FROM interaction_logs
                        WHERE debt_case_id = $2 AND type = 'CALL' AND status IN ('queued', 'in_progress'))
    ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING *`,

  /** A placed call: the interaction gets its SID and the case its contact times, in one statement. */
  recordPlaced: `
    WITH il AS (
      UPDATE interaction_logs
         SET provider_ref = $2, status = 'in_progress', started_at = COALESCE(started_at, $3), error = NULL,
             evidence = COALESCE(evidence, '{}'::jsonb) || $4::jsonb, updated_at = now()
       WHERE id = $1
       RETURNING debt_case_id)
    UPDATE debt_cases
       SET last_contacted_at = $3, next_action_at = $5, status = 'IN_PROGRESS', updated_at = now()
     WHERE id = (SELECT debt_case_id FROM il)`,

  /** Records one dial intent; a duplicate (same job) inserts nothing. */
  insertInteraction: `
    INSERT INTO interaction_logs (tenant_id, debt_case_id, debtor_id, type, direction, channel_provider, status,
                                  outcome, error, idempotency_key, evidence, started_at, ended_at)
    VALUES ($1, $2, $3, 'CALL', 'OUTBOUND', 'twilio', $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING *`,

  /** Marks that the dial request is about to leave: from here on a retry must ask Twilio first. */
  markDialing: `
    UPDATE interaction_logs
       SET evidence = COALESCE(evidence, '{}'::jsonb) || $2::jsonb, updated_at = now()
     WHERE id = $1`,

  markPlaced: `
    UPDATE interaction_logs
       SET provider_ref = $2, status = $3, started_at = COALESCE(started_at, $4), error = NULL,
           evidence = COALESCE(evidence, '{}'::jsonb) || $5::jsonb, updated_at = now()
     WHERE id = $1
     RETURNING id`,

  markEnded: `
    UPDATE interaction_logs
       SET status = $2, outcome = COALESCE($3, outcome), error = $4, ended_at = COALESCE(ended_at, $5),
           evidence = COALESCE(evidence, '{}'::jsonb) || COALESCE($6::jsonb, '{}'::jsonb), updated_at = now()
     WHERE id = $1`,

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

  connectionForFreshness: `
    SELECT pc.id, pc.tenant_id, pc.credentials, pc.status, s.key AS software_key
      FROM pms_connections pc JOIN softwares s ON s.id = pc.software_id
     WHERE pc.id = $1`,

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

  insertAgreement: `
    INSERT INTO payment_agreements (tenant_id, debt_case_id, type, status, total_amount_cents, down_payment_cents,
                                    installments, start_date, promise_date, provider, provider_ref, terms, created_by)
    VALUES ($1, $2, $3, 'ACCEPTED', $4, $5, $6, $7, $8, 'twilio', $9, $10, 'AI')
    RETURNING id`,

  debtorDoNotCall: `
    UPDATE debtors SET do_not_call = true, updated_at = now() WHERE id = $1 AND tenant_id = $2
    RETURNING metadata->>'pms_debtor_id' AS pms_debtor_id`,

  pmsDebtorDoNotCall: `UPDATE pms_debtors SET do_not_call = true, updated_at = now() WHERE id = $1::uuid AND tenant_id = $2`,

  // ---- RECONCILE_CALLS ----

  staleCalls: `
    SELECT id, tenant_id, debt_case_id, provider_ref, status, evidence, created_at, started_at
      FROM interaction_logs
     WHERE type = 'CALL' AND status IN ('queued', 'in_progress')
       AND COALESCE(started_at, created_at) < now() - make_interval(secs => $1)
     ORDER BY COALESCE(started_at, created_at)
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

/** TypeORM returns [rows, rowCount] for UPDATE/DELETE ... RETURNING on Postgres, and rows otherwise. */
export function returnedRows(res: unknown): Record<string, any>[] {
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as Record<string, any>[];
  return (res ?? []) as Record<string, any>[];
}
