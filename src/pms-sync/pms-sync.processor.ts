import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import type { Logger as PinoInstance } from 'pino';
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

  /**
   * The API takes `pms-sync:lock:<tenantId>:<connectionId>` (a plain key, without the queue prefix,
   * for 10 minutes) before it enqueues any pms-sync job, and refuses Sync / Build / Refresh while
   * it exists; it expects the worker to release it when the job ends for good.
   */
  protected override async onJobEnded(job: Job, outcome: 'completed' | 'failed', log: PinoInstance): Promise<void> {
    const key = apiSyncLockKey(job.data);
    if (!key) return;
    const client = await this.worker.client;
    const released = await client.del(key);
    if (released) log.info({ outcome }, 'released the API\'s sync lock');
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The API's lock key of a pms-sync job's connection, or null when the payload names none. */
export function apiSyncLockKey(data: unknown): string | null {
  const d = (data ?? {}) as { tenantId?: unknown; connectionId?: unknown };
  if (typeof d.tenantId !== 'string' || typeof d.connectionId !== 'string' || !UUID.test(d.tenantId) || !UUID.test(d.connectionId)) return null;
  return `pms-sync:lock:${d.tenantId}:${d.connectionId}`;
}
