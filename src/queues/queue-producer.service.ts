import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config.service';
import { AUTOMATION_MAINTENANCE_QUEUE, CASE_ACTIONS_QUEUE, COLLECTION_TICK_QUEUE, PMS_SYNC_QUEUE, QueueName } from './queue-names';
import { JobName, JobPayload, jobOptions, safeJobId, validateJob } from './job-catalog';

/** One job for addBulk: its name, its payload and (for an idempotent enqueue) its id. */
export interface JobToAdd<Q extends QueueName, N extends JobName<Q> = JobName<Q>> {
  name: N;
  payload: JobPayload<Q, N>;
  jobId?: string;
}

/**
 * The one producer every enqueue goes through. The payload is checked against the job catalog before
 * it is sent (a bad one fails here, naming the field, instead of in a worker), and the options are the
 * catalog's: attempts, backoff and retention as docs/queue-contract.md lists them.
 */
@Injectable()
export class QueueProducer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(PMS_SYNC_QUEUE) readonly pmsSync: Queue,
    @InjectQueue(CASE_ACTIONS_QUEUE) readonly caseActions: Queue,
    @InjectQueue(COLLECTION_TICK_QUEUE) readonly collectionTick: Queue,
    @InjectQueue(AUTOMATION_MAINTENANCE_QUEUE) readonly automationMaintenance: Queue,
    private readonly config: AppConfig,
  ) {
    this.queues = { [PMS_SYNC_QUEUE]: pmsSync, [CASE_ACTIONS_QUEUE]: caseActions, [COLLECTION_TICK_QUEUE]: collectionTick, [AUTOMATION_MAINTENANCE_QUEUE]: automationMaintenance };
  }

  /** Enqueues one job. With a job id, a second add of the same id adds nothing (BullMQ keeps the first). */
  async add<Q extends QueueName, N extends JobName<Q>>(queue: Q, name: N, payload: JobPayload<Q, N>, jobId?: string): Promise<Job> {
    validateJob(queue, name, payload, jobId);
    return this.queues[queue].add(name, payload, this.options(queue, name, jobId));
  }

  /** Enqueues jobs of one queue atomically (one MULTI): all of them or, on an invalid payload, none. */
  async addBulk<Q extends QueueName>(queue: Q, jobs: ReadonlyArray<JobToAdd<Q>>): Promise<Job[]> {
    if (jobs.length === 0) return [];
    for (const j of jobs) validateJob(queue, j.name, j.payload, j.jobId);
    return this.queues[queue].addBulk(jobs.map((j) => ({ name: j.name, data: j.payload, opts: this.options(queue, j.name, j.jobId) })));
  }

  private options<Q extends QueueName>(queue: Q, name: JobName<Q>, jobId: string | undefined) {
    return { ...jobOptions(queue, name, this.config.env), ...(jobId ? { jobId: safeJobId(jobId) } : {}) };
  }
}
