/**
 * Named SQL of the scheduler (one place). Values are bound parameters. Status lists that partial
 * indexes depend on are literal SQL (the planner can only match a partial index against constants).
 */

/**
 * The due-case selection of the old scheduler, fair per tenant, earliest due first (null = first).
 * Per tenant, the ids of its active flow policies with channels.call = true are gathered once (a
 * handful of rows) and tested per case as an array membership: no per-row sub-select on
 * flow_policies. A tenant without such a policy is not walked at all. The walk follows
 * ix_debt_cases_sched_due in order and stops at the per-tenant LIMIT.
 */
function dueCasesSql(lock: boolean): string {
  return `
SELECT c.id, c.tenant_id
FROM tenants t
CROSS JOIN LATERAL (
  SELECT array_agg(fp.id) AS ids
  FROM flow_policies fp
  WHERE fp.tenant_id = t.id AND fp.is_active AND (fp.channels->>'call') = 'true'
) pol
CROSS JOIN LATERAL (
  SELECT d.id, d.tenant_id, coalesce(d.next_action_at, '-infinity'::timestamptz) AS due_at
  FROM debt_cases d
  WHERE d.tenant_id = t.id
    AND d.status IN ('NEW', 'IN_PROGRESS')
    AND coalesce(d.next_action_at, '-infinity'::timestamptz) <= $1::timestamptz
    AND ($2::boolean OR coalesce(d.meta->>'source', '') <> 'demo-ui')
    AND d.flow_policy_id = ANY(pol.ids)
  ORDER BY coalesce(d.next_action_at, '-infinity'::timestamptz), d.id
  LIMIT $3${lock ? '\n  FOR UPDATE OF d SKIP LOCKED' : ''}
) c
WHERE pol.ids IS NOT NULL
  AND ($5::uuid IS NULL OR t.id = $5::uuid)
ORDER BY c.due_at, c.id
LIMIT $4`;
}

/**
 * scheduler.claim_due_cases: locks the selected cases (FOR UPDATE SKIP LOCKED: a concurrent scheduler
 * skips them; a row another scheduler already pushed forward is re-checked and dropped).
 * $1 now, $2 include demo cases, $3 per-tenant limit, $4 global limit, $5 tenant id or null.
 */
export const CLAIM_DUE_CASES_SQL = dueCasesSql(true);

/** scheduler.peek_due_cases: the same selection without locks (dry run). */
export const PEEK_DUE_CASES_SQL = dueCasesSql(false);

/** scheduler.count_due_cases: every due case, limits aside (dry run report). $1 now, $2 demo, $3 tenant. */
export const COUNT_DUE_CASES_SQL = `
SELECT count(*)::int AS n
FROM debt_cases d
JOIN flow_policies fp ON fp.id = d.flow_policy_id AND fp.tenant_id = d.tenant_id
WHERE d.status IN ('NEW', 'IN_PROGRESS')
  AND coalesce(d.next_action_at, '-infinity'::timestamptz) <= $1::timestamptz
  AND fp.is_active AND (fp.channels->>'call') = 'true'
  AND ($2::boolean OR coalesce(d.meta->>'source', '') <> 'demo-ui')
  AND ($3::uuid IS NULL OR d.tenant_id = $3::uuid)`;

/**
 * scheduler.apply_claim: next_action_at per case (cooldown for the called, earliest lawful moment for
 * the held) and meta.callHold (set for held cases, removed for called ones).
 * $1 uuid[] ids, $2 timestamptz[] next_action_at, $3 jsonb[] hold (null = none).
 */
export const APPLY_CLAIM_SQL = `
UPDATE debt_cases d
SET next_action_at = v.next_at,
    meta = CASE WHEN v.hold IS NULL THEN coalesce(d.meta, '{}'::jsonb) - 'callHold'
                ELSE jsonb_set(coalesce(d.meta, '{}'::jsonb), '{callHold}', v.hold) END,
    updated_at = now()
FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[]) AS v(id, next_at, hold)
WHERE d.id = v.id`;

/** scheduler.stale_calls_exist: a CALL still queued/in_progress older than the TTL. $1 now, $2 seconds. */
export const STALE_CALLS_EXIST_SQL = `
SELECT EXISTS (
  SELECT 1 FROM interaction_logs il
  WHERE il.type = 'CALL' AND il.status IN ('queued', 'in_progress')
    AND coalesce(il.started_at, il.created_at) < $1::timestamptz - make_interval(secs => $2::int)
) AS stale`;
