import { CONVERSATION_OUTCOMES, OPEN_DISPUTE_STATUSES } from './call-rules';
import { CallRuleInput } from './call-rules.types';

/**
 * Named SQL of the call rules (one place). Values are always bound parameters; the constant lists
 * below are passed as arrays too.
 *
 * Attempts: interaction_logs of type CALL, direction OUTBOUND, of the case, started (or created, while
 * still queued) in the last 14 days, whatever their status or outcome, EXCEPT status 'simulated' (calls
 * CALLS_DRY_RUN only pretended to place: nobody was dialed). Conversation: the latest CALL of the case
 * in either direction whose outcome is a conversation outcome, or that Twilio reported completed while
 * its summary (and so its outcome) is not applied yet: until the summary says otherwise, a completed
 * call is taken to be a conversation. In progress: a CALL in queued/in_progress.
 *
 * ENUM columns of the API (status, outcome, direction, dispute status) are compared as text: the
 * API declares them as Postgres ENUM types whose names differ between its two ways of building
 * the schema, and an ENUM compared with a text[] parameter has no operator.
 * Debtor flags and zone come from the PMS debtor and from the workers' own flags (either blocks).
 */

export const CONVERSATION_OUTCOME_LIST = [...CONVERSATION_OUTCOMES];
export const OPEN_DISPUTE_LIST = [...OPEN_DISPUTE_STATUSES];
export const IN_PROGRESS_CALL_STATUSES = ['queued', 'in_progress'];
export const NOT_AN_ATTEMPT_STATUSES = ['simulated'];

/**
 * call_rules.inputs_for_cases: one row per case id in $1 (driven by unnest: primary-key lookups; the
 * per-case sub-selects are scalar so they stay index lookups per case).
 * $1 uuid[] case ids, $2 timestamptz now, $3 text[] conversation outcomes, $4 text[] open dispute
 * statuses, $5 text[] in-progress call statuses, $6 text[] statuses that are not attempts,
 * $7 uuid interaction id to ignore (the caller's own row at dial time) or null.
 */
export const CALL_RULE_INPUTS_SQL = `
SELECT d.id AS case_id, d.tenant_id, d.status::text AS status, d.closed_at, d.approval_status, d.amount_due_cents::text AS amount_due_cents,
       coalesce(d.meta #>> '{reconciliation,mismatch}' = 'true', false) AS reconciliation_mismatch,
       coalesce(nullif(btrim(db.phone), ''), nullif(btrim(pd.phone), '')) AS phone,
       (coalesce(wf.do_not_call, false) OR coalesce(pd.do_not_call, false)) AS do_not_call,
       (coalesce(wf.do_not_contact, false) OR coalesce(pd.do_not_contact, false)) AS do_not_contact,
       coalesce(nullif(wf.timezone, ''), nullif(pd.timezone, '')) AS debtor_timezone,
       coalesce(p.address->>'state', p.address->>'State', p.address->>'region') AS property_state,
       coalesce(p.address->>'postalCode', p.address->>'postal_code', p.address->>'zip', p.address->>'zipCode') AS property_postal_code,
       t.timezone AS tenant_timezone,
       (SELECT true FROM case_disputes cd WHERE cd.debt_case_id = d.id AND cd.status::text = ANY($4::text[]) LIMIT 1) IS NOT NULL AS has_open_dispute,
       coalesce(calls.recent_attempts, '{}') AS recent_attempts,
       calls.last_attempt_at,
       calls.last_conversation_at,
       coalesce(calls.call_in_progress, false) AS call_in_progress
FROM unnest($1::uuid[]) AS wanted(id)
JOIN debt_cases d ON d.id = wanted.id
JOIN tenants t ON t.id = d.tenant_id
LEFT JOIN debtors db ON db.id = d.debtor_id
LEFT JOIN worker_debtor_flags wf ON wf.debtor_id = d.debtor_id
LEFT JOIN pms_leases l ON l.id = d.pms_lease_id
LEFT JOIN pms_properties p ON p.id = l.pms_property_id
LEFT JOIN pms_debtors pd ON pd.id = coalesce(
  CASE WHEN db.metadata->>'pms_debtor_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       THEN (db.metadata->>'pms_debtor_id')::uuid END,
  l.pms_debtor_id)
-- every CALL of the case in one index scan (ix_interaction_logs_case_started): attempts, last conversation, in progress
LEFT JOIN LATERAL (
  SELECT array_agg(x.at ORDER BY x.at DESC) FILTER (
           WHERE x.direction = 'OUTBOUND' AND x.at > $2::timestamptz - interval '14 days' AND NOT (x.status = ANY($6::text[]))) AS recent_attempts,
         max(x.at) FILTER (
           WHERE x.direction = 'OUTBOUND' AND NOT (x.status = ANY($6::text[])) AND ($7::uuid IS NULL OR x.id <> $7::uuid)) AS last_attempt_at,
         max(x.at) FILTER (WHERE x.outcome = ANY($3::text[]) OR (x.status = 'completed' AND x.outcome IS NULL)) AS last_conversation_at,
         bool_or(x.status = ANY($5::text[]) AND ($7::uuid IS NULL OR x.id <> $7::uuid)) AS call_in_progress
  FROM (SELECT il.id, il.direction::text AS direction, il.status::text AS status, il.outcome::text AS outcome, coalesce(il.started_at, il.created_at) AS at
        FROM interaction_logs il WHERE il.debt_case_id = d.id AND il.type = 'CALL') x
) calls ON true`;

export function callRuleInputParams(caseIds: string[], now: Date, ignoreInteractionId: string | null = null): unknown[] {
  return [caseIds, now.toISOString(), CONVERSATION_OUTCOME_LIST, OPEN_DISPUTE_LIST, IN_PROGRESS_CALL_STATUSES, NOT_AN_ATTEMPT_STATUSES, ignoreInteractionId];
}

export interface CallRuleInputRow {
  case_id: string;
  tenant_id: string;
  status: string;
  closed_at: Date | string | null;
  approval_status: string;
  amount_due_cents: string;
  reconciliation_mismatch: boolean;
  phone: string | null;
  do_not_call: boolean;
  do_not_contact: boolean;
  debtor_timezone: string | null;
  property_state: string | null;
  property_postal_code: string | null;
  tenant_timezone: string | null;
  has_open_dispute: boolean;
  recent_attempts: (Date | string)[] | string;
  last_attempt_at: Date | string | null;
  last_conversation_at: Date | string | null;
  call_in_progress: boolean;
}

const toDate = (v: Date | string | null): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v));

/** pg returns timestamptz[] as Date[] with node-postgres' parsers; a text form is parsed defensively. */
function toDates(v: CallRuleInputRow['recent_attempts']): Date[] {
  if (Array.isArray(v)) return v.map((x) => toDate(x)!).filter((d) => !Number.isNaN(d.getTime()));
  if (typeof v === 'string') {
    const inner = v.replace(/^\{|\}$/g, '');
    if (inner === '') return [];
    return inner.split(',').map((s) => new Date(s.replace(/^"|"$/g, '')));
  }
  return [];
}

export function rowToCallRuleInput(r: CallRuleInputRow): CallRuleInput {
  return {
    caseId: r.case_id,
    tenantId: r.tenant_id,
    status: r.status,
    closedAt: toDate(r.closed_at),
    approvalStatus: r.approval_status,
    amountDueCents: Number(r.amount_due_cents),
    reconciliationMismatch: r.reconciliation_mismatch,
    phone: r.phone,
    doNotCall: r.do_not_call,
    doNotContact: r.do_not_contact,
    hasOpenDispute: r.has_open_dispute,
    debtorTimezone: r.debtor_timezone,
    propertyState: r.property_state,
    propertyPostalCode: r.property_postal_code,
    tenantTimezone: r.tenant_timezone ?? 'America/New_York',
    recentAttempts: toDates(r.recent_attempts),
    lastAttemptAt: toDate(r.last_attempt_at),
    lastConversationAt: toDate(r.last_conversation_at),
    callInProgress: r.call_in_progress,
  };
}
