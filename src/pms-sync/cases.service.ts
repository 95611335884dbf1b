import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { todayUtc } from '../connectors/sandbox/sandbox.portfolio';
import { execute } from '../database/sql';
import { CASES_BUILD_NEW, CASES_ENSURE_DEBTORS, CASES_REFRESH, CASES_REFRESH_DEBTORS } from './cases.sql';
import { enrollNewCases } from '../collections/enroll';

export interface CaseCounts {
  created: number;
  refreshed: number;
  closedPaid: number;
  reopened: number;
  reconciliationHolds: number;
  debtorsCreated: number;
  debtorsRefreshed: number;
  /** cases that joined an active automation of the connection after the build */
  enrolled?: number;
}

const zero = (): CaseCounts => ({ created: 0, refreshed: 0, closedPaid: 0, reopened: 0, reconciliationHolds: 0, debtorsCreated: 0, debtorsRefreshed: 0 });

/**
 * Collections cases from the synced balances (cases.sql.ts). buildNew creates only the missing
 * cases (and their debtors rows); refresh updates only existing ones. Each runs in one transaction
 * (or the caller's).
 */
@Injectable()
export class CasesService {
  constructor(private readonly db: DataSource) {}

  async buildNew(connectionId: string, tenantId: string, manager?: EntityManager, currency = 'USD'): Promise<CaseCounts> {
    const run = async (m: EntityManager) => {
      const out = zero();
      const today = todayUtc();
      out.debtorsCreated = (await execute(m, CASES_ENSURE_DEBTORS, [connectionId, tenantId, today])).rowCount;
      out.created = (await execute(m, CASES_BUILD_NEW, [connectionId, tenantId, today, currency])).rowCount;
      const { enrolled } = await enrollNewCases(m, tenantId, connectionId);
      if (enrolled > 0) out.enrolled = enrolled;
      return out;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  async refresh(connectionId: string, tenantId: string, manager?: EntityManager): Promise<CaseCounts> {
    const run = async (m: EntityManager) => {
      const out = zero();
      out.debtorsRefreshed = (await execute(m, CASES_REFRESH_DEBTORS, [connectionId, tenantId])).rowCount;
      const { rows } = await execute<{ action: string; mismatch: boolean | null }>(m, CASES_REFRESH, [connectionId, tenantId, todayUtc()]);
      for (const r of rows) {
        if (r.action === 'close') out.closedPaid++;
        else if (r.action === 'reopen') out.reopened++;
        else out.refreshed++;
      }
      return out;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** Merges keys into pms_connections.sync_state, as the API's own case jobs do. */
  async markSyncState(connectionId: string, tenantId: string, patch: Record<string, unknown>): Promise<void> {
    // Only the job's own tenant's connection: a job naming another tenant never touches it.
    await this.db.query(
      `UPDATE pms_connections SET sync_state = coalesce(sync_state, '{}'::jsonb) || $2::jsonb, updated_at = now() WHERE id = $1 AND tenant_id = $3`,
      [connectionId, JSON.stringify(patch), tenantId],
    );
  }

  /** Open cases of the connection held by a reconciliation mismatch. */
  async reconciliationHolds(connectionId: string, tenantId: string, manager?: EntityManager): Promise<number> {
    const [r] = await (manager ?? this.db).query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM debt_cases WHERE tenant_id = $1 AND external_key LIKE $2 AND closed_at IS NULL AND (meta->'reconciliation'->>'mismatch')::boolean`,
      [tenantId, `pms:${connectionId}:lease:%`],
    );
    return r.n;
  }
}
