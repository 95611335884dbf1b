/**
 * Collections cases from PMS data (sync-rules.md), set-based. $1 = connection id, $2 = tenant id,
 * $3 = today (UTC date). Cases read the latest lease aging snapshot of the connection; when that
 * snapshot is older than today, days past due are moved forward by the days elapsed.
 *
 * - one case per lease, ever: external_key 'pms:<connectionId>:lease:<pms_leases.id>',
 *   unique(tenant_id, external_key);
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
      CASE WHEN s.days_past_due > 0 THEN s.days_past_due + ($3::date - s.as_of_date) ELSE 0 END AS dpd,
      (s.meta->>'oldestDueDate')::date AS oldest_due,
      (s.meta->>'ledgerCents')::bigint AS ledger_cents,
      (s.meta->>'reportedCents')::bigint AS reported_cents,
      'pms:' || $1::text || ':lease:' || s.pms_lease_id::text AS external_key
    FROM ar_lease_aging_snapshots s
    JOIN pms_leases l ON l.id = s.pms_lease_id AND NOT EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = l.id)
    WHERE s.pms_connection_id = $1::uuid
      AND s.as_of_date = (SELECT max(as_of_date) FROM ar_lease_aging_snapshots WHERE pms_connection_id = $1::uuid)
)`;

const REC = `CASE WHEN snap.reported_cents IS NULL THEN NULL ELSE jsonb_build_object(
      'mismatch', snap.reported_cents <> snap.ledger_cents, 'pmsBalanceCents', snap.reported_cents,
      'ledgerBalanceCents', snap.ledger_cents, 'leaseExternalId', snap.lease_ext) END`;

const POLICY = `LEFT JOIN LATERAL (
      SELECT f.id FROM flow_policies f
      WHERE f.tenant_id = $2::uuid AND f.is_active AND f.min_days_past_due <= snap.dpd
        AND (f.max_days_past_due IS NULL OR snap.dpd <= f.max_days_past_due)
      ORDER BY f.min_days_past_due DESC, f.created_at, f.id LIMIT 1) fp ON true`;

/**
 * Creates the debtors rows missing for leases that need a case (ids and timestamps given: the API's
 * table has no defaults); the PMS debtor's flags and zone go to the workers' own flags.
 */
export const CASES_ENSURE_DEBTORS = `
WITH ${SNAP}, need AS (
    SELECT DISTINCT d.id, d.external_id, d.display_name, d.email, d.phone, d.do_not_call, d.do_not_contact, d.timezone
    FROM snap JOIN pms_debtors d ON d.id = snap.pms_debtor_id
    WHERE snap.balance_cents > 0 AND snap.dpd > 0
), todo AS (
    SELECT n.*, gen_random_uuid() AS new_id FROM need n
    WHERE NOT EXISTS (SELECT 1 FROM debtors x WHERE x.tenant_id = $2::uuid AND x.external_ref = 'pms:' || $1::text || ':' || n.external_id)
), flags AS (
    INSERT INTO worker_debtor_flags (debtor_id, tenant_id, do_not_call, do_not_contact, timezone, source, updated_at)
    SELECT t.new_id, $2, coalesce(t.do_not_call, false), coalesce(t.do_not_contact, false), t.timezone, jsonb_build_object('pmsConnectionId', $1::text), now()
    FROM todo t WHERE t.do_not_call OR t.do_not_contact OR t.timezone IS NOT NULL
)
INSERT INTO debtors (id, tenant_id, external_ref, full_name, email, phone, metadata, created_at, updated_at)
SELECT t.new_id, $2, 'pms:' || $1::text || ':' || t.external_id, left(t.display_name, 160),
  CASE WHEN length(t.email) <= 160 THEN t.email END, CASE WHEN length(t.phone) <= 40 THEN t.phone END,
  jsonb_build_object('pms_debtor_id', t.id::text, 'pms_debtor_external_id', t.external_id, 'pms_connection_id', $1::text),
  now(), now()
FROM todo t`;

/** Refreshes every debtors row built from this connection from its PMS debtor (only when different). $1 connection, $2 tenant. */
export const CASES_REFRESH_DEBTORS = `
WITH flags AS (
    -- Sticky flags and the zone, in the workers' own table (the API's debtors has no such columns).
    INSERT INTO worker_debtor_flags AS w (debtor_id, tenant_id, do_not_call, do_not_contact, timezone, source, updated_at)
    SELECT x.id, x.tenant_id, coalesce(d.do_not_call, false), coalesce(d.do_not_contact, false), d.timezone, jsonb_build_object('pmsConnectionId', $1::text), now()
    FROM pms_debtors d JOIN debtors x ON x.tenant_id = $2::uuid AND x.external_ref = 'pms:' || $1::text || ':' || d.external_id
    WHERE d.pms_connection_id = $1::uuid AND (d.do_not_call OR d.do_not_contact OR d.timezone IS NOT NULL)
    ON CONFLICT (debtor_id) DO UPDATE SET do_not_call = w.do_not_call OR EXCLUDED.do_not_call, do_not_contact = w.do_not_contact OR EXCLUDED.do_not_contact,
      timezone = coalesce(EXCLUDED.timezone, w.timezone), updated_at = now()
    WHERE (w.do_not_call OR EXCLUDED.do_not_call, w.do_not_contact OR EXCLUDED.do_not_contact, coalesce(EXCLUDED.timezone, w.timezone))
      IS DISTINCT FROM (w.do_not_call, w.do_not_contact, w.timezone)
    RETURNING w.debtor_id
)
UPDATE debtors x SET
  full_name = left(d.display_name, 160),
  email = CASE WHEN length(d.email) <= 160 THEN d.email END,
  phone = CASE WHEN length(d.phone) <= 40 THEN d.phone END,
  metadata = x.metadata || jsonb_build_object('pms_debtor_id', d.id::text, 'pms_debtor_external_id', d.external_id, 'pms_connection_id', $1::text),
  updated_at = now()
FROM pms_debtors d
WHERE d.pms_connection_id = $1::uuid AND x.tenant_id = $2::uuid AND x.external_ref = 'pms:' || $1::text || ':' || d.external_id
  AND ((x.full_name, x.email, x.phone, x.metadata) IS DISTINCT FROM
      (left(d.display_name, 160), CASE WHEN length(d.email) <= 160 THEN d.email END, CASE WHEN length(d.phone) <= 40 THEN d.phone END,
       x.metadata || jsonb_build_object('pms_debtor_id', d.id::text, 'pms_debtor_external_id', d.external_id, 'pms_connection_id', $1::text))
       OR x.id IN (SELECT debtor_id FROM flags))`;

/** Creates the missing cases (never touches an existing one). */
export const CASES_BUILD_NEW = `
WITH ${SNAP}
INSERT INTO debt_cases (id, created_at, updated_at, tenant_id, debtor_id, flow_policy_id, pms_lease_id, amount_due_cents, currency, days_past_due, due_date, status, meta, external_key, last_pms_sync_at, risk_tier)
SELECT gen_random_uuid(), now(), now(), $2, dx.id, fp.id, snap.pms_lease_id, snap.balance_cents, $4, snap.dpd, snap.oldest_due, 'NEW',
  jsonb_strip_nulls(jsonb_build_object('source', 'pms-sync', 'pmsConnectionId', $1::text, 'leaseExternalId', snap.lease_ext, 'reconciliation', ${REC})),
  snap.external_key, now(), snap.risk_tier
FROM snap
JOIN pms_debtors d ON d.id = snap.pms_debtor_id
JOIN LATERAL (SELECT x.id FROM debtors x WHERE x.tenant_id = $2::uuid AND x.external_ref = 'pms:' || $1::text || ':' || d.external_id ORDER BY x.created_at, x.id LIMIT 1) dx ON true
${POLICY}
WHERE snap.balance_cents > 0 AND snap.dpd > 0
ON CONFLICT (tenant_id, external_key) DO NOTHING
RETURNING id`;

/**
 * Refreshes the existing cases of the connection: amount, days past due, due date, policy, risk
 * tier, reconciliation; closes as PAID at zero (closed_at set, meta.closedBy 'pms-sync'); reopens a
 * case this sync had closed when the balance comes back. Rows whose values are the same are not
 * written. Returns one row per changed case with what happened.
 */
export const CASES_REFRESH = `
WITH ${SNAP}, n AS (
    SELECT c.id AS case_id, c.status AS old_status, c.closed_at AS old_closed_at,
      snap.balance_cents AS amount,
      CASE WHEN snap.balance_cents > 0 THEN snap.dpd ELSE 0 END AS dpd,
      CASE WHEN snap.balance_cents > 0 THEN snap.oldest_due ELSE c.due_date END AS due_date,
      CASE WHEN snap.balance_cents > 0 THEN coalesce(fp.id, c.flow_policy_id) ELSE c.flow_policy_id END AS policy,
      snap.risk_tier,
      CASE WHEN snap.balance_cents <= 0 AND c.closed_at IS NULL THEN 'close'
           WHEN snap.balance_cents > 0 AND c.closed_at IS NOT NULL AND c.status = 'PAID' AND c.meta->>'closedBy' = 'pms-sync' THEN 'reopen'
           ELSE 'keep' END AS action,
      ${REC} AS rec,
      c.meta
    FROM debt_cases c
    JOIN snap ON c.tenant_id = $2::uuid AND c.external_key = snap.external_key
    ${POLICY}
), v AS (
    SELECT n.*,
      CASE n.action WHEN 'close' THEN 'PAID' WHEN 'reopen' THEN 'NEW' ELSE n.old_status END AS status,
      CASE n.action WHEN 'close' THEN now() WHEN 'reopen' THEN NULL ELSE n.old_closed_at END AS closed_at,
      CASE n.action WHEN 'close' THEN jsonb_set(n.meta, '{closedBy}', '"pms-sync"') WHEN 'reopen' THEN n.meta - 'closedBy' ELSE n.meta END
        - 'reconciliation' || CASE WHEN n.rec IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('reconciliation', n.rec) END AS new_meta
    FROM n
)
UPDATE debt_cases c SET amount_due_cents = v.amount, days_past_due = v.dpd, due_date = v.due_date, flow_policy_id = v.policy,
  risk_tier = v.risk_tier, status = v.status, closed_at = v.closed_at, meta = v.new_meta, last_pms_sync_at = now(), updated_at = now()
FROM v
WHERE c.id = v.case_id
  AND (v.action <> 'keep' OR (c.amount_due_cents, c.days_past_due, c.due_date, c.flow_policy_id, c.risk_tier, c.meta)
       IS DISTINCT FROM (v.amount, v.dpd, v.due_date, v.policy, v.risk_tier, v.new_meta))
RETURNING v.action, (v.rec->>'mismatch')::boolean AS mismatch`;
