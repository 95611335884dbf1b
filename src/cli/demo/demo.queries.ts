/** Named SQL of the demo (bound parameters only). */
export const DEMO_SQL = {
  insertTenant: `INSERT INTO tenants (id, name, timezone, status, settings, created_at, updated_at) VALUES (gen_random_uuid(), $1, $2, 'active', $3::jsonb, now(), now()) RETURNING id`,
  insertPolicy: `
    INSERT INTO flow_policies (id, tenant_id, name, min_days_past_due, max_days_past_due, channels, tone, rules, is_active, created_at, updated_at)
    VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb, $6, '{}'::jsonb, true, now(), now())`,
  latestAging: `
    SELECT as_of_date::text AS as_of_date, total_cents, bucket_0_30_cents, bucket_31_60_cents, bucket_61_90_cents, bucket_90_plus_cents, currency
      FROM ar_aging_snapshots WHERE pms_connection_id = $1 ORDER BY as_of_date DESC LIMIT 1`,
  leaseBuckets: `
    SELECT bucket_label, count(*)::int AS n, COALESCE(sum(past_due_cents), 0)::bigint AS cents
      FROM ar_lease_aging_snapshots
     WHERE pms_connection_id = $1 AND as_of_date = (SELECT max(as_of_date) FROM ar_lease_aging_snapshots WHERE pms_connection_id = $1)
     GROUP BY 1`,
  casesByPolicy: `
    SELECT COALESCE(p.name, '(no policy)') AS policy, c.status::text AS status, count(*)::int AS n, COALESCE(sum(c.amount_due_cents), 0)::bigint AS cents
      FROM debt_cases c LEFT JOIN flow_policies p ON p.id = c.flow_policy_id
     WHERE c.tenant_id = $1
     GROUP BY 1, 2 ORDER BY min(COALESCE(p.min_days_past_due, 100000)), 2`,
  /** the scheduler's calls: intents without an automation state (the automation's are reported per channel) */
  callsByStatus: `
    SELECT COALESCE(il.status, 'unknown') AS status, COALESCE(il.outcome::text, '-') AS outcome, count(*)::int AS n
      FROM interaction_logs il
     WHERE il.tenant_id = $1 AND il.type = 'CALL'
       AND NOT EXISTS (SELECT 1 FROM worker_interactions wi WHERE wi.interaction_log_id = il.id AND split_part(wi.idempotency_key, ':', 3) <> '-')
     GROUP BY 1, 2 ORDER BY 3 DESC`,
  /** --at: cases the build made due at the database's clock are due at the demo's instant */
  dueAtInstant: `UPDATE debt_cases SET next_action_at = $2 WHERE tenant_id = $1 AND next_action_at > $2`,
  heldByRule: `
    SELECT meta->'callHold'->>'reason' AS reason, count(*)::int AS n
      FROM debt_cases
     WHERE tenant_id = $1 AND closed_at IS NULL AND meta->'callHold'->>'reason' IS NOT NULL
     GROUP BY 1 ORDER BY 2 DESC`,
  leasesByRiskTier: `
    SELECT risk_tier, count(*)::int AS n FROM pms_leases WHERE pms_connection_id = $1 GROUP BY 1`,
} as const;

/** Canonical tables whose row counts the report shows (the demo database holds only demo data). */
export const DEMO_TABLES = [
  'pms_portfolios',
  'pms_properties',
  'pms_units',
  'pms_debtors',
  'pms_debtor_contacts',
  'pms_leases',
  'ar_charges',
  'ar_payments',
  'ar_balances',
  'ar_lease_aging_snapshots',
  'ar_portfolio_aging_snapshots',
  'debtors',
  'debt_cases',
] as const;

export const DEMO_POLICIES = [
  { name: 'Early (1-30 days)', min: 1, max: 30, tone: 'friendly' },
  { name: 'Firm (31-60 days)', min: 31, max: 60, tone: 'firm' },
  { name: 'Final (61+ days)', min: 61, max: null, tone: 'formal' },
] as const;
