import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { todayUtc } from '../connectors/sandbox/sandbox.portfolio';
import { execute } from '../database/sql';
import { SyncStep } from '../queues/job-payloads';
import { AgingService } from './aging.service';
import { CasesService } from './cases.service';
import { CLEAR_SEEN, DROP_UNREPORTED_BALANCES, SOFT_DELETE_DEBTORS, SOFT_DELETE_LEASES } from './canonical-writer.sql';
import { SyncRunsRepository } from './sync-runs.repository';
import { Checkpoint, RunSyncOptions, STEP_STREAMS, SyncStats } from './sync.types';

/** The tables the aging and cases queries read, analysed once before them when the pull wrote rows. */
const ANALYZE_BEFORE_AGING = 'ANALYZE pms_debtors, pms_leases, ar_charges, ar_payments, pms_reported_balances';

/** The run a phase works for; stats and cp are updated in place and saved with the phase's work. */
export interface PhaseRun {
  connectionId: string;
  tenantId: string;
  runId: string;
  mode: 'full' | 'incremental';
  steps: SyncStep[];
  stats: SyncStats;
  cp: Checkpoint;
}

/**
 * What a sync does once the pull is complete, each phase in one transaction with the checkpoint
 * that marks it done: closing the pull (soft deletes), then aging, reconciliation and cases.
 */
@Injectable()
export class PostPullPhases {
  constructor(
    private readonly db: DataSource,
    private readonly aging: AgingService,
    private readonly cases: CasesService,
    private readonly runs: SyncRunsRepository,
  ) {}

  /** Soft deletes after a complete full pull (never on incremental or partial), then the pull is marked complete. */
  async closePull(r: PhaseRun): Promise<void> {
    const { stats, cp } = r;
    await this.db.transaction(async (db) => {
      const pulled = new Set(r.steps.flatMap((s) => STEP_STREAMS[s]));
      // Fresh statistics so the anti-joins below are hash joins, not nested loops.
      await db.query('ANALYZE sync_run_seen');
      if (r.mode === 'full' && pulled.has('debtors') && pulled.has('leases')) {
        const d = await execute(db, SOFT_DELETE_DEBTORS, [r.connectionId, r.runId]);
        const l = await execute(db, SOFT_DELETE_LEASES, [r.connectionId, r.runId]);
        stats.softDeleted = { debtors: d.rowCount, leases: l.rowCount };
      }
      if (r.mode === 'full' && pulled.has('balances')) await db.query(DROP_UNREPORTED_BALANCES, [r.connectionId, r.runId]);
      await db.query(CLEAR_SEEN, [r.runId]);
      cp.pullComplete = true;
      await this.runs.saveProgress(db, r.runId, stats, cp, 'pulled');
    });
  }

  /** Balances and aging as of today (UTC), reconciliation, and (unless o.cases is false) the cases. */
  async agingAndCases(r: PhaseRun, currency: string, o: Pick<RunSyncOptions, 'cases' | 'progress'>): Promise<void> {
    const { connectionId, tenantId, stats, cp } = r;
    await o.progress?.({ step: 'aging' });
    // Statistics for the aging and cases queries (whole-table joins) once the tables changed.
    const wrote = Object.values(stats.tables).some((t) => t && t.created + t.updated > 0);
    if (wrote) await this.db.query(ANALYZE_BEFORE_AGING);
    await this.db.transaction(async (db) => {
      const aging = await this.aging.compute(db, { connectionId, tenantId, asOfDate: todayUtc(), currency });
      stats.aging = aging;
      stats.reconciliation = aging.reconciliation;
      if (o.cases !== false) {
        const refreshed = await this.cases.refresh(connectionId, tenantId, db);
        const built = await this.cases.buildNew(connectionId, tenantId, db, currency);
        stats.cases = { ...refreshed, created: built.created, debtorsCreated: built.debtorsCreated, reconciliationHolds: await this.cases.reconciliationHolds(connectionId, tenantId, db) };
      }
      cp.agingDone = true;
      await this.runs.saveProgress(db, r.runId, stats, cp, 'aging');
    });
  }
}
