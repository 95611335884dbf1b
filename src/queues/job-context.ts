import { Job } from 'bullmq';
import type { Logger as PinoInstance } from 'pino';

/**
 * What a handler gets: the job, its validated payload, a child logger bound to the job, and the
 * worker's lock token. A handler that must wait without using an attempt throws RetryLaterError
 * (src/common/errors.ts); the processor moves the job.
 */
export interface JobContext<T> {
  job: Job;
  data: T;
  log: PinoInstance;
  token?: string;
}

export type JobHandler<T = any> = (ctx: JobContext<T>) => Promise<unknown>;
