import { OnModuleInit } from '@nestjs/common';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { JOB_CATALOG, JobName, JobPayload, validateJob } from './job-catalog';
import { QueueName } from './queue-names';
import { JobHandler } from './job-context';
import { JobMetrics } from './job-metrics';
import { RetryLaterError } from '../common/errors';

/** One handler per job name of a queue, each typed with the payload its schema validates. */
export type HandlerMap<Q extends QueueName> = { [N in JobName<Q>]: JobHandler<JobPayload<Q, N>> };

/**
 * Thin processor base: validates the payload on receipt (UnrecoverableError naming the field),
 * gives each job a child logger (queue, job name, id, attempt), dispatches by name through a map
 * that must cover every job name of the queue (checked at start-up), and is the one place that
 * turns a handler's error into what happens to the job (src/common/errors.ts).
 */
export abstract class DispatchingProcessor<Q extends QueueName> extends WorkerHost implements OnModuleInit {
  protected abstract readonly queueName: Q;
  protected abstract handlers(): HandlerMap<Q>;
  private table: Record<string, JobHandler> = {};

  constructor(
    protected readonly pino: PinoLogger,
    protected readonly metrics: JobMetrics,
  ) {
    super();
  }

  onModuleInit(): void {
    this.table = this.handlers() as Record<string, JobHandler>;
    const missing = Object.keys(JOB_CATALOG[this.queueName]).filter((n) => typeof this.table[n] !== 'function');
    if (missing.length > 0) {
      throw new Error(`Processor for queue ${this.queueName} has no handler for: ${missing.join(', ')}`);
    }
  }

  protected jobLogger(job: Job): PinoInstance {
    return this.pino.logger.child({ queue: this.queueName, jobName: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const log = this.jobLogger(job);
    const started = process.hrtime.bigint();
    let data: unknown;
    try {
      ({ data } = validateJob(this.queueName, job.name, job.data, job.id));
    } catch (err) {
      log.warn({ err }, 'job rejected on receipt');
      throw err;
    }
    log.info('job started');
    const handler = this.table[job.name];
    try {
      const result = await handler({ job, data, log, token });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      this.metrics.observe(this.queueName, job.name, 'completed', ms);
      log.info({ durationMs: Math.round(ms), result }, 'job completed');
      return result;
    } catch (err) {
      if (err instanceof RetryLaterError && token) {
        // Not a failure: back to the delayed set under the same id, attempts untouched.
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        // logged once the job is in the delayed set, so the line is true when read
        log.info({ retryInSeconds: err.delayMs / 1000, reason: err.message }, 'job delayed: it waits without using an attempt');
        throw new DelayedError();
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.metrics.observe(this.queueName, job.name, final ? 'failed' : 'retried', ms);
      log.error({ err, willRetry: !final, durationMs: Math.round(ms) }, 'job failed');
      throw err;
    }
  }

  @OnWorkerEvent('stalled')
  onStalled(jobId: string) {
    this.pino.logger.warn({ queue: this.queueName, jobId }, 'job stalled (its worker stopped renewing the lock); it will be retried');
  }

  @OnWorkerEvent('error')
  onError(err: Error) {
    this.pino.logger.error({ queue: this.queueName, err }, 'worker error');
  }
}
