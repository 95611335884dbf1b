/**
 * Indexes the workers need on tables the Mordecai API owns.
 *
 * The API rebuilds its tables with Sequelize's `sync({ alter: true })` at every restart and drops
 * any index its models do not declare, so these are never trusted to a migrations table: the
 * schema guard ensures them (idempotently) at every start of the worker and the scheduler and in
 * `migrate`, and reports the ones missing as drift.
 *
 * `critical` indexes carry correctness (uniqueness the sync engine relies on) and are built before
 * the process takes work; the others only carry speed and are built in the background.
 * Where the API already has an equivalent unique index (same table, same columns, no predicate),
 * ours is not built.
 */
export interface ApiIndexSpec {
  name: string;
  table: string;
  /** column list or expressions, as written inside the parentheses */
  columns: string;
  unique?: boolean;
  where?: string;
  critical?: boolean;
}

export const API_TABLE_INDEXES: ApiIndexSpec[] = [
  // The canonical writer looks rows up by (connection, external id) and relies on it being unique.
  { name: 'uq_pms_portfolios_connection_external', table: 'pms_portfolios', columns: 'pms_connection_id, external_id', unique: true, critical: true },
  { name: 'uq_pms_properties_connection_external', table: 'pms_properties', columns: 'pms_connection_id, external_id', unique: true, critical: true },
  { name: 'uq_pms_units_connection_external', table: 'pms_units', columns: 'pms_connection_id, external_id', unique: true, critical: true },
  { name: 'uq_pms_debtors_connection_external', table: 'pms_debtors', columns: 'pms_connection_id, external_id', unique: true, critical: true },
  { name: 'uq_pms_leases_connection_external', table: 'pms_leases', columns: 'pms_connection_id, external_id', unique: true, critical: true },
  { name: 'uq_ar_charges_connection_external', table: 'ar_charges', columns: 'pms_connection_id, external_id', unique: true, critical: true },
  { name: 'uq_ar_payments_connection_external', table: 'ar_payments', columns: 'pms_connection_id, external_id', unique: true, critical: true },
  { name: 'uq_ar_balances_lease_as_of', table: 'ar_balances', columns: 'pms_lease_id, as_of_date', unique: true, critical: true },
  { name: 'uq_ar_lease_aging_lease_as_of', table: 'ar_lease_aging_snapshots', columns: 'pms_lease_id, as_of_date', unique: true, critical: true },
  { name: 'uq_ar_portfolio_aging_portfolio_as_of', table: 'ar_portfolio_aging_snapshots', columns: 'pms_portfolio_id, as_of_date', unique: true, critical: true },
  { name: 'uq_ar_aging_snapshots_connection_as_of', table: 'ar_aging_snapshots', columns: 'pms_connection_id, as_of_date', unique: true, critical: true },
  { name: 'uq_debt_cases_tenant_external_key', table: 'debt_cases', columns: 'tenant_id, external_key', unique: true, critical: true },
  // One active sync run per connection, and one run per idempotency key: two workers never pull the
  // same connection at once.
  { name: 'uq_sync_runs_one_active', table: 'sync_runs', columns: 'pms_connection_id', unique: true, where: "status IN ('pending', 'running')", critical: true },
  { name: 'uq_sync_runs_connection_idempotency', table: 'sync_runs', columns: 'pms_connection_id, idempotency_key', unique: true, where: 'idempotency_key IS NOT NULL', critical: true },
  // Speed only.
  { name: 'ix_sync_runs_connection_triggered', table: 'sync_runs', columns: 'pms_connection_id, triggered_at DESC' },
  { name: 'ix_pms_debtor_contacts_debtor', table: 'pms_debtor_contacts', columns: 'pms_debtor_id' },
  { name: 'ix_pms_properties_portfolio', table: 'pms_properties', columns: 'pms_portfolio_id' },
  { name: 'ix_pms_leases_debtor', table: 'pms_leases', columns: 'pms_debtor_id' },
  { name: 'ix_pms_leases_property', table: 'pms_leases', columns: 'pms_property_id' },
  { name: 'ix_ar_charges_lease_due', table: 'ar_charges', columns: 'pms_lease_id, due_date' },
  { name: 'ix_ar_payments_lease', table: 'ar_payments', columns: 'pms_lease_id' },
  { name: 'ix_ar_balances_connection_date', table: 'ar_balances', columns: 'pms_connection_id, as_of_date' },
  { name: 'ix_ar_lease_aging_connection_date', table: 'ar_lease_aging_snapshots', columns: 'pms_connection_id, as_of_date' },
  { name: 'ix_case_disputes_case_status', table: 'case_disputes', columns: 'debt_case_id, status' },
  { name: 'ix_payment_agreements_case', table: 'payment_agreements', columns: 'debt_case_id' },
  // The scheduler's claim walks due cases per tenant (null next action first) without a scan.
  {
    name: 'ix_debt_cases_sched_due',
    table: 'debt_cases',
    columns: "tenant_id, (coalesce(next_action_at, '-infinity'::timestamptz)), id",
    where: "status IN ('NEW', 'IN_PROGRESS')",
  },
  // Calls still queued / in progress, by age: the stale-call check and "a call in progress" per case.
  {
    name: 'ix_interaction_logs_calls_open',
    table: 'interaction_logs',
    columns: '(coalesce(started_at, created_at)), debt_case_id',
    where: "type = 'CALL' AND status IN ('queued', 'in_progress')",
  },
  { name: 'ix_interaction_logs_case_created', table: 'interaction_logs', columns: 'debt_case_id, created_at' },
  // The collection tick takes the due states of every active automation, earliest first.
  { name: 'ix_case_automation_state_due', table: 'case_automation_state', columns: 'next_action_at, id', where: "status = 'active' AND next_action_at IS NOT NULL" },
];

/**
 * The API's tables the workers read or write. `migrate` stops, naming the missing ones, when the
 * database lacks any of them (the API creates them; the workers never do, unless asked to build
 * the API's schema from its fixture on an empty database).
 */
export const REQUIRED_API_TABLES = [
  'tenants',
  'softwares',
  'pms_connections',
  'sync_runs',
  'pms_portfolios',
  'pms_properties',
  'pms_units',
  'pms_debtors',
  'pms_debtor_contacts',
  'pms_leases',
  'ar_charges',
  'ar_payments',
  'ar_balances',
  'ar_aging_snapshots',
  'ar_lease_aging_snapshots',
  'ar_portfolio_aging_snapshots',
  'debtors',
  'flow_policies',
  'debt_cases',
  'interaction_logs',
  'payment_agreements',
  'case_disputes',
  'collection_automations',
  'collection_strategies',
  'collection_stages',
  'case_automation_state',
  'collection_events',
  'tenant_message_templates',
] as const;
