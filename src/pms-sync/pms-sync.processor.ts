import { Processor } from '@nestjs/bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DispatchingProcessor } from '../queues/dispatching-processor';
import { JobMetrics } from '../queues/job-metrics';
import { PMS_SYNC_QUEUE } from '../queues/queue-names';
import { workerOptionsFor } from '../queues/worker-settings';
import { SyncJobsHandler } from './sync-jobs.handler';

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
