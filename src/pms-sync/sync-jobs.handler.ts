import { Injectable } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import { AppConfig } from '../config/app-config.service';
import { JobContext } from '../queues/job-context';
import { CasesPayload, SyncPayload } from '../queues/job-map';
import { errorMessage } from '../common/errors';
import { BuildResult, CaseCounts, CasesService, RefreshResult, buildResult, refreshResult } from './cases.service';
import { SyncBusyError, SyncInterruptedError, SyncRunner, SyncSummary } from './sync-runner.service';
import { SyncShutdown } from './sync-shutdown.service';

/**
 * Handlers of the pms-sync queue (queue-contract.md). Each returns what the API's own job returns
 * (the API shows job.returnvalue as it is) with our summary ({runId, counts, durationMs, ...})
 * beside it; progress goes through job.updateProgress.
 */
@Injectable()
export class SyncJobsHandler {
  constructor(
    private readonly runner: SyncRunner,
    private readonly cases: CasesService,
    private readonly shutdown: SyncShutdown,
    private readonly config: AppConfig,
  ) {}

  /**
   * Two ends of a sync that are not failed attempts; the job goes to the delayed set (same id, attempts
   * untouched) and bullmq's DelayedError tells the worker so.
   *
   * The worker is shutting down (SyncInterruptedError): the run stopped at a page boundary; the job is
   * back at once and the next worker resumes its run from the checkpoint.
   *
   * Another sync of the connection is running: rather than failing (the API gives a sync 2 attempts,
   * so a sync pressed during a long one would be lost), the job waits in the delayed set without using
   * an attempt and looks again every SYNC_BUSY_RETRY_SECONDS; after SYNC_BUSY_MAX_WAIT_MINUTES since it
   * was enqueued it fails with the busy message. A run whose worker died is taken over meanwhile
   * (SYNC_RUN_STALE_SECONDS), so a waiting job is never stuck behind a dead one.
   */
  private async runOrDelay<T>(ctx: JobContext<unknown>, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof SyncInterruptedError && ctx.token) {
        await ctx.job.moveToDelayed(Date.now(), ctx.token);
        throw new DelayedError();
      }
      if (!(err instanceof SyncBusyError) || !ctx.token) throw err;
      const busy = err.message.replace(/; this job will be retried$/, '');
      const maxWaitMinutes = this.config.get('SYNC_BUSY_MAX_WAIT_MINUTES');
      if (Date.now() - ctx.job.timestamp >= maxWaitMinutes * 60_000) {
        throw new SyncBusyError(`${busy}; gave up waiting (SYNC_BUSY_MAX_WAIT_MINUTES=${maxWaitMinutes} since the job was enqueued)`);
      }
      const retryMs = this.config.get('SYNC_BUSY_RETRY_SECONDS') * 1000;
      ctx.log.info({ retryInSeconds: retryMs / 1000 }, `${busy}: this job waits (no attempt used)`);
      await ctx.job.moveToDelayed(Date.now() + retryMs, ctx.token);
      throw new DelayedError();
    }
  }

  /** The API's own sync returns {ok, syncRunId}; our summary stays beside it. */
  async sync(ctx: JobContext<SyncPayload>): Promise<SyncJobResult> {
    const d = ctx.data;
    const summary = await this.runOrDelay(ctx, () =>
      this.runner.run({
        connectionId: d.connectionId,
        tenantId: d.tenantId,
        trigger: d.trigger,
        steps: d.steps ?? null,
        idempotencyKey: d.idempotencyKey,
        jobId: ctx.job.id,
        log: ctx.log,
        progress: (p) => ctx.job.updateProgress(p),
        signal: this.shutdown.signal,
      }),
    );
    return syncResult(summary);
  }

  /**
   * Runs a build or refresh the way the API's own does for sync_state: on success the step's keys
   * with lastRunStatus SUCCESS and lastErrorMessage null (the API set IN_PROGRESS when it enqueued
   * the job); on failure FAILED with the message, then the error goes on to BullMQ.
   */
  private async withSyncState<T>(ctx: JobContext<CasesPayload>, run: () => Promise<{ result: T; state: Record<string, unknown> }>): Promise<T> {
    const { connectionId, tenantId } = ctx.data;
    try {
      const { result, state } = await run();
      await this.cases.patchSyncState(connectionId, tenantId, { ...state, lastRunStatus: 'SUCCESS', lastErrorMessage: null });
      return result;
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      await this.cases
        .patchSyncState(connectionId, tenantId, { lastRunStatus: 'FAILED', lastErrorMessage: errorMessage(err) })
        .catch((e) => ctx.log.error({ err: e }, 'could not record the failure in sync_state'));
      throw err;
    }
  }

  /** build-new-cases and its alias build-cases: create the missing cases only. Returns the API's {created, message}. */
  async buildNewCases(ctx: JobContext<CasesPayload>): Promise<BuildJobResult> {
    const started = Date.now();
    return this.withSyncState(ctx, async () => {
      await this.runner.loadConnection(ctx.data.connectionId, ctx.data.tenantId);
      const counts = await this.cases.buildNew(ctx.data.connectionId, ctx.data.tenantId);
      const result = { ...buildResult(counts), runId: null, counts: { cases: counts }, durationMs: Date.now() - started };
      return { result, state: { lastBuildAt: new Date().toISOString(), lastBuildStats: { created: counts.created } } };
    });
  }

  /** refresh-cases: refresh the existing cases only; creates none. Returns the API's {updated, resolved, message}. */
  async refreshCases(ctx: JobContext<CasesPayload>): Promise<RefreshJobResult> {
    const started = Date.now();
    return this.withSyncState(ctx, async () => {
      await this.runner.loadConnection(ctx.data.connectionId, ctx.data.tenantId);
      const counts = await this.cases.refresh(ctx.data.connectionId, ctx.data.tenantId);
      const result = { ...refreshResult(counts), runId: null, counts: { cases: counts }, durationMs: Date.now() - started };
      return { result, state: { lastRefreshAt: new Date().toISOString(), lastRefreshStats: { updated: result.updated, resolved: result.resolved } } };
    });
  }

  /**
   * sync-full-flow: sync (without cases), then refresh, then build, in one job; returns the API's
   * {sync, refresh, build, recompute}. recompute stays empty: automation stages are the API's
   * (its collection tick recomputes them).
   */
  async syncFullFlow(ctx: JobContext<CasesPayload>): Promise<FullFlowJobResult> {
    const started = Date.now();
    const { connectionId, tenantId } = ctx.data;
    const summary = await this.runOrDelay(ctx, () =>
      this.runner.run({ connectionId, tenantId, trigger: 'manual', jobId: ctx.job.id, log: ctx.log, cases: false, progress: (p) => ctx.job.updateProgress(p), signal: this.shutdown.signal }),
    );
    const sync = syncResult(summary);
    await ctx.job.updateProgress({ step: 'cases' });
    return this.withSyncState(ctx, async () => {
      const refreshed = await this.cases.refresh(connectionId, tenantId);
      const refresh = refreshResult(refreshed);
      const built = await this.cases.buildNew(connectionId, tenantId);
      const build = buildResult(built);
      const now = new Date().toISOString();
      const cases = { ...refreshed, created: built.created, debtorsCreated: built.debtorsCreated, leasesWithBalance: built.leasesWithBalance, reconciliationHolds: await this.cases.reconciliationHolds(connectionId, tenantId) };
      return {
        result: { sync, refresh, build, recompute: {}, runId: summary.runId, counts: { ...summary.counts, cases }, durationMs: Date.now() - started },
        state: {
          lastRefreshAt: now,
          lastRefreshStats: { updated: refresh.updated, resolved: refresh.resolved },
          lastBuildAt: now,
          lastBuildStats: { created: build.created },
        },
      };
    });
  }
}

/** The return values the API shows as they are (job.returnvalue), with our details beside them. */
export type SyncJobResult = SyncSummary & { ok: true; syncRunId: string };
export type BuildJobResult = BuildResult & { runId: null; counts: { cases: CaseCounts }; durationMs: number };
export type RefreshJobResult = RefreshResult & { runId: null; counts: { cases: CaseCounts }; durationMs: number };
export interface FullFlowJobResult {
  sync: SyncJobResult;
  refresh: RefreshResult;
  build: BuildResult;
  recompute: Record<string, unknown>;
  runId: string;
  counts: SyncSummary['counts'] & { cases: CaseCounts };
  durationMs: number;
}

function syncResult(summary: SyncSummary): SyncJobResult {
  return { ok: true, syncRunId: summary.runId, ...summary };
}
