import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The demo's SQL, private to this file (bound parameters only). */
const DEMO_SQL = {
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

/** The connection's latest portfolio aging snapshot (amounts in cents; bigint columns come back as strings). */
export type AgingRow = {
  as_of_date: string;
  total_cents: string | number;
  bucket_0_30_cents: string | number;
  bucket_31_60_cents: string | number;
  bucket_61_90_cents: string | number;
  bucket_90_plus_cents: string | number;
  currency: string;
};

/** Leases per aging bucket of the latest lease snapshot. */
export type LeaseBucketRow = { bucket_label: string; n: number; cents: string | number };

/** Cases per flow policy and status. */
export type CasesByPolicyRow = { policy: string; status: string; n: number; cents: string | number };

export type RiskTierRow = { risk_tier: string | null; n: number };

/** The scheduler's calls per status and outcome. */
export type CallsByStatusRow = { status: string; outcome: string; n: number };

export type HeldByRuleRow = { reason: string; n: number };

/** A flow policy of the demo's tenant. */
export interface DemoPolicy {
  name: string;
  min: number;
  max: number | null;
  channels: Record<string, boolean>;
  tone: string;
}

/** What the demo writes (its tenant and policies) and reads for its report. */
@Injectable()
export class DemoRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insertTenant(name: string, timezone: string, settings: Record<string, unknown>): Promise<string> {
    const [tenant] = await this.db.query<{ id: string }[]>(DEMO_SQL.insertTenant, [name, timezone, JSON.stringify(settings)]);
    return tenant.id;
  }

  async insertPolicy(tenantId: string, p: DemoPolicy): Promise<void> {
    await this.db.query(DEMO_SQL.insertPolicy, [tenantId, p.name, p.min, p.max, JSON.stringify(p.channels), p.tone]);
  }

  /** --at: cases the build made due at the database's clock are due at the demo's instant. */
  async dueAtInstant(tenantId: string, instant: string): Promise<void> {
    await this.db.query(DEMO_SQL.dueAtInstant, [tenantId, instant]);
  }

  async latestAging(connectionId: string): Promise<AgingRow | undefined> {
    return (await this.db.query<AgingRow[]>(DEMO_SQL.latestAging, [connectionId]))[0];
  }

  leaseBuckets(connectionId: string): Promise<LeaseBucketRow[]> {
    return this.db.query<LeaseBucketRow[]>(DEMO_SQL.leaseBuckets, [connectionId]);
  }

  casesByPolicy(tenantId: string): Promise<CasesByPolicyRow[]> {
    return this.db.query<CasesByPolicyRow[]>(DEMO_SQL.casesByPolicy, [tenantId]);
  }

  leasesByRiskTier(connectionId: string): Promise<RiskTierRow[]> {
    return this.db.query<RiskTierRow[]>(DEMO_SQL.leasesByRiskTier, [connectionId]);
  }

  callsByStatus(tenantId: string): Promise<CallsByStatusRow[]> {
    return this.db.query<CallsByStatusRow[]>(DEMO_SQL.callsByStatus, [tenantId]);
  }

  heldByRule(tenantId: string): Promise<HeldByRuleRow[]> {
    return this.db.query<HeldByRuleRow[]>(DEMO_SQL.heldByRule, [tenantId]);
  }

  /** Rows of one of the demo's tables (a name from DEMO_TABLES, never user input: it is quoted, not bound). */
  async rowCount(table: string): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${table}"`);
    return n;
  }
}
