import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { ConnectionLoader } from '../connectors/connection-loader';
import { JobContext } from '../queues/job-context';
import { CasesPayload, SyncPayload } from '../queues/job-payloads';
import { CaseCounts, CasesService } from './cases.service';
import { SyncRunner } from './sync-runner.service';
import { SyncBusyError, SyncInterruptedError } from './sync.types';
import { SyncShutdown } from './sync-shutdown.service';
import { RetryLaterError } from '../common/errors';

/**
 * Handlers of the pms-sync queue. The API shows `job.returnvalue` as it is, so the case jobs return
 * the API's own shapes (build `{created, message}`, refresh `{updated, resolved, message}`, full
 * flow `{sync, refresh, build, recompute}`) with our details in extra fields; and they leave
 * `pms_connections.sync_state` as the API's own jobs do (the API set lastRunStatus IN_PROGRESS when
 * it enqueued them). Progress goes through job.updateProgress.
 */
@Injectable()
export class SyncJobsHandler {
  constructor(
    private readonly runner: SyncRunner,
    private readonly cases: CasesService,
    private readonly shutdown: SyncShutdown,
    private readonly config: AppConfig,
    private readonly connections: ConnectionLoader,
  ) {}

  /**
   * Two ends of a sync that are not failed attempts (RetryLaterError: the job goes back to the
   * delayed set, same id, attempts untouched).
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
      if (err instanceof SyncInterruptedError) throw new RetryLaterError(0, err.message);
      if (!(err instanceof SyncBusyError)) throw err;
      const maxWaitMinutes = this.config.get('SYNC_BUSY_MAX_WAIT_MINUTES');
      if (Date.now() - ctx.job.timestamp >= maxWaitMinutes * 60_000) {
        throw new SyncBusyError(`${err.message}; gave up waiting (SYNC_BUSY_MAX_WAIT_MINUTES=${maxWaitMinutes} since the job was enqueued)`);
      }
      throw new RetryLaterError(this.config.get('SYNC_BUSY_RETRY_SECONDS') * 1000, `${err.message}: this job waits (no attempt used)`);
    }
  }

  async sync(ctx: JobContext<SyncPayload>): Promise<unknown> {
    const d = ctx.data;
    return this.runOrDelay(ctx, () =>
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
  }

  /** Runs a case job; on failure the connection's sync_state says FAILED with the message. */
  private async caseJob<T>(ctx: JobContext<CasesPayload>, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      await this.cases.markSyncState(ctx.data.connectionId, ctx.data.tenantId, { lastRunStatus: 'FAILED', lastErrorMessage: (err as Error)?.message ?? String(err) }).catch(() => undefined);
      throw err;
    }
  }

  /** build-new-cases and its alias build-cases: create the missing cases only. */
  async buildNewCases(ctx: JobContext<CasesPayload>): Promise<unknown> {
    return this.caseJob(ctx, async () => {
      const started = Date.now();
      await this.connections.load(ctx.data.connectionId, ctx.data.tenantId);
      const counts = await this.cases.buildNew(ctx.data.connectionId, ctx.data.tenantId);
      await this.cases.markSyncState(ctx.data.connectionId, ctx.data.tenantId, { lastBuildAt: new Date().toISOString(), lastBuildStats: { created: counts.created }, lastRunStatus: 'SUCCESS', lastErrorMessage: null });
      return { ...buildResult(counts), runId: null, counts: { cases: counts }, durationMs: Date.now() - started };
    });
  }

  /** refresh-cases: refresh the existing cases only; creates none. */
  async refreshCases(ctx: JobContext<CasesPayload>): Promise<unknown> {
    return this.caseJob(ctx, async () => {
      const started = Date.now();
      await this.connections.load(ctx.data.connectionId, ctx.data.tenantId);
      const counts = await this.cases.refresh(ctx.data.connectionId, ctx.data.tenantId);
      const r = refreshResult(counts);
      await this.cases.markSyncState(ctx.data.connectionId, ctx.data.tenantId, { lastRefreshAt: new Date().toISOString(), lastRefreshStats: { updated: r.updated, resolved: r.resolved }, lastRunStatus: 'SUCCESS', lastErrorMessage: null });
      return { ...r, runId: null, counts: { cases: counts }, durationMs: Date.now() - started };
    });
  }

  /** sync-full-flow: sync (without cases), then refresh, then build, in one job. */
  async syncFullFlow(ctx: JobContext<CasesPayload>): Promise<unknown> {
    const started = Date.now();
    const { connectionId, tenantId } = ctx.data;
    const sync = await this.runOrDelay(ctx, () =>
      this.runner.run({ connectionId, tenantId, trigger: 'manual', jobId: ctx.job.id, log: ctx.log, cases: false, progress: (p) => ctx.job.updateProgress(p), signal: this.shutdown.signal }),
    );
    return this.caseJob(ctx, async () => {
      await ctx.job.updateProgress({ step: 'cases' });
      const refreshed = await this.cases.refresh(connectionId, tenantId);
      const built = await this.cases.buildNew(connectionId, tenantId);
      const now = new Date().toISOString();
      await this.cases.markSyncState(connectionId, tenantId, {
        lastRefreshAt: now,
        lastRefreshStats: { updated: refreshResult(refreshed).updated, resolved: refreshed.closedPaid },
        lastBuildAt: now,
        lastBuildStats: { created: built.created },
        lastRecomputeAt: now,
        lastRunStatus: 'SUCCESS',
        lastErrorMessage: null,
      });
      return {
        sync,
        refresh: refreshResult(refreshed),
        build: buildResult(built),
        recompute: {},
        runId: sync.runId,
        counts: { ...sync.counts, cases: { ...refreshed, created: built.created, debtorsCreated: built.debtorsCreated, reconciliationHolds: await this.cases.reconciliationHolds(connectionId, tenantId) } },
        durationMs: Date.now() - started,
      };
    });
  }
}

/** The API's build result: `{created, message}`. */
export function buildResult(c: CaseCounts): { created: number; message: string } {
  return { created: c.created, message: c.created > 0 ? `Created ${c.created} new case(s).` : 'No new cases to create.' };
}

/** The API's refresh result: `{updated, resolved, message}` (resolved: closed as PAID at balance zero). */
export function refreshResult(c: CaseCounts): { updated: number; resolved: number; message: string } {
  const updated = c.refreshed + c.closedPaid + c.reopened;
  return { updated, resolved: c.closedPaid, message: `Refreshed ${updated} case(s), ${c.closedPaid} resolved (balance=0).` };
}
