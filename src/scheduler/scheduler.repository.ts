import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CallHoldRecord } from './call-scheduler';

/**
 * The scheduler's SQL, private to this file. Values are bound parameters. Status lists that partial
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
const CLAIM_DUE_CASES_SQL = dueCasesSql(true);

/** scheduler.peek_due_cases: the same selection without locks (dry run). */
const PEEK_DUE_CASES_SQL = dueCasesSql(false);

/** scheduler.count_due_cases: every due case, limits aside (dry run report). $1 now, $2 demo, $3 tenant. */
const COUNT_DUE_CASES_SQL = `
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
const APPLY_CLAIM_SQL = `
UPDATE debt_cases d
SET next_action_at = v.next_at,
    meta = CASE WHEN v.hold IS NULL THEN coalesce(d.meta, '{}'::jsonb) - 'callHold'
                ELSE jsonb_set(coalesce(d.meta, '{}'::jsonb), '{callHold}', v.hold) END,
    updated_at = now()
FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[]) AS v(id, next_at, hold)
WHERE d.id = v.id`;

/** scheduler.stale_calls_exist: a CALL still queued/in_progress older than the TTL. $1 now, $2 seconds. */
const STALE_CALLS_EXIST_SQL = `
SELECT EXISTS (
  SELECT 1 FROM interaction_logs il
  WHERE il.type = 'CALL' AND il.status IN ('queued', 'in_progress')
    AND coalesce(il.started_at, il.created_at) < $1::timestamptz - make_interval(secs => $2::int)
) AS stale`;

/** A due case, as the claim and the peek select it. */
export interface DueCase {
  id: string;
  tenant_id: string;
}

/** Which due cases a pass looks at: due at `now`, within the per-tenant and global limits. */
export interface DueCaseQuery {
  now: Date;
  includeDemoCases: boolean;
  perTenantLimit: number;
  limit: number;
  /** one tenant only, or every tenant */
  tenantId: string | null;
}

/** What a pass decided for one claimed case: when to look at it again, and the hold (null when called). */
export interface ClaimDecision {
  caseId: string;
  nextActionAt: string;
  hold: CallHoldRecord | null;
}

/**
 * The scheduler's claim of due debt cases and its reads. The pass's statements take the
 * EntityManager of the pass's transaction: the claim's row locks hold until that transaction commits.
 */
@Injectable()
export class SchedulerRepository {
  /** The statements the scheduler benchmark times and explains (scripts/bench-scheduler.ts); callers use the methods. */
  static readonly benchSql = { claimDueCases: CLAIM_DUE_CASES_SQL, applyClaim: APPLY_CLAIM_SQL } as const;

  constructor(private readonly db: DataSource) {}

  /** Selects and locks the due cases (FOR UPDATE SKIP LOCKED), fair per tenant, earliest due first. */
  claimDueCases(tx: EntityManager, q: DueCaseQuery): Promise<DueCase[]> {
    return tx.query<DueCase[]>(CLAIM_DUE_CASES_SQL, dueParams(q));
  }

  /** The same selection without locks (dry run). */
  peekDueCases(tx: EntityManager, q: DueCaseQuery): Promise<DueCase[]> {
    return tx.query<DueCase[]>(PEEK_DUE_CASES_SQL, dueParams(q));
  }

  /** Every due case, the limits aside (dry run report). */
  async countDueCases(tx: EntityManager, q: Pick<DueCaseQuery, 'now' | 'includeDemoCases' | 'tenantId'>): Promise<number> {
    const [row] = await tx.query<{ n: number }[]>(COUNT_DUE_CASES_SQL, [q.now.toISOString(), q.includeDemoCases, q.tenantId]);
    return Number(row.n);
  }

  /** Writes the pass's decisions on the claimed cases: next_action_at and meta.callHold, one statement. */
  async applyClaim(tx: EntityManager, decisions: ClaimDecision[]): Promise<void> {
    await tx.query(APPLY_CLAIM_SQL, [
      decisions.map((d) => d.caseId),
      decisions.map((d) => d.nextActionAt),
      decisions.map((d) => (d.hold ? JSON.stringify(d.hold) : null)),
    ]);
  }

  /** Is a CALL still queued / in progress longer than the TTL? */
  async staleCallsExist(now: Date, ttlSeconds: number): Promise<boolean> {
    const [row] = await this.db.query<{ stale: boolean }[]>(STALE_CALLS_EXIST_SQL, [now.toISOString(), ttlSeconds]);
    return !!row?.stale;
  }
}

function dueParams(q: DueCaseQuery): unknown[] {
  return [q.now.toISOString(), q.includeDemoCases, q.perTenantLimit, q.limit, q.tenantId];
}
