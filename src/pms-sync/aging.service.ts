import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute } from '../database/sql';
import {
  AGING_BALANCES,
  AGING_CHARGE_OPEN,
  AGING_CONNECTION_SNAPSHOT,
  AGING_DROP_GONE_LEASE_BALANCES,
  AGING_DROP_GONE_LEASE_SNAPSHOTS,
  AGING_LEASES,
  AGING_LEASE_SNAPSHOTS,
  AGING_PORTFOLIO_SNAPSHOTS,
  AGING_RISK_TIER,
  AGING_SUMMARY,
} from './aging.sql';

export interface AgingSummary {
  asOfDate: string;
  leases: number;
  leasesPastDue: number;
  totalCents: number;
  buckets: { d0_30: number; d31_60: number; d61_90: number; d90_plus: number };
  written: { balances: number; leaseSnapshots: number; portfolioSnapshots: number; connectionSnapshot: number; riskTiers: number };
  reconciliation: { mismatches: number; leases: { leaseExternalId: string; pmsBalanceCents: number; ledgerBalanceCents: number }[] };
}

/** Balances, aging snapshots and risk tiers of one connection as of a date (aging.sql.ts). */
@Injectable()
export class AgingService {
  /** Runs inside the caller's transaction. */
  async compute(db: EntityManager, p: { connectionId: string; tenantId: string; asOfDate: string; currency: string }): Promise<AgingSummary> {
    await db.query(AGING_CHARGE_OPEN, [p.connectionId]);
    await db.query(AGING_LEASES, [p.connectionId, p.asOfDate]);
    await db.query('ANALYZE tmp_lease_aging');
    const balances = await execute(db, AGING_BALANCES, [p.connectionId, p.asOfDate, p.currency]);
    const snaps = await execute(db, AGING_LEASE_SNAPSHOTS, [p.connectionId, p.asOfDate]);
    await db.query(AGING_DROP_GONE_LEASE_SNAPSHOTS, [p.connectionId, p.asOfDate]);
    await db.query(AGING_DROP_GONE_LEASE_BALANCES, [p.connectionId, p.asOfDate]);
    const pf = await execute(db, AGING_PORTFOLIO_SNAPSHOTS, [p.connectionId, p.asOfDate, p.currency]);
    const conn = await execute(db, AGING_CONNECTION_SNAPSHOT, [p.connectionId, p.asOfDate, p.currency, p.tenantId]);
    const tiers = await execute(db, AGING_RISK_TIER);
    const [s] = await db.query(AGING_SUMMARY);
    return {
      asOfDate: p.asOfDate,
      leases: s.leases,
      leasesPastDue: s.leases_past_due,
      totalCents: Number(s.total_cents),
      buckets: { d0_30: Number(s.b1), d31_60: Number(s.b2), d61_90: Number(s.b3), d90_plus: Number(s.b4) },
      written: {
        balances: balances.rowCount,
        leaseSnapshots: snaps.rowCount,
        portfolioSnapshots: pf.rowCount,
        connectionSnapshot: conn.rowCount,
        riskTiers: tiers.rowCount,
      },
      reconciliation: { mismatches: s.mismatches, leases: (s.mismatch_sample ?? []).map((m: any) => ({ ...m, pmsBalanceCents: Number(m.pmsBalanceCents), ledgerBalanceCents: Number(m.ledgerBalanceCents) })) },
    };
  }
}
