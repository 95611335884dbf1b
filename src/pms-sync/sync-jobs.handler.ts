import { Injectable } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import { AppConfig } from '../config/app-config.service';
import { JobContext } from '../queues/job-context';
import { CasesPayload, SyncPayload } from '../queues/job-map';
import { CasesService } from './cases.service';
import { SyncBusyError, SyncInterruptedError, SyncRunner } from './sync-runner.service';
import { SyncShutdown } from './sync-shutdown.service';

/**
 * Handlers of the pms-sync queue (queue-contract.md). Each returns a small summary
 * ({runId, counts, durationMs, ...}) that the API shows; progress goes through job.updateProgress.
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

  /** build-new-cases and its alias build-cases: create the missing cases only. */
  async buildNewCases(ctx: JobContext<CasesPayload>): Promise<unknown> {
    const started = Date.now();
    await this.runner.loadConnection(ctx.data.connectionId, ctx.data.tenantId);
    const counts = await this.cases.buildNew(ctx.data.connectionId, ctx.data.tenantId);
    return { runId: null, counts: { cases: counts }, durationMs: Date.now() - started };
  }

  /** refresh-cases: refresh the existing cases only; creates none. */
  async refreshCases(ctx: JobContext<CasesPayload>): Promise<unknown> {
    const started = Date.now();
    await this.runner.loadConnection(ctx.data.connectionId, ctx.data.tenantId);
    const counts = await this.cases.refresh(ctx.data.connectionId, ctx.data.tenantId);
    return { runId: null, counts: { cases: counts }, durationMs: Date.now() - started };
  }

  /** sync-full-flow: sync (without cases), then refresh, then build, in one job. */
  async syncFullFlow(ctx: JobContext<CasesPayload>): Promise<unknown> {
    const started = Date.now();
    const { connectionId, tenantId } = ctx.data;
    const sync = await this.runOrDelay(ctx, () =>
      this.runner.run({ connectionId, tenantId, trigger: 'manual', jobId: ctx.job.id, log: ctx.log, cases: false, progress: (p) => ctx.job.updateProgress(p), signal: this.shutdown.signal }),
    );
    await ctx.job.updateProgress({ step: 'cases' });
    const refreshed = await this.cases.refresh(connectionId, tenantId);
    const built = await this.cases.buildNew(connectionId, tenantId);
    return { runId: sync.runId, counts: { ...sync.counts, cases: { ...refreshed, created: built.created, debtorsCreated: built.debtorsCreated, reconciliationHolds: await this.cases.reconciliationHolds(connectionId, tenantId) } }, sync, durationMs: Date.now() - started };
  }
}
