/**
 * Named SQL of the collections engine (one place). The tables are the API's (collection_automations,
 * collection_strategies, collection_stages, case_automation_state, collection_events,
 * tenant_message_templates): the API rewrites them at every restart, so inserts give ids and timestamps
 * themselves, and ENUM-typed columns (debt_cases.status) are compared as text. Values are bound
 * parameters.
 */

/**
 * The API's stage for a case's days past due, as one ORDER BY over the active stages of the strategy
 * (alias `st`, with window aggregates `hm` = highest max_days_past_due or 0 and `first_min`):
 * above every defined max -> the last stage; else the matching stage with the largest min; else,
 * below the first range -> the first stage; else the last one. `dpd` is an SQL expression.
 */
export function stageOrder(dpd: string): string {
  const matches = `(${dpd} >= st.mn AND (st.mx IS NULL OR ${dpd} <= st.mx))`;
  return `(CASE WHEN ${dpd} > st.hm THEN 0 WHEN ${matches} THEN 1 ELSE 2 END),
    (CASE WHEN ${dpd} <= st.hm AND NOT ${matches} AND ${dpd} < st.first_min THEN st.mn ELSE -st.mn END),
    st.created_at, st.id`;
}

/** Active stages of every strategy, with what stageOrder needs. */
export const STAGES_CTE = `
SELECT s.id, s.strategy_id, s.name, s.min_days_past_due AS mn, s.max_days_past_due AS mx, s.created_at,
       coalesce(max(s.max_days_past_due) OVER w, 0) AS hm, min(s.min_days_past_due) OVER w AS first_min
FROM collection_stages s
WHERE s.is_active IS NOT FALSE
WINDOW w AS (PARTITION BY s.strategy_id)`;

/**
 * collections.recompute_stages: the stage of every state of every active automation from its case's
 * days past due, one statement; only rows whose stage changes are written. Returns the rows changed.
 */
export const RECOMPUTE_STAGES_SQL = `
WITH st AS (${STAGES_CTE}),
pick AS (
  SELECT DISTINCT ON (cas.id) cas.id AS state_id, st.id AS stage_id
  FROM case_automation_state cas
  JOIN collection_automations a ON a.id = cas.automation_id AND a.status = 'active'
  JOIN debt_cases d ON d.id = cas.debt_case_id
  JOIN st ON st.strategy_id = a.strategy_id
  ORDER BY cas.id, ${stageOrder('coalesce(d.days_past_due, 0)')}
)
UPDATE case_automation_state c
SET current_stage_id = pick.stage_id, updated_at = $1::timestamptz
FROM pick
WHERE c.id = pick.state_id AND c.current_stage_id IS DISTINCT FROM pick.stage_id`;

/** Case statuses the API enrolls (its automation service's eligible list). */
export const ENROLL_ELIGIBLE_STATUSES = ['NEW', 'IN_PROGRESS', 'CONTACTED', 'PROMISE_TO_PAY', 'PAYMENT_PLAN', 'NO_ANSWER', 'REFUSED'];

const num = (expr: string) => `CASE WHEN (${expr}) ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (${expr})::numeric END`;

/**
 * The API's approval at enrollment: AUTO approves, REQUIRE_APPROVAL holds, HYBRID holds a case over
 * autoApproveMaxDpd days or autoApproveMaxAmountCents, in a stage named in requireApprovalStages, or
 * (requireApprovalMissingContact) whose debtor has neither phone nor email.
 */
const APPROVAL_EXPR = `
CASE coalesce(a.approval_mode, 'AUTO')
  WHEN 'AUTO' THEN 'APPROVED'
  WHEN 'REQUIRE_APPROVAL' THEN 'PENDING_APPROVAL'
  WHEN 'HYBRID' THEN CASE
    WHEN coalesce(d.days_past_due, 0) > ${num(`a.approval_rules->>'autoApproveMaxDpd'`)} THEN 'PENDING_APPROVAL'
    WHEN coalesce(d.amount_due_cents, 0) > ${num(`a.approval_rules->>'autoApproveMaxAmountCents'`)} THEN 'PENDING_APPROVAL'
    WHEN EXISTS (
      SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(a.approval_rules->'requireApprovalStages') = 'array'
                                                   THEN a.approval_rules->'requireApprovalStages' ELSE '[]'::jsonb END) x(v)
      WHERE lower(x.v) = lower(coalesce(st.name, ''))) THEN 'PENDING_APPROVAL'
    WHEN a.approval_rules->>'requireApprovalMissingContact' = 'true' AND db.id IS NOT NULL
         AND coalesce(db.phone, '') = '' AND coalesce(db.email, '') = '' THEN 'PENDING_APPROVAL'
    ELSE 'APPROVED' END
  ELSE 'APPROVED'
END`;

/**
 * collections.enroll_new_cases: every eligible case of the connection that is not yet in an active
 * automation of the connection joins it (stage from its days past due, approval as the API resolves
 * it, due now), in one statement. Like the API, a newly enrolled case's approval_status is set.
 * $1 tenant, $2 connection, $3 eligible statuses, $4 now. Returns one row: enrolled.
 */
export const ENROLL_NEW_CASES_SQL = `
WITH auto AS (
  SELECT a.id, a.strategy_id, a.approval_mode, coalesce(a.approval_rules, '{}'::jsonb) AS approval_rules
  FROM collection_automations a
  WHERE a.tenant_id = $1::uuid AND a.pms_connection_id = $2::uuid AND a.status = 'active'
),
st AS (${STAGES_CTE}),
cand AS (
  SELECT DISTINCT ON (a.id, d.id) a.id AS automation_id, a.strategy_id, d.id AS case_id, st.id AS stage_id, (${APPROVAL_EXPR}) AS approval
  FROM auto a
  JOIN debt_cases d ON d.tenant_id = $1::uuid
   AND d.status::text = ANY($3::text[])
   AND (d.meta->>'pms_connection_id' = $2::text OR d.external_key LIKE 'pms:' || $2::text || ':lease:%')
  JOIN st ON st.strategy_id = a.strategy_id
  LEFT JOIN debtors db ON db.id = d.debtor_id
  WHERE NOT EXISTS (SELECT 1 FROM case_automation_state x WHERE x.debt_case_id = d.id AND x.automation_id = a.id)
  ORDER BY a.id, d.id, ${stageOrder('coalesce(d.days_past_due, 0)')}
),
ins AS (
  INSERT INTO case_automation_state (id, debt_case_id, automation_id, strategy_id, current_stage_id, status, next_action_at,
                                     attempts_week_count, meta, created_at, updated_at)
  SELECT gen_random_uuid(), c.case_id, c.automation_id, c.strategy_id, c.stage_id, 'active', $4::timestamptz, 0, '{}'::jsonb, $4::timestamptz, $4::timestamptz
  FROM cand c
  ON CONFLICT DO NOTHING
  RETURNING debt_case_id, automation_id
),
approval AS (
  SELECT DISTINCT ON (c.case_id) c.case_id, c.approval
  FROM cand c JOIN ins ON ins.debt_case_id = c.case_id AND ins.automation_id = c.automation_id
  ORDER BY c.case_id, c.approval DESC
),
upd AS (
  UPDATE debt_cases d SET approval_status = approval.approval, updated_at = $4::timestamptz
  FROM approval
  WHERE d.id = approval.case_id AND d.approval_status IS DISTINCT FROM approval.approval
  RETURNING d.id
)
SELECT (SELECT count(*) FROM ins)::int AS enrolled, (SELECT count(*) FROM upd)::int AS approvals_set`;

/** Whether any automation is active (the scheduler enqueues no tick otherwise). */
export const ANY_ACTIVE_AUTOMATION_SQL = `SELECT EXISTS (SELECT 1 FROM collection_automations WHERE status::text = 'active') AS any`;

/** The collections tables exist (the API made them); a database without them has no automations. */
export const COLLECTIONS_TABLES_EXIST_SQL = `
SELECT to_regclass('public.collection_automations') IS NOT NULL AND to_regclass('public.case_automation_state') IS NOT NULL
   AND to_regclass('public.collection_stages') IS NOT NULL AS ok`;

/**
 * collections.due_state_ids: the ids of the due active states of every active automation, earliest
 * first, without locks: one sort per tick (the API's tables have no index on next_action_at), then
 * CLAIM_DUE_STATES_SQL takes them by primary key in batches. $1 now, $2 limit.
 */
export const DUE_STATE_IDS_SQL = `
SELECT cas.id
FROM case_automation_state cas
JOIN collection_automations a ON a.id = cas.automation_id AND a.status = 'active'
WHERE cas.status = 'active' AND cas.next_action_at IS NOT NULL AND cas.next_action_at <= $1::timestamptz
ORDER BY cas.next_action_at, cas.id
LIMIT $2`;

/**
 * collections.claim_due_states: some of those states, locked and checked again (FOR UPDATE SKIP LOCKED:
 * a concurrent tick holding one makes this one skip it, and a state it already moved forward is no
 * longer due), with what the strategy, the stage and the case say. $1 now, $2 batch size, $3 ids.
 */
export const CLAIM_DUE_STATES_SQL = `
SELECT cas.id AS state_id, cas.debt_case_id AS case_id, cas.automation_id, a.tenant_id,
       cas.current_stage_id AS stage_id, cas.last_attempt_at, coalesce(cas.attempts_week_count, 0) AS attempts_week_count,
       cas.promise_due_date::text AS promise_due_date, cas.last_outcome,
       s.cooldown_hours, s.max_attempts_per_week, s.allowed_time_window, s.stop_on_promise, s.stop_on_payment,
       st.channels, st.rules AS stage_rules,
       d.status::text AS case_status, d.approval_status, d.closed_at
FROM case_automation_state cas
JOIN collection_automations a ON a.id = cas.automation_id AND a.status = 'active'
JOIN collection_strategies s ON s.id = a.strategy_id
JOIN debt_cases d ON d.id = cas.debt_case_id
LEFT JOIN collection_stages st ON st.id = cas.current_stage_id
WHERE cas.id = ANY($3::uuid[])
  AND cas.status = 'active' AND cas.next_action_at IS NOT NULL AND cas.next_action_at <= $1::timestamptz
ORDER BY cas.next_action_at, cas.id
LIMIT $2
FOR UPDATE OF cas SKIP LOCKED`;

/** collections.active_templates: the active SMS/email templates of some tenants, oldest first (the API's default). */
export const ACTIVE_TEMPLATES_SQL = `
SELECT t.id, t.tenant_id, t.channel
FROM tenant_message_templates t
WHERE t.tenant_id = ANY($1::uuid[]) AND t.is_active = true
ORDER BY t.created_at, t.id`;

/** collections.insert_events: the API's collection_events, one statement per batch. */
export const INSERT_EVENTS_SQL = `
INSERT INTO collection_events (id, automation_id, debt_case_id, channel, event_type, payload, created_at)
SELECT gen_random_uuid(), v.automation_id, v.case_id, v.channel, v.event_type, v.payload, $6::timestamptz
FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[]) AS v(automation_id, case_id, channel, event_type, payload)`;

/**
 * collections.update_states: per state, the next action, attempts of the week, last attempt (when
 * something was dispatched) and last outcome (kept when null). $1 ids, $2 next_action_at, $3 attempts,
 * $4 outcome, $5 attempted, $6 now.
 */
export const UPDATE_STATES_SQL = `
UPDATE case_automation_state c
SET next_action_at = v.next_at,
    attempts_week_count = v.attempts,
    last_attempt_at = CASE WHEN v.attempted THEN $6::timestamptz ELSE c.last_attempt_at END,
    last_outcome = coalesce(left(v.outcome, 64), c.last_outcome),
    last_outcome_at = CASE WHEN v.outcome IS NULL THEN c.last_outcome_at ELSE $6::timestamptz END,
    updated_at = $6::timestamptz
FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::text[], $5::boolean[]) AS v(id, next_at, attempts, outcome, attempted)
WHERE c.id = v.id`;

/** collections.touch_automations: every active automation was evaluated now; next tick one slot later. */
export const TOUCH_AUTOMATIONS_SQL = `
UPDATE collection_automations
SET last_evaluated_at = $1::timestamptz, next_tick_at = $2::timestamptz, updated_at = $1::timestamptz
WHERE status = 'active'`;

/** collections.connected_connections: what maintenance walks. $1 tenant id or null. */
export const CONNECTED_CONNECTIONS_SQL = `
SELECT c.id, c.tenant_id FROM pms_connections c
WHERE c.status = 'connected' AND ($1::uuid IS NULL OR c.tenant_id = $1::uuid)
ORDER BY c.id`;

/** collections.sync_running: a sync run of the connection is pending or running. */
export const SYNC_RUNNING_SQL = `
SELECT EXISTS (SELECT 1 FROM sync_runs r WHERE r.pms_connection_id = $1::uuid AND r.status::text IN ('pending', 'running')) AS running`;

/**
 * collections.full_sync_due: of the given connections, those whose last complete sync (every step:
 * a `sync` job without steps, or a maintenance full sync) finished longer than the interval ago, or
 * that never had one. A run the workers recorded no steps for predates that bookkeeping and was a
 * complete sync. $1 uuid[] connections, $2 now, $3 interval hours, $4 jsonb array of every step.
 */
export const FULL_SYNC_DUE_SQL = `
SELECT c.id, f.last_full
FROM unnest($1::uuid[]) AS c(id)
LEFT JOIN LATERAL (
  SELECT max(coalesce(r.finished_at, r.updated_at)) AS last_full
  FROM sync_runs r
  LEFT JOIN worker_sync_runs w ON w.sync_run_id = r.id
  WHERE r.pms_connection_id = c.id AND r.status::text = 'completed'
    AND (w.steps IS NULL OR w.steps @> $4::jsonb)
) f ON true
WHERE f.last_full IS NULL OR f.last_full < $2::timestamptz - make_interval(hours => $3::int)
ORDER BY f.last_full NULLS FIRST, c.id`;
