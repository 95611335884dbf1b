import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { PermanentJobError } from '../common/errors';
import { StreamKind } from '../connectors/canonical';
import { ConnectionLoader } from '../connectors/connection-loader';
import { PmsApiError } from '../connectors/connector.types';
import { SyncStep } from '../queues/job-payloads';
import { PagePipeline } from './page-pipeline';
import { PhaseRun, PostPullPhases } from './post-pull.phases';
import { RunClaim, SyncRunsRepository } from './sync-runs.repository';
import { Checkpoint, RunSyncOptions, SyncInterruptedError, SyncStats, SyncSummary } from './sync.types';

const CURSOR_KEYS: Partial<Record<StreamKind, string>> = { debtors: 'debtorsSince', leases: 'leasesSince', charges: 'chargesSince', payments: 'paymentsSince' };

/**
 * Runs one sync of one connection: claims its sync_run, pulls the streams (page by page, each
 * page atomically with its checkpoint: PagePipeline), runs the post-pull phases (soft deletes,
 * aging, cases: PostPullPhases), then records the run completed or failed. Safe to run twice:
 * a retried or recovered job resumes the run it owns.
 */
@Injectable()
export class SyncRunner {
  constructor(
    private readonly config: AppConfig,
    private readonly connections: ConnectionLoader,
    private readonly runs: SyncRunsRepository,
    private readonly pipeline: PagePipeline,
    private readonly phases: PostPullPhases,
  ) {}

  async run(o: RunSyncOptions): Promise<SyncSummary> {
    const started = Date.now();
    const conn = await this.connections.load(o.connectionId, o.tenantId);
    const steps: SyncStep[] = o.steps && o.steps.length ? [...new Set(o.steps)] : ['debtors_leases', 'charges', 'payments', 'balances_aging'];
    const connector = this.connections.connectorFor(conn);
    const state = conn.sync_state ?? {};
    const mode: 'full' | 'incremental' =
      connector.supportsIncremental && state.lastSuccessfulRunAt && o.trigger && o.trigger !== 'manual' ? 'incremental' : 'full';

    const claim = await this.runs.claim(o, mode, steps, this.config.get('SYNC_RUN_STALE_SECONDS'));
    if (claim.replay) return claim.replay;
    const runId = claim.runId;
    const stats: SyncStats = claim.stats ?? { mode, steps, pages: 0, tables: {}, skippedReasons: {}, skippedSample: [], missingRelations: {} };
    const cp: Checkpoint = claim.checkpoint ?? {};
    const log = o.log;
    log?.info({ runId, mode, steps, resumed: claim.resumed }, 'sync run claimed');

    const beat = this.startHeartbeat(runId);
    try {
      await this.runs.markConnectionSyncing(conn.id);
      const ctx = this.connections.context(conn, o.signal);
      const run: PhaseRun = { connectionId: conn.id, tenantId: conn.tenant_id, runId, mode, steps, stats, cp };

      // 1. pull and write, page by page; 2. soft deletes after a complete full pull
      if (!cp.pullComplete) {
        await this.pipeline.pull(connector, ctx, { runId, mode, steps, stats, cp, state, progress: o.progress });
        await this.phases.closePull(run);
      }
      // 3. balances, aging, reconciliation; 4. cases
      if (steps.includes('balances_aging')) await this.phases.agingAndCases(run, ctx.currency, o);

      const summary = summarize(runId, mode, stats, claim, started);
      stats.summary = summary;
      await this.runs.complete(runId, conn.id, stats, cursorsOf(cp));
      log?.info({ runId, durationMs: summary.durationMs }, 'sync run completed');
      return summary;
    } catch (err) {
      if (err instanceof SyncInterruptedError) {
        // Not a failure: the run stays open for this job to resume (same job id, from its checkpoint).
        await this.runs.interrupt(runId).catch((e) => log?.error({ err: e }, 'could not record the interruption'));
        log?.info({ runId }, 'sync run interrupted at a page boundary (shutdown); it resumes from its checkpoint');
        throw err;
      }
      await this.runs.fail(runId, conn.id, err).catch((e) => log?.error({ err: e }, 'could not record the sync failure'));
      throw toJobError(err);
    } finally {
      clearInterval(beat);
    }
  }

  /** A run whose heartbeat stops (its worker died) is taken over after SYNC_RUN_STALE_SECONDS: beat 4 times as often. */
  private startHeartbeat(runId: string): NodeJS.Timeout {
    const staleMs = this.config.get('SYNC_RUN_STALE_SECONDS') * 1000;
    const beat = setInterval(() => {
      this.runs.heartbeat(runId).catch(() => undefined);
    }, Math.max(1000, Math.floor(staleMs / 4)));
    beat.unref();
    return beat;
  }
}

function summarize(runId: string, mode: 'full' | 'incremental', stats: SyncStats, claim: RunClaim, started: number): SyncSummary {
  return {
    runId,
    status: 'completed',
    mode,
    counts: stats.tables,
    softDeleted: stats.softDeleted,
    aging: stats.aging
      ? { asOfDate: stats.aging.asOfDate, totalCents: stats.aging.totalCents, leasesPastDue: stats.aging.leasesPastDue, mismatches: stats.aging.reconciliation.mismatches }
      : undefined,
    cases: stats.cases,
    durationMs: Date.now() - started,
    resumed: claim.resumed || undefined,
  };
}

/** The incremental cursors (sync_state ...Since keys) from the newest modification time seen per stream. */
function cursorsOf(cp: Checkpoint): Record<string, string> {
  const cursors: Record<string, string> = {};
  for (const [k, v] of Object.entries(cp.maxModified ?? {})) if (CURSOR_KEYS[k as StreamKind] && v) cursors[CURSOR_KEYS[k as StreamKind]!] = v;
  return cursors;
}

/** PMS auth failures and non-retryable PMS errors do not retry; 5xx/429/network do (the run resumes). */
function toJobError(err: unknown): unknown {
  if (err instanceof PmsApiError && err.details.retryable === false) {
    return new PermanentJobError(err.message, { ...err.details });
  }
  return err;
}
