import { Injectable } from '@nestjs/common';
import { OnWorkerEvent } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DispatchingProcessor, HandlerMap } from '../queues/dispatching-processor';
import { JobMetrics } from '../queues/job-metrics';
import { PMS_SYNC_QUEUE } from '../queues/queue-names';
import { EvalClient, failedForGood, lockIdsOf, releaseApiSyncLock } from './api-sync-lock';
import { SyncJobsHandler } from './sync-jobs.handler';

/** Registered by processorProvider(), which adds the queue's worker options for the booted environment. */
@Injectable()
export class PmsSyncProcessor extends DispatchingProcessor<typeof PMS_SYNC_QUEUE> {
  protected readonly queueName = PMS_SYNC_QUEUE;

  constructor(
    pino: PinoLogger,
    metrics: JobMetrics,
    private readonly sync: SyncJobsHandler,
  ) {
    super(pino, metrics);
  }

  protected handlers(): HandlerMap<typeof PMS_SYNC_QUEUE> {
    return {
      sync: (ctx) => this.sync.sync(ctx),
      'build-new-cases': (ctx) => this.sync.buildNewCases(ctx),
      'build-cases': (ctx) => this.sync.buildNewCases(ctx),
      'refresh-cases': (ctx) => this.sync.refreshCases(ctx),
      'sync-full-flow': (ctx) => this.sync.syncFullFlow(ctx),
    };
  }

  /**
   * The API's lock is released once the job has ended for good. The events fire only after BullMQ
   * moved the job, so a retried job is already back in the delayed set (not released), and a job
   * that waits (busy connection, shutdown put-back) never fires them.
   */
  @OnWorkerEvent('completed')
  onCompleted(job: Job) {
    return this.releaseLock(job, 'completed');
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error) {
    if (!job) return;
    if (!failedForGood(job, err)) {
      this.pino.logger.info({ queue: this.queueName, jobName: job.name, jobId: job.id, lock: 'kept', reason: 'will retry' }, 'API sync lock kept: the job will be retried');
      return;
    }
    return this.releaseLock(job, 'failed');
  }

  private async releaseLock(job: Job, end: 'completed' | 'failed'): Promise<void> {
    const log = { queue: this.queueName, jobName: job.name, jobId: job.id, end };
    const ids = lockIdsOf(job.data);
    if (!ids) {
      this.pino.logger.info({ ...log, lock: 'none' }, 'API sync lock: the payload names no tenant and connection');
      return;
    }
    try {
      const outcome = await releaseApiSyncLock((await this.worker.client) as unknown as EvalClient, ids, job.timestamp);
      this.pino.logger.info({ ...log, ...ids, lock: outcome }, `API sync lock ${outcome === 'released' ? 'released' : `not released (${outcome})`}`);
    } catch (err) {
      // The lock still expires on its own (10 minutes); a Redis hiccup here must not crash the worker.
      this.pino.logger.error({ ...log, ...ids, err }, 'API sync lock release failed');
    }
  }
}
