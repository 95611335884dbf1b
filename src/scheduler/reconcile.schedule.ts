import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { QueueProducer } from '../queues/queue-producer.service';
import { JOB_IDS } from '../queues/job-catalog';
import { CASE_ACTIONS_QUEUE } from '../queues/queue-names';
import { SchedulerRepository } from './scheduler.repository';

export const RECONCILE_EVERY_MINUTES = 5;

export function reconcileJobId(now: Date): string {
  return JOB_IDS.reconcile(Math.floor(now.getTime() / (RECONCILE_EVERY_MINUTES * 60_000)));
}

/**
 * Every 5 minutes: one RECONCILE_CALLS job (time-slot job id) if a CALL has been queued/in_progress
 * longer than CALL_STALE_TTL_SECONDS; nothing at all in Redis otherwise (an idle Redis stays idle).
 */
@Injectable()
export class ReconcileSchedule {
  constructor(
    private readonly scheduler: SchedulerRepository,
    private readonly producer: QueueProducer,
    private readonly config: AppConfig,
  ) {}

  async run(opts: { now?: Date; dryRun?: boolean } = {}): Promise<{ stale: boolean; submitted: boolean; jobId: string | null }> {
    const now = opts.now ?? new Date();
    const stale = await this.scheduler.staleCallsExist(now, this.config.get('CALL_STALE_TTL_SECONDS'));
    if (!stale) return { stale: false, submitted: false, jobId: null };
    const jobId = reconcileJobId(now);
    if (opts.dryRun) return { stale: true, submitted: false, jobId };
    await this.producer.add(CASE_ACTIONS_QUEUE, 'RECONCILE_CALLS', {}, jobId);
    return { stale: true, submitted: true, jobId };
  }
}
