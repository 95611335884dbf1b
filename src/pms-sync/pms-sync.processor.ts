import { Processor } from '@nestjs/bullmq';
import { DelayedError, Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DispatchingProcessor } from '../queues/dispatching-processor';
import { JobMetrics } from '../queues/job-metrics';
import { PMS_SYNC_QUEUE } from '../queues/queue-names';
import { workerOptionsFor } from '../queues/worker-settings';
import { SyncJobsHandler } from './sync-jobs.handler';
import { SyncInterruptedError } from './sync-runner.service';

@Processor(PMS_SYNC_QUEUE, workerOptionsFor(PMS_SYNC_QUEUE))
export class PmsSyncProcessor extends DispatchingProcessor<typeof PMS_SYNC_QUEUE> {
  protected readonly queueName = PMS_SYNC_QUEUE;

  constructor(
    pino: PinoLogger,
    metrics: JobMetrics,
    private readonly sync: SyncJobsHandler,
  ) {
    super(pino, metrics);
  }

  /**
   * A sync interrupted by the worker's shutdown is not a failed attempt: the job goes back to the
   * queue at once (same id, attempts untouched) and the next worker resumes its run.
   */
  override async process(job: Job, token?: string): Promise<unknown> {
    try {
      return await super.process(job, token);
    } catch (err) {
      if (err instanceof SyncInterruptedError && token) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      throw err;
    }
  }

  protected handlers() {
    return {
      sync: (ctx: any) => this.sync.sync(ctx),
      'build-new-cases': (ctx: any) => this.sync.buildNewCases(ctx),
      'build-cases': (ctx: any) => this.sync.buildNewCases(ctx),
      'refresh-cases': (ctx: any) => this.sync.refreshCases(ctx),
      'sync-full-flow': (ctx: any) => this.sync.syncFullFlow(ctx),
    };
  }
}
