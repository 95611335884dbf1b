import { Provider, Type } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { NestWorkerOptions } from '@nestjs/bullmq/dist/interfaces/worker-options.interface';
import { Env } from '../config/env.schema';
import { QUEUE_RETENTION, Retention } from './job-catalog';
import { AUTOMATION_MAINTENANCE_QUEUE, CASE_ACTIONS_QUEUE, COLLECTION_TICK_QUEUE, PMS_SYNC_QUEUE, QueueName } from './queue-names';

/**
 * One settings table per queue, tuned for low idle Redis traffic (the API runs on billed Redis
 * such as Upstash). Idle cost per worker (BullMQ source): one BZPOPMIN per drainDelay plus one
 * moveStalledJobsToWait per stalledInterval. With drainDelay 300 s and stalledInterval 300 s that
 * is about 0.4 commands/min per queue, against ~26/min with BullMQ's defaults (5 s / 30 s).
 * The price: running workers recover a stalled job (its worker died) only after two checks, 5 to
 * 10 min; a worker that starts runs both checks itself within lockDuration of its start
 * (stalled-recovery.ts), which is the usual case after a crash (pm2, Docker and Kubernetes restart
 * it). Keeping lockDuration short (60 s, renewed every 30 s while a job runs) bounds that delay and
 * costs nothing while idle. A job added to an empty queue is still picked up at once (BZPOPMIN
 * wakes on the add).
 */
export interface QueueSettings {
  concurrency: number;
  lockDuration: number;
  maxStalledCount: number;
  stalledInterval: number;
  drainDelay: number; // seconds
  removeOnComplete: Retention['removeOnComplete'];
  removeOnFail: Retention['removeOnFail'];
}

/**
 * collection-tick and automation-maintenance get a job every 15 minutes or every hour, so they poll and
 * check for stalled jobs three times less often than the busy queues (capped at BullMQ-friendly hour
 * limits). Nothing waits on it: an added job still wakes the blocked worker at once, a tick that died
 * mid-way left its batches uncommitted (the next tick claims them), and a maintenance sync that died
 * lets the API's lock expire (10 min) and is run again by the next hourly slot.
 */
function slowQueueIdle(env: Env): Pick<QueueSettings, 'stalledInterval' | 'drainDelay'> {
  return {
    stalledInterval: Math.min(env.WORKER_STALLED_INTERVAL_MS * 3, 3_600_000),
    drainDelay: Math.min(env.WORKER_DRAIN_DELAY_SECONDS * 3, 3600),
  };
}

export function queueSettings(env: Env): Record<QueueName, QueueSettings> {
  return {
    [PMS_SYNC_QUEUE]: {
      // Syncs are heavy and one per connection at a time (sync_runs enforces it); two in parallel
      // keeps Postgres busy without starving the call queue.
      concurrency: Math.min(env.WORKER_CONCURRENCY, 2),
      lockDuration: env.WORKER_LOCK_DURATION_MS,
      // A sync resumes from its checkpoint, so a job recovered after a crash is cheap to re-run.
      maxStalledCount: 3,
      stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
      drainDelay: env.WORKER_DRAIN_DELAY_SECONDS,
      ...QUEUE_RETENTION[PMS_SYNC_QUEUE],
    },
    [CASE_ACTIONS_QUEUE]: {
      concurrency: env.WORKER_CONCURRENCY,
      lockDuration: Math.min(env.WORKER_LOCK_DURATION_MS, 60000),
      // CALL_CASE is safe to re-run (one interaction per intent), so stalled jobs may be recovered.
      maxStalledCount: 2,
      stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
      drainDelay: env.WORKER_DRAIN_DELAY_SECONDS,
      ...QUEUE_RETENTION[CASE_ACTIONS_QUEUE],
    },
    [COLLECTION_TICK_QUEUE]: {
      // One tick at a time per worker; ticks of several workers are safe (row claims), just useless.
      concurrency: 1,
      lockDuration: env.WORKER_LOCK_DURATION_MS,
      maxStalledCount: 2,
      ...slowQueueIdle(env),
      ...QUEUE_RETENTION[COLLECTION_TICK_QUEUE],
    },
    [AUTOMATION_MAINTENANCE_QUEUE]: {
      // Each job is a sync of one connection (the lock keeps one per connection); same budget as pms-sync.
      concurrency: Math.min(env.WORKER_CONCURRENCY, 2),
      lockDuration: env.WORKER_LOCK_DURATION_MS,
      maxStalledCount: 2,
      ...slowQueueIdle(env),
      ...QUEUE_RETENTION[AUTOMATION_MAINTENANCE_QUEUE],
    },
  };
}

/** BullMQ worker options of a queue under this environment. */
export function workerOptions(env: Env, queue: QueueName): NestWorkerOptions {
  const s = queueSettings(env)[queue];
  return {
    concurrency: s.concurrency,
    lockDuration: s.lockDuration,
    maxStalledCount: s.maxStalledCount,
    stalledInterval: s.stalledInterval,
    drainDelay: s.drainDelay,
    removeOnComplete: s.removeOnComplete,
    removeOnFail: s.removeOnFail,
    autorun: true,
  };
}

/**
 * The provider of a processor class, consuming `queue` with the options of this environment.
 * `@Processor(name, options)` is evaluated when its file is imported, before the environment is
 * known; applying it here, to a subclass made for this boot, gives every app and every test module
 * the options of the environment it was booted with.
 */
/** A WorkerHost subclass as the processor classes are: `process` implemented. */
type ConcreteHost = WorkerHost & { process: WorkerHost['process'] };

export function processorProvider<T extends WorkerHost>(cls: Type<T>, queue: QueueName, env: Env): Provider {
  const configured = class extends (cls as unknown as Type<ConcreteHost>) {};
  Object.defineProperty(configured, 'name', { value: cls.name });
  Processor(queue, workerOptions(env, queue))(configured);
  return { provide: cls, useClass: configured };
}
