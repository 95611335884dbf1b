/**
 * Collections cases from PMS data (sync-rules.md), set-based, with the results the API's own build
 * and refresh give. $1 = connection id, $2 = tenant id, $3 = today (UTC date). Cases read the
 * latest lease aging snapshot of the connection; when that snapshot is older than today, days past
 * due are moved forward by the days elapsed.
 *
 * - a case for every lease whose latest balance is > 0 (whatever its days past due), status NEW,
 *   next_action_at now(); one case per lease, ever: external_key
 *   'pms:<connectionId>:lease:<pms_leases.id>', unique(tenant_id, external_key). Whether it is ever
 *   called is for the scheduler (a call-enabled flow policy and every call rule);
 * - meta carries the keys the API's screens read (source 'pms', pms_connection_id, pms_lease_id,
 *   pms_debtor_id, lease_number, property_name, unit_number) beside ours;
 * - the debtors row: external_ref 'pms:<connectionId>:<pms debtor external id>', metadata.pms_debtor_id;
 *   do_not_call / do_not_contact are sticky (a flag set by a call is never cleared by a sync);
 * - flow policy: the active policy of the tenant whose [min, max] contains the days past due
 *   (the narrowest, i.e. the highest min, when several do);
 * - meta.reconciliation = {mismatch, pmsBalanceCents, ledgerBalanceCents, leaseExternalId} when the
 *   PMS reports a balance; mismatch true holds the case from calls (RECONCILIATION_MISMATCH).
 */

const SNAP = `
snap AS (
    SELECT s.pms_lease_id, s.balance_cents, l.pms_debtor_id, l.external_id AS lease_ext, l.risk_tier,
      coalesce(l.lease_number, l.external_id) AS lease_number, pr.name AS property_name, u.unit_number,
      CASE WHEN s.days_past_due > 0 THEN s.days_past_due + ($3::date - s.as_of_date) ELSE 0 END AS dpd,
      (s.meta->>'oldestDueDate')::date AS oldest_due,
      (s.meta->>'ledgerCents')::bigint AS ledger_cents,
      (s.meta->>'reportedCents')::bigint AS reported_cents,
      'pms:' || $1::text || ':lease:' || s.pms_lease_id::text AS external_key
    FROM ar_lease_aging_snapshots s
    JOIN pms_leases l ON l.id = s.pms_lease_id AND l.deleted_at IS NULL
    LEFT JOIN pms_properties pr ON pr.id = l.pms_property_id
    LEFT JOIN pms_units u ON u.id = l.pms_unit_id
    WHERE s.pms_connection_id = $1::uuid AND s.tenant_id = $2::uuid
      AND s.as_of_date = (SELECT max(as_of_date) FROM ar_lease_aging_snapshots WHERE pms_connection_id = $1::uuid)
)`;

const REC = `CASE WHEN snap.reported_cents IS NULL THEN NULL ELSE jsonb_build_object(
      'mismatch', snap.reported_cents <> snap.ledger_cents, 'pmsBalanceCents', snap.reported_cents,
      'ledgerBalanceCents', snap.ledger_cents, 'leaseExternalId', snap.lease_ext) END`;

/** The keys the API's screens read on a case built from the PMS (null values kept, as the API writes them). */
const API_META = `jsonb_build_object('source', 'pms', 'pms_connection_id', $1::text, 'pms_lease_id', snap.pms_lease_id::text,
      'pms_debtor_id', snap.pms_debtor_id::text, 'lease_number', snap.lease_number, 'property_name', snap.property_name,
      'unit_number', snap.unit_number)`;

const POLICY = `LEFT JOIN LATERAL (
      SELECT f.id FROM flow_policies f
      WHERE f.tenant_id = $2::uuid AND f.is_active AND f.min_days_past_due <= snap.dpd
        AND (f.max_days_past_due IS NULL OR snap.dpd <= f.max_days_past_due)
      ORDER BY f.min_days_past_due DESC, f.created_at, f.id LIMIT 1) fp ON true`;

/** Creates the debtors rows missing for leases that need a case. */
export const CASES_ENSURE_DEBTORS = `
WITH ${SNAP}, need AS (
    SELECT DISTINCT d.id, d.external_id, d.display_name, d.email, d.phone, d.do_not_call, d.do_not_contact, d.timezone
    FROM snap JOIN pms_debtors d ON d.id = snap.pms_debtor_id
    WHERE snap.balance_cents > 0
)
INSERT INTO debtors (id, tenant_id, external_ref, full_name, email, phone, metadata, do_not_call, do_not_contact, timezone, created_at, updated_at)
SELECT gen_random_uuid(), $2, 'pms:' || $1::text || ':' || n.external_id, coalesce(left(n.display_name, 160), 'Unknown'),
  CASE WHEN length(n.email) <= 160 THEN n.email END, CASE WHEN length(n.phone) <= 40 THEN n.phone END,
  jsonb_build_object('pms_debtor_id', n.id::text, 'pms_debtor_external_id', n.external_id, 'pms_connection_id', $1::text),
  n.do_not_call, n.do_not_contact, n.timezone, now(), now()
FROM need n
WHERE NOT EXISTS (SELECT 1 FROM debtors x WHERE x.tenant_id = $2::uuid AND x.external_ref = 'pms:' || $1::text || ':' || n.external_id)`;

/** Refreshes every debtors row built from this connection from its PMS debtor (only when different). $1 connection, $2 tenant. */
export const CASES_REFRESH_DEBTORS = `
UPDATE debtors x SET
  full_name = left(d.display_name, 160),
  email = CASE WHEN length(d.email) <= 160 THEN d.email END,
  phone = CASE WHEN length(d.phone) <= 40 THEN d.phone END,
  do_not_call = x.do_not_call OR d.do_not_call,
  do_not_contact = x.do_not_contact OR d.do_not_contact,
  timezone = coalesce(d.timezone, x.timezone),
  metadata = x.metadata || jsonb_build_object('pms_debtor_id', d.id::text, 'pms_debtor_external_id', d.external_id, 'pms_connection_id', $1::text),
  updated_at = now()
FROM pms_debtors d
WHERE d.pms_connection_id = $1::uuid AND x.tenant_id = $2::uuid AND x.external_ref = 'pms:' || $1::text || ':' || d.external_id
  AND (x.full_name, x.email, x.phone, x.do_not_call, x.do_not_contact, x.timezone, x.metadata) IS DISTINCT FROM
      (left(d.display_name, 160), CASE WHEN length(d.email) <= 160 THEN d.email END, CASE WHEN length(d.phone) <= 40 THEN d.phone END,
       x.do_not_call OR d.do_not_call, x.do_not_contact OR d.do_not_contact, coalesce(d.timezone, x.timezone),
       x.metadata || jsonb_build_object('pms_debtor_id', d.id::text, 'pms_debtor_external_id', d.external_id, 'pms_connection_id', $1::text))`;

/**
 * Creates the missing cases (never touches an existing one). The row gives its id, timestamps and
 * every column the API's model defaults (the API's tables carry no database defaults).
 */
export const CASES_BUILD_NEW = `
WITH ${SNAP}
INSERT INTO debt_cases (id, tenant_id, debtor_id, flow_policy_id, pms_lease_id, amount_due_cents, currency, days_past_due, due_date, status,
  next_action_at, meta, external_key, last_pms_sync_at, risk_tier, approval_status, created_at, updated_at)
SELECT gen_random_uuid(), $2, dx.id, fp.id, snap.pms_lease_id, snap.balance_cents, $4, snap.dpd, snap.oldest_due, 'NEW',
  now(),
  ${API_META} || jsonb_strip_nulls(jsonb_build_object('pmsConnectionId', $1::text, 'leaseExternalId', snap.lease_ext, 'reconciliation', ${REC})),
  snap.external_key, now(), snap.risk_tier, 'APPROVED', now(), now()
FROM snap
JOIN pms_debtors d ON d.id = snap.pms_debtor_id
JOIN LATERAL (SELECT x.id FROM debtors x WHERE x.tenant_id = $2::uuid AND x.external_ref = 'pms:' || $1::text || ':' || d.external_id ORDER BY x.created_at, x.id LIMIT 1) dx ON true
${POLICY}
WHERE snap.balance_cents > 0
ON CONFLICT (tenant_id, external_key) DO NOTHING
RETURNING id`;

/**
 * Refreshes the existing cases of the connection as the API's refresh does: every case that is not
 * PAID and not EXCLUDED by approval gets amount, days past due and due date (plus our policy, risk
 * tier, reconciliation and the API's meta keys); a balance <= 0 closes it (status PAID, closed_at
 * now, next_action_at NULL, meta.closedBy 'pms-sync'); a balance that went down but stays > 0 (a
 * partial payment) puts the next action $4 minutes away. Beyond the API: a case this sync closed
 * is reopened (NEW, next action now) when its balance comes back. Rows whose values are the same
 * are not written. Returns one row of counts: checked (the API's "updated": every open case looked
 * at), closed, reopened, refreshed (rows actually changed otherwise), cooldowns.
 */
export const CASES_REFRESH = `
WITH ${SNAP}, n AS (
    SELECT c.id AS case_id, c.status AS old_status, c.closed_at AS old_closed_at, c.next_action_at AS old_next,
      snap.balance_cents AS amount,
      CASE WHEN snap.balance_cents > 0 THEN snap.dpd ELSE 0 END AS dpd,
      CASE WHEN snap.balance_cents > 0 THEN snap.oldest_due ELSE c.due_date END AS due_date,
      CASE WHEN snap.balance_cents > 0 THEN coalesce(fp.id, c.flow_policy_id) ELSE c.flow_policy_id END AS policy,
      snap.risk_tier,
      CASE WHEN c.status::text = 'PAID' THEN 'reopen'
           WHEN snap.balance_cents <= 0 THEN 'close'
           WHEN snap.balance_cents < c.amount_due_cents AND c.amount_due_cents > 0 THEN 'cooldown'
           ELSE 'keep' END AS action,
      ${REC} AS rec,
      ${API_META} AS api_meta,
      coalesce(c.meta, '{}'::jsonb) AS meta
    FROM debt_cases c
    JOIN snap ON c.tenant_id = $2::uuid AND c.external_key = snap.external_key
    ${POLICY}
    WHERE coalesce(c.approval_status::text, '') <> 'EXCLUDED'
      AND (c.status::text <> 'PAID' OR (snap.balance_cents > 0 AND c.meta->>'closedBy' = 'pms-sync'))
), v AS (
    SELECT n.*,
      CASE n.action WHEN 'close' THEN now() WHEN 'reopen' THEN NULL ELSE n.old_closed_at END AS closed_at,
      CASE n.action WHEN 'close' THEN NULL WHEN 'reopen' THEN now()
           WHEN 'cooldown' THEN now() + make_interval(mins => $4::int) ELSE n.old_next END AS next_action_at,
      (CASE n.action WHEN 'close' THEN jsonb_set(n.meta, '{closedBy}', '"pms-sync"') WHEN 'reopen' THEN n.meta - 'closedBy' ELSE n.meta END
        - 'reconciliation' || n.api_meta || CASE WHEN n.rec IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('reconciliation', n.rec) END) AS new_meta
    FROM n
), u AS (
    UPDATE debt_cases c SET amount_due_cents = v.amount, days_past_due = v.dpd, due_date = v.due_date, flow_policy_id = v.policy,
      -- written as untyped literals or the column itself, so the column's own type (an ENUM on the API's schema) takes them
      risk_tier = v.risk_tier, status = CASE v.action WHEN 'close' THEN 'PAID' WHEN 'reopen' THEN 'NEW' ELSE c.status END,
      closed_at = v.closed_at, next_action_at = v.next_action_at, meta = v.new_meta, last_pms_sync_at = now(), updated_at = now()
    FROM v
    WHERE c.id = v.case_id
      AND (v.action <> 'keep' OR (c.amount_due_cents, c.days_past_due, c.due_date, c.flow_policy_id, c.risk_tier, c.meta)
           IS DISTINCT FROM (v.amount, v.dpd, v.due_date, v.policy, v.risk_tier, v.new_meta))
    RETURNING v.action
)
SELECT (SELECT count(*) FROM v WHERE v.action <> 'reopen')::int AS checked,
  (SELECT count(*) FROM u WHERE u.action = 'close')::int AS closed,
  (SELECT count(*) FROM u WHERE u.action = 'reopen')::int AS reopened,
  (SELECT count(*) FROM u WHERE u.action IN ('keep', 'cooldown'))::int AS refreshed,
  (SELECT count(*) FROM u WHERE u.action = 'cooldown')::int AS cooldowns`;

/** Leases of the connection's latest snapshot whose balance is > 0 (the API's "leases with balance"). */
export const CASES_LEASES_WITH_BALANCE = `
WITH ${SNAP}
SELECT count(*) FILTER (WHERE snap.balance_cents > 0)::int AS with_balance, count(*)::int AS leases FROM snap`;

/**
 * Merges keys into pms_connections.sync_state, as the API's own build and refresh do; only on the
 * tenant's own connection. $1 connection, $2 tenant, $3 jsonb patch.
 */
export const CONNECTION_SYNC_STATE_PATCH = `
UPDATE pms_connections SET sync_state = coalesce(sync_state, '{}'::jsonb) || $3::jsonb, updated_at = now()
WHERE id = $1::uuid AND tenant_id = $2::uuid`;
