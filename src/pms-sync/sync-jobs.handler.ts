import { Injectable } from '@nestjs/common';
import { JobContext } from '../queues/job-context';
import { CasesPayload, SyncPayload } from '../queues/job-map';
import { CasesService } from './cases.service';
import { SyncRunner } from './sync-runner.service';
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
  ) {}

  async sync(ctx: JobContext<SyncPayload>): Promise<unknown> {
    const d = ctx.data;
    return this.runner.run({
      connectionId: d.connectionId,
      tenantId: d.tenantId,
      trigger: d.trigger,
      steps: d.steps ?? null,
      idempotencyKey: d.idempotencyKey,
      jobId: ctx.job.id,
      log: ctx.log,
      progress: (p) => ctx.job.updateProgress(p),
      signal: this.shutdown.signal,
    });
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
    const sync = await this.runner.run({ connectionId, tenantId, trigger: 'manual', jobId: ctx.job.id, log: ctx.log, cases: false, progress: (p) => ctx.job.updateProgress(p), signal: this.shutdown.signal });
    await ctx.job.updateProgress({ step: 'cases' });
    const refreshed = await this.cases.refresh(connectionId, tenantId);
    const built = await this.cases.buildNew(connectionId, tenantId);
    return { runId: sync.runId, counts: { ...sync.counts, cases: { ...refreshed, created: built.created, debtorsCreated: built.debtorsCreated, reconciliationHolds: await this.cases.reconciliationHolds(connectionId, tenantId) } }, sync, durationMs: Date.now() - started };
  }
}
