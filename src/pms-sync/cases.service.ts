import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { todayUtc } from '../connectors/sandbox/sandbox.portfolio';
import { CASES_BUILD_NEW, CASES_ENSURE_DEBTORS, CASES_LEASES_WITH_BALANCE, CASES_REFRESH, CASES_REFRESH_DEBTORS, CONNECTION_SYNC_STATE_PATCH } from './cases.sql';
import { SyncDb } from './pg';

export interface CaseCounts {
  created: number;
  /** open cases refresh looked at (the API's "updated") */
  checked: number;
  /** rows refresh actually changed, besides closing and reopening */
  refreshed: number;
  closedPaid: number;
  reopened: number;
  /** cases whose balance went down (a partial payment): next action PAYMENT_COOLDOWN_MINUTES away */
  cooldowns: number;
  reconciliationHolds: number;
  debtorsCreated: number;
  debtorsRefreshed: number;
  /** leases of the latest snapshot whose balance is > 0 (build only) */
  leasesWithBalance: number;
}

const zero = (): CaseCounts => ({
  created: 0,
  checked: 0,
  refreshed: 0,
  closedPaid: 0,
  reopened: 0,
  cooldowns: 0,
  reconciliationHolds: 0,
  debtorsCreated: 0,
  debtorsRefreshed: 0,
  leasesWithBalance: 0,
});

/** The API's default pause after a partial payment (its PAYMENT_COOLDOWN_MINUTES). */
export const PAYMENT_COOLDOWN_MINUTES = 1440;

/** What the API's own build job returns, with our counts beside it. */
export interface BuildResult {
  created: number;
  message: string;
}

/** What the API's own refresh job returns. */
export interface RefreshResult {
  updated: number;
  resolved: number;
  message: string;
}

/** The API's wording of its build result. */
export function buildResult(c: Pick<CaseCounts, 'created' | 'leasesWithBalance'>): BuildResult {
  if (c.leasesWithBalance === 0 && c.created === 0) return { created: 0, message: 'No leases with balance > 0. Run PMS Sync first.' };
  return { created: c.created, message: c.created > 0 ? `Created ${c.created} new case(s).` : 'No new cases to create.' };
}

/** The API's wording of its refresh result: every open case looked at counts as updated. */
export function refreshResult(c: Pick<CaseCounts, 'checked' | 'closedPaid'>): RefreshResult {
  const updated = c.checked;
  return { updated, resolved: c.closedPaid, message: `Refreshed ${updated} case(s), ${c.closedPaid} resolved (balance=0).` };
}

/**
 * Collections cases from the synced balances (cases.sql.ts). buildNew creates only the missing
 * cases (and their debtors rows); refresh updates only existing ones. Each runs in one transaction
 * (or the caller's).
 */
@Injectable()
export class CasesService {
  constructor(private readonly db: SyncDb) {}

  async buildNew(connectionId: string, tenantId: string, client?: PoolClient, currency = 'USD'): Promise<CaseCounts> {
    const run = async (c: PoolClient) => {
      const out = zero();
      const today = todayUtc();
      out.leasesWithBalance = (await c.query(CASES_LEASES_WITH_BALANCE, [connectionId, tenantId, today])).rows[0].with_balance;
      if (out.leasesWithBalance === 0) return out;
      out.debtorsCreated = (await c.query(CASES_ENSURE_DEBTORS, [connectionId, tenantId, today])).rowCount ?? 0;
      out.created = (await c.query(CASES_BUILD_NEW, [connectionId, tenantId, today, currency])).rowCount ?? 0;
      return out;
    };
    return client ? run(client) : this.db.tx(run);
  }

  async refresh(connectionId: string, tenantId: string, client?: PoolClient): Promise<CaseCounts> {
    const run = async (c: PoolClient) => {
      const out = zero();
      out.debtorsRefreshed = (await c.query(CASES_REFRESH_DEBTORS, [connectionId, tenantId])).rowCount ?? 0;
      const r = (await c.query(CASES_REFRESH, [connectionId, tenantId, todayUtc(), PAYMENT_COOLDOWN_MINUTES])).rows[0] as {
        checked: number;
        closed: number;
        reopened: number;
        refreshed: number;
        cooldowns: number;
      };
      out.checked = r.checked;
      out.closedPaid = r.closed;
      out.reopened = r.reopened;
      out.refreshed = r.refreshed;
      out.cooldowns = r.cooldowns;
      return out;
    };
    return client ? run(client) : this.db.tx(run);
  }

  /** Open cases of the connection held by a reconciliation mismatch. */
  async reconciliationHolds(connectionId: string, tenantId: string, client?: PoolClient): Promise<number> {
    const q = client ?? this.db.pool;
    const r = await q.query(
      `SELECT count(*)::int AS n FROM debt_cases WHERE tenant_id = $1 AND external_key LIKE $2 AND closed_at IS NULL AND (meta->'reconciliation'->>'mismatch')::boolean`,
      [tenantId, `pms:${connectionId}:lease:%`],
    );
    return r.rows[0].n as number;
  }

  /** Merges keys into the connection's sync_state (the tenant's own connection only). */
  async patchSyncState(connectionId: string, tenantId: string, patch: Record<string, unknown>, client?: PoolClient): Promise<void> {
    await (client ?? this.db.pool).query(CONNECTION_SYNC_STATE_PATCH, [connectionId, tenantId, JSON.stringify(patch)]);
  }
}
