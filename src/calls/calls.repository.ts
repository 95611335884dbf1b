import { DataSource, EntityManager } from 'typeorm';
import { Db, execute } from '../database/sql';
import { AgreementPlan } from './summary/summary-outcomes';

/**
 * The SQL of the calls capability (CALL_CASE, SYNC_CALL_SUMMARY, RECONCILE_CALLS), all with bound
 * parameters, private to this file: callers use CallsRepository's methods. Kept in one place so the state machine of an interaction can be read at a glance:
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

const SQL = {
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

/** How an interaction ended: its status, the outcome the API shows, why (error jsonb) and when. */
export interface InteractionEnd {
  status: 'canceled' | 'failed';
  outcome?: 'FAILED' | null;
  /** Stored in interaction_logs.error; none leaves '{}'. */
  error?: Record<string, unknown> | null;
  /** Kept when the row already has one. */
  endedAt?: Date | null;
}

/** The first record of a dial intent: the queued interaction and the workers' record of it. */
export interface NewIntent {
  tenantId: string;
  caseId: string;
  debtorId: string;
  key: string;
  evidence: Record<string, unknown>;
  delivery: Record<string, unknown>;
}

/** An intent that ended before any dial (a case without a valid phone): recorded finished in one go. */
export interface EndedIntent {
  tenantId: string;
  caseId: string;
  debtorId: string;
  key: string;
  status: 'failed';
  outcome: 'FAILED';
  error: Record<string, unknown>;
  evidence: Record<string, unknown>;
  endedAt: Date;
}

/** A call summary as written onto its interaction. */
export interface AppliedSummary {
  outcome: string | null;
  transcript: string;
  summary: string | null;
  startedAt: Date;
  endedAt: Date;
  /** Merged into ai_data: the summary's object, transcript, events and final state. */
  aiData: Record<string, unknown>;
}

/** A payment agreement taken on a call (the API's payment_agreements row, status ACCEPTED). */
export interface CallAgreement extends AgreementPlan {
  tenantId: string;
  caseId: string;
  callSid: string;
}

/** What the reconciliation learned of a stale call, and what it sets. */
export interface ReconciledClose {
  status: string;
  outcome: string | null;
  endedAt: Date;
  sid: string | null;
  reconciliation: Record<string, unknown>;
  error: Record<string, unknown> | null;
  /** The case's status when no other call of it is live and it is still IN_PROGRESS. */
  caseStatus: string;
}

const json = (v: unknown): string => JSON.stringify(v);

/**
 * The rows of calls: the API's interaction_logs with the workers' worker_interactions, and what a
 * call changes on its case, its debtor and its agreements. Every statement of the calls capability is
 * here, behind a named method; `transaction` gives the same methods on one transaction.
 */
export class CallsRepository {
  constructor(private readonly db: Db) {}

  /** Runs `fn` in one transaction; `tx` runs every method in it, `manager` is for other readers (the rules). */
  transaction<T>(fn: (tx: CallsRepository, manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction((m) => fn(new CallsRepository(m), m));
  }

  private async first<T>(sql: string, params: unknown[]): Promise<T | null> {
    return ((await this.db.query<T[]>(sql, params))[0] as T | undefined) ?? null;
  }

  // ---- reads ----

  caseForCall(caseId: string): Promise<CaseForCallRow | null> {
    return this.first(SQL.caseForCall, [caseId]);
  }

  interactionByKey(tenantId: string, key: string): Promise<InteractionRow | null> {
    return this.first(SQL.interactionByKey, [tenantId, key]);
  }

  /** The interaction of the tenant; `forUpdate` locks its interaction_logs row (inside a transaction). */
  interactionById(id: string, tenantId: string, o: { forUpdate?: boolean } = {}): Promise<InteractionRow | null> {
    return this.first(o.forUpdate ? SQL.interactionByIdForUpdate : SQL.interactionById, [id, tenantId]);
  }

  /** The newest CALL interaction of the tenant holding this Twilio SID. */
  interactionBySid(tenantId: string, sid: string): Promise<InteractionRow | null> {
    return this.first(SQL.interactionBySid, [tenantId, sid]);
  }

  /** Whether an interaction of the tenant other than `exceptId` already holds this SID. */
  async sidClaimed(tenantId: string, sid: string, exceptId: string): Promise<boolean> {
    return (await this.db.query<unknown[]>(SQL.sidClaimed, [tenantId, sid, exceptId])).length > 0;
  }

  /** Another queued or in-progress call of the case, other than `exceptId`. */
  otherLiveCall(caseId: string, exceptId: string | null = null): Promise<{ id: string; status: string; provider_ref: string | null } | null> {
    return this.first(SQL.otherLiveCall, [caseId, exceptId]);
  }

  latestCompletedSyncRun(connectionId: string): Promise<SyncRunRef | null> {
    return this.first(SQL.latestSyncRun, [connectionId]);
  }

  /** Calls still queued or in progress, oldest first, whose last move is older than `olderThanSeconds`. */
  staleCalls(olderThanSeconds: number, limit: number): Promise<StaleCallRow[]> {
    return this.db.query<StaleCallRow[]>(SQL.staleCalls, [olderThanSeconds, limit]);
  }

  // ---- one dial intent ----

  /** Locks the case row until the transaction ends (so two intents of one case are serialised). */
  async lockCase(caseId: string): Promise<void> {
    await this.db.query(SQL.lockCase, [caseId]);
  }

  /**
   * Records a dial intent (queued), run after lockCase in the same transaction. Null when another
   * call of the case is live or this intent was already recorded.
   */
  insertIntentIfNoLiveCall(i: NewIntent): Promise<InteractionRow | null> {
    return this.first(SQL.insertIntentIfNoLiveCall, [i.tenantId, i.caseId, i.debtorId, i.key, json(i.evidence), json(i.delivery)]);
  }

  /** Records an intent that ended before any dial; null when the key was already recorded. */
  async insertEndedIntent(i: EndedIntent): Promise<string | null> {
    const row = await this.first<{ id: string }>(SQL.insertInteraction, [i.tenantId, i.caseId, i.debtorId, i.status, i.outcome, json(i.error), i.key, json(i.evidence), null, i.endedAt]);
    return row?.id ?? null;
  }

  /** Merges `marks` into the intent's evidence (the dial marks: a request may have left, its last error). */
  async markDialing(id: string, marks: Record<string, unknown>): Promise<void> {
    await this.db.query(SQL.markDialing, [id, json(marks)]);
  }

  /** Appends one delivery of the job (inputs, checks, error) to the intent's record; never overwrites. */
  async appendAttempt(id: string, delivery: Record<string, unknown>): Promise<void> {
    await this.db.query(SQL.appendAttempt, [id, json(delivery)]);
  }

  /** A call Twilio accepted: the interaction gets its SID, the case its contact time and next action. */
  async recordPlaced(id: string, p: { sid: string; at: Date; evidence: Record<string, unknown>; nextActionAt: Date }): Promise<void> {
    await this.db.query(SQL.recordPlaced, [id, p.sid, p.at, json(p.evidence), p.nextActionAt]);
  }

  /** The interaction only (a simulated call, or one found by the reconciliation): no case change. */
  async markPlaced(id: string, p: { sid: string | null; status: 'in_progress' | 'simulated'; startedAt: Date; evidence: Record<string, unknown> }): Promise<void> {
    await this.db.query(SQL.markPlaced, [id, p.sid, p.status, p.startedAt, json(p.evidence)]);
  }

  async markEnded(id: string, end: InteractionEnd): Promise<void> {
    await this.db.query(SQL.markEnded, [id, end.status, end.outcome ?? null, end.error ? json(end.error) : null, end.endedAt ?? null, null]);
  }

  // ---- the case ----

  async setCaseNextAction(caseId: string, nextActionAt: Date): Promise<void> {
    await this.db.query(SQL.caseSimulated, [caseId, nextActionAt]);
  }

  /** A rule holds the case: next action at the earliest lawful moment (kept when none), meta.callHold. */
  async holdCase(caseId: string, nextActionAt: Date | null, hold: Record<string, unknown>): Promise<void> {
    await this.db.query(SQL.caseHeld, [caseId, nextActionAt, json(hold)]);
  }

  async markCaseInvalidContact(caseId: string, why: Record<string, unknown>): Promise<void> {
    await this.db.query(SQL.caseInvalidContact, [caseId, json(why)]);
  }

  /** The PMS balance read before a dial; zero or less closes the case as PAID. */
  async refreshCaseBalance(caseId: string, r: { balanceCents: number; at: Date; freshness: Record<string, unknown> }): Promise<void> {
    await this.db.query(SQL.caseRefreshedBalance, [caseId, r.balanceCents, r.at, json(r.freshness)]);
  }

  // ---- SYNC_CALL_SUMMARY ----

  async applySummary(id: string, s: AppliedSummary): Promise<void> {
    await this.db.query(SQL.applySummary, [id, s.outcome, s.transcript, s.summary, s.startedAt, s.endedAt, json(s.aiData)]);
  }

  async caseAfterSummary(caseId: string, u: { status: string | null; nextActionAt: Date | null; lastCallOutcome: Record<string, unknown> }): Promise<void> {
    await this.db.query(SQL.caseAfterSummary, [caseId, u.status, u.nextActionAt, json(u.lastCallOutcome)]);
  }

  async insertAgreement(a: CallAgreement): Promise<string | null> {
    const row = await this.first<{ id: string }>(SQL.insertAgreement, [
      a.tenantId,
      a.caseId,
      a.type,
      a.totalAmountCents,
      a.downPaymentCents,
      a.installments,
      a.startDate,
      a.promiseDate,
      a.callSid,
      json(a.terms),
    ]);
    return row?.id ?? null;
  }

  /**
   * The debtor asked not to be called: the workers' flag, and the PMS debtor's own flag when the
   * debtor names one. Run inside a transaction so the two land together.
   */
  async markDoNotCall(debtorId: string, tenantId: string, source: Record<string, unknown>): Promise<void> {
    const d = await this.first<{ pms_debtor_id: string | null }>(SQL.debtorDoNotCall, [debtorId, tenantId, json(source)]);
    if (d?.pms_debtor_id && /^[0-9a-f-]{36}$/i.test(d.pms_debtor_id)) await this.db.query(SQL.pmsDebtorDoNotCall, [d.pms_debtor_id, tenantId]);
  }

  // ---- RECONCILE_CALLS ----

  /**
   * Closes a stale call that is still live, and its case when no other call of it is; one
   * transaction. False when the call was closed meanwhile (by its summary, say): nothing changes.
   */
  closeReconciled(id: string, caseId: string | null, c: ReconciledClose): Promise<boolean> {
    return this.transaction(async (tx) => {
      const { rows } = await execute(tx.db, SQL.closeReconciled, [id, c.status, c.outcome, c.endedAt, c.sid, json(c.reconciliation), c.error ? json(c.error) : null]);
      if (rows.length > 0 && caseId) await tx.db.query(SQL.caseAfterReconcile, [caseId, c.caseStatus]);
      return rows.length > 0;
    });
  }
}

/** The repository on the application's data source (a Nest provider). */
export const callsRepositoryProvider = {
  provide: CallsRepository,
  useFactory: (ds: DataSource) => new CallsRepository(ds),
  inject: [DataSource],
};


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
  /** the API's jsonb; ai_data.summary marks a summary applied (once) */
  ai_data: { summary?: { appliedAt?: string; key?: string; [key: string]: unknown }; [key: string]: unknown } | null;
  /** why the call ended without one (a rule's reason, Twilio's kind and code) */
  error: { reason?: string; kind?: string; [key: string]: unknown } | null;
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
