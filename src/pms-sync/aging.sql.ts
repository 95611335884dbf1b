/**
 * Balances and aging per connection, in SQL (docs/sync-rules.md, balances and aging). $1 = connection id,
 * $2 = as-of date. Run in one transaction: the temp tables are dropped at commit.
 *
 * - open amount of a charge = open_amount_cents when known, else amount minus what payments applied
 *   to it (applied_to_charges[].chargeId = the charge's external id), never below zero;
 * - days past due = as-of − due date (due date, never post date); a charge due on the as-of date is
 *   current; buckets (0,30], (30,60], (60,90], >90;
 * - a lease's balance is the PMS-reported one when there is one, else the ledger's; the same for the
 *   past-due total and, when the PMS gives them, the buckets;
 * - a lease's days past due come from its oldest open past-due charge (0 when its balance is <= 0).
 * Every write is skipped where the stored row already holds the same values.
 */

export const AGING_CHARGE_OPEN = `
CREATE TEMP TABLE tmp_charge_open ON COMMIT DROP AS
WITH applied AS (
    SELECT e->>'chargeId' AS charge_ext, sum((e->>'amountCents')::bigint) AS amt
    FROM ar_payments p
    CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(p.applied_to_charges) = 'array' THEN p.applied_to_charges ELSE '[]'::jsonb END) e
    WHERE p.pms_connection_id = $1
    GROUP BY 1
)
SELECT c.pms_lease_id, c.charge_type, c.due_date,
       GREATEST(coalesce(c.open_amount_cents, c.amount_cents - coalesce(a.amt, 0)), 0)::bigint AS open_cents
FROM ar_charges c
JOIN pms_leases l ON l.id = c.pms_lease_id AND NOT EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = l.id)
LEFT JOIN applied a ON a.charge_ext = c.external_id
WHERE c.pms_connection_id = $1`;

export const AGING_LEASES = `
CREATE TEMP TABLE tmp_lease_aging ON COMMIT DROP AS
WITH ch AS (
    SELECT pms_lease_id,
      sum(open_cents) AS ledger,
      sum(open_cents) FILTER (WHERE due_date < $2::date) AS past_due,
      sum(open_cents) FILTER (WHERE due_date < $2::date AND charge_type = 'rent') AS past_due_rent,
      sum(open_cents) FILTER (WHERE charge_type = 'rent') AS unpaid_rent,
      min(due_date) FILTER (WHERE due_date < $2::date AND open_cents > 0) AS oldest_due,
      sum(open_cents) FILTER (WHERE $2::date - due_date BETWEEN 1 AND 30) AS b1,
      sum(open_cents) FILTER (WHERE $2::date - due_date BETWEEN 31 AND 60) AS b2,
      sum(open_cents) FILTER (WHERE $2::date - due_date BETWEEN 61 AND 90) AS b3,
      sum(open_cents) FILTER (WHERE $2::date - due_date > 90) AS b4
    FROM tmp_charge_open GROUP BY 1
), x AS (
    SELECT l.id AS lease_id, l.tenant_id, l.external_id AS lease_ext, pr.pms_portfolio_id,
      coalesce(ch.ledger, 0)::bigint AS ledger_cents,
      rb.balance_cents AS reported_cents,
      coalesce(rb.balance_cents, ch.ledger, 0)::bigint AS balance_cents,
      coalesce(rb.past_due_total_cents, ch.past_due, 0)::bigint AS past_due_cents,
      coalesce(rb.past_due_rent_cents, ch.past_due_rent, 0)::bigint AS past_due_rent_cents,
      coalesce(rb.unpaid_rent_cents, ch.unpaid_rent, 0)::bigint AS unpaid_rent_cents,
      ch.oldest_due,
      coalesce((rb.buckets->>'d0_30')::bigint, ch.b1, 0)::bigint AS b1,
      coalesce((rb.buckets->>'d31_60')::bigint, ch.b2, 0)::bigint AS b2,
      coalesce((rb.buckets->>'d61_90')::bigint, ch.b3, 0)::bigint AS b3,
      coalesce((rb.buckets->>'d90_plus')::bigint, ch.b4, 0)::bigint AS b4
    FROM pms_leases l
    LEFT JOIN pms_properties pr ON pr.id = l.pms_property_id
    LEFT JOIN ch ON ch.pms_lease_id = l.id
    LEFT JOIN pms_reported_balances rb ON rb.pms_connection_id = $1 AND rb.lease_external_id = l.external_id
    WHERE l.pms_connection_id = $1 AND NOT EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = l.id)
)
SELECT x.*,
  CASE WHEN x.balance_cents > 0 AND x.oldest_due IS NOT NULL THEN ($2::date - x.oldest_due) ELSE 0 END AS days_past_due
FROM x`;

export const AGING_BALANCES = `
INSERT INTO ar_balances AS t (id, tenant_id, pms_connection_id, pms_lease_id, balance_cents, past_due_total_cents, past_due_rent_cents, unpaid_rent_cents, currency, as_of_date, created_at, updated_at)
SELECT gen_random_uuid(), a.tenant_id, $1, a.lease_id, a.balance_cents, a.past_due_cents, a.past_due_rent_cents, a.unpaid_rent_cents, $3, $2::date, now(), now() FROM tmp_lease_aging a
ON CONFLICT (pms_lease_id, as_of_date) DO UPDATE SET
  balance_cents = EXCLUDED.balance_cents, past_due_total_cents = EXCLUDED.past_due_total_cents,
  past_due_rent_cents = EXCLUDED.past_due_rent_cents, unpaid_rent_cents = EXCLUDED.unpaid_rent_cents, updated_at = now()
WHERE (t.balance_cents, t.past_due_total_cents, t.past_due_rent_cents, t.unpaid_rent_cents)
  IS DISTINCT FROM (EXCLUDED.balance_cents, EXCLUDED.past_due_total_cents, EXCLUDED.past_due_rent_cents, EXCLUDED.unpaid_rent_cents)`;

export const AGING_LEASE_SNAPSHOTS = `
INSERT INTO ar_lease_aging_snapshots AS t (id, created_at, tenant_id, pms_connection_id, pms_lease_id, as_of_date, balance_cents, past_due_cents, bucket_label, days_past_due, meta)
SELECT gen_random_uuid(), now(), a.tenant_id, $1, a.lease_id, $2::date, a.balance_cents, a.past_due_cents,
  CASE WHEN a.days_past_due <= 0 THEN 'current' WHEN a.days_past_due <= 30 THEN '1_30' WHEN a.days_past_due <= 60 THEN '31_60'
       WHEN a.days_past_due <= 90 THEN '61_90' ELSE '91_plus' END,
  a.days_past_due,
  jsonb_build_object('ledgerCents', a.ledger_cents, 'reportedCents', a.reported_cents, 'oldestDueDate', a.oldest_due,
                     'buckets', jsonb_build_object('d0_30', a.b1, 'd31_60', a.b2, 'd61_90', a.b3, 'd90_plus', a.b4))
FROM tmp_lease_aging a
ON CONFLICT (pms_lease_id, as_of_date) DO UPDATE SET
  balance_cents = EXCLUDED.balance_cents, past_due_cents = EXCLUDED.past_due_cents, bucket_label = EXCLUDED.bucket_label,
  days_past_due = EXCLUDED.days_past_due, meta = EXCLUDED.meta
WHERE (t.balance_cents, t.past_due_cents, t.bucket_label, t.days_past_due, t.meta)
  IS DISTINCT FROM (EXCLUDED.balance_cents, EXCLUDED.past_due_cents, EXCLUDED.bucket_label, EXCLUDED.days_past_due, EXCLUDED.meta)`;

/** Leases soft-deleted since: their snapshot and balance of the day no longer count. */
export const AGING_DROP_GONE_LEASE_SNAPSHOTS = `
DELETE FROM ar_lease_aging_snapshots t
WHERE t.pms_connection_id = $1 AND t.as_of_date = $2::date AND NOT EXISTS (SELECT 1 FROM tmp_lease_aging a WHERE a.lease_id = t.pms_lease_id)`;
export const AGING_DROP_GONE_LEASE_BALANCES = `
DELETE FROM ar_balances t
WHERE t.pms_connection_id = $1 AND t.as_of_date = $2::date AND NOT EXISTS (SELECT 1 FROM tmp_lease_aging a WHERE a.lease_id = t.pms_lease_id)`;

export const AGING_PORTFOLIO_SNAPSHOTS = `
INSERT INTO ar_portfolio_aging_snapshots AS t (id, created_at, tenant_id, pms_connection_id, pms_portfolio_id, as_of_date, total_cents,
  bucket_0_30_cents, bucket_31_60_cents, bucket_61_90_cents, bucket_90_plus_cents, past_due_total_cents, currency, meta)
SELECT gen_random_uuid(), now(), min(a.tenant_id::text)::uuid, $1, a.pms_portfolio_id, $2::date, sum(a.balance_cents), sum(a.b1), sum(a.b2), sum(a.b3), sum(a.b4), sum(a.past_due_cents), $3,
  jsonb_build_object('leases', count(*))
FROM tmp_lease_aging a WHERE a.pms_portfolio_id IS NOT NULL GROUP BY a.pms_portfolio_id
ON CONFLICT (pms_portfolio_id, as_of_date) DO UPDATE SET
  total_cents = EXCLUDED.total_cents, bucket_0_30_cents = EXCLUDED.bucket_0_30_cents, bucket_31_60_cents = EXCLUDED.bucket_31_60_cents,
  bucket_61_90_cents = EXCLUDED.bucket_61_90_cents, bucket_90_plus_cents = EXCLUDED.bucket_90_plus_cents,
  past_due_total_cents = EXCLUDED.past_due_total_cents, meta = EXCLUDED.meta
WHERE (t.total_cents, t.bucket_0_30_cents, t.bucket_31_60_cents, t.bucket_61_90_cents, t.bucket_90_plus_cents, t.past_due_total_cents, t.meta)
  IS DISTINCT FROM (EXCLUDED.total_cents, EXCLUDED.bucket_0_30_cents, EXCLUDED.bucket_31_60_cents, EXCLUDED.bucket_61_90_cents, EXCLUDED.bucket_90_plus_cents, EXCLUDED.past_due_total_cents, EXCLUDED.meta)`;

/** $1 connection, $2 as-of, $3 currency, $4 tenant. */
export const AGING_CONNECTION_SNAPSHOT = `
INSERT INTO ar_aging_snapshots AS t (id, created_at, tenant_id, pms_connection_id, as_of_date, total_cents, bucket_0_30_cents, bucket_31_60_cents, bucket_61_90_cents, bucket_90_plus_cents, currency, meta)
SELECT gen_random_uuid(), now(), $4, $1, $2::date, coalesce(sum(a.balance_cents), 0), coalesce(sum(a.b1), 0), coalesce(sum(a.b2), 0), coalesce(sum(a.b3), 0), coalesce(sum(a.b4), 0), $3,
  jsonb_build_object('leases', count(*), 'leasesPastDue', count(*) FILTER (WHERE a.days_past_due > 0), 'pastDueTotalCents', coalesce(sum(a.past_due_cents), 0))
FROM tmp_lease_aging a
ON CONFLICT (pms_connection_id, as_of_date) DO UPDATE SET
  total_cents = EXCLUDED.total_cents, bucket_0_30_cents = EXCLUDED.bucket_0_30_cents, bucket_31_60_cents = EXCLUDED.bucket_31_60_cents,
  bucket_61_90_cents = EXCLUDED.bucket_61_90_cents, bucket_90_plus_cents = EXCLUDED.bucket_90_plus_cents, meta = EXCLUDED.meta
WHERE (t.total_cents, t.bucket_0_30_cents, t.bucket_31_60_cents, t.bucket_61_90_cents, t.bucket_90_plus_cents, t.meta)
  IS DISTINCT FROM (EXCLUDED.total_cents, EXCLUDED.bucket_0_30_cents, EXCLUDED.bucket_31_60_cents, EXCLUDED.bucket_61_90_cents, EXCLUDED.bucket_90_plus_cents, EXCLUDED.meta)
RETURNING total_cents`;

/**
 * Risk tier by days past due, in the API's words (its analytics count only these values):
 * al_dia (<= 0), bajo (1-30), medio (31-60), alto (61-90), critico (> 90).
 */
export const AGING_RISK_TIER = `
UPDATE pms_leases l SET risk_tier = v.tier, updated_at = now()
FROM (SELECT a.lease_id,
        CASE WHEN a.days_past_due <= 0 THEN 'al_dia' WHEN a.days_past_due <= 30 THEN 'bajo' WHEN a.days_past_due <= 60 THEN 'medio'
             WHEN a.days_past_due <= 90 THEN 'alto' ELSE 'critico' END AS tier
      FROM tmp_lease_aging a) v
WHERE l.id = v.lease_id AND l.risk_tier IS DISTINCT FROM v.tier`;

export const AGING_SUMMARY = `
SELECT count(*)::int AS leases,
  count(*) FILTER (WHERE days_past_due > 0)::int AS leases_past_due,
  coalesce(sum(balance_cents), 0)::text AS total_cents,
  coalesce(sum(b1), 0)::text AS b1, coalesce(sum(b2), 0)::text AS b2, coalesce(sum(b3), 0)::text AS b3, coalesce(sum(b4), 0)::text AS b4,
  count(*) FILTER (WHERE reported_cents IS NOT NULL AND reported_cents <> ledger_cents)::int AS mismatches,
  coalesce((SELECT json_agg(json_build_object('leaseExternalId', m.lease_ext, 'pmsBalanceCents', m.reported_cents, 'ledgerBalanceCents', m.ledger_cents))
            FROM (SELECT * FROM tmp_lease_aging WHERE reported_cents IS NOT NULL AND reported_cents <> ledger_cents ORDER BY lease_ext LIMIT 50) m), '[]'::json) AS mismatch_sample
FROM tmp_lease_aging`;
