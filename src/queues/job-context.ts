import { Job } from 'bullmq';
import type { Logger as PinoInstance } from 'pino';

/** What a handler gets: the job, its validated payload, and a child logger bound to the job. */
export interface JobContext<T> {
  job: Job;
  data: T;
  log: PinoInstance;
}

export type JobHandler<T = any> = (ctx: JobContext<T>) => Promise<unknown>;
