import type { JobsOptions, KeepJobs } from 'bullmq';
import { z } from 'zod';
import { PermanentJobError } from '../common/errors';
import type { Env } from '../config/env.schema';
import {
  callCasePayload,
  callSummaryPayload,
  casesPayload,
  maintenancePayload,
  messageCasePayload,
  reconcilePayload,
  syncPayload,
  tickPayload,
} from './job-payloads';
import { AUTOMATION_MAINTENANCE_QUEUE, CASE_ACTIONS_QUEUE, COLLECTION_TICK_QUEUE, PMS_SYNC_QUEUE, QueueName } from './queue-names';

/**
 * The job catalog: every job of every queue, with its payload schema and the options it is enqueued
 * with. The workers' processors dispatch on it (a handler per entry, checked at start-up and by the
 * compiler), the producer enqueues from it, and the worker options take their retention from it, so
 * a job's contract is written once (docs/queue-contract.md).
 */
export interface JobSpec {
  payload: z.ZodType;
  /** Attempts in all, or the configured WORKER_ATTEMPTS (the API's default for case actions). */
  attempts: number | 'WORKER_ATTEMPTS';
  /** First retry delay in ms, doubled at each retry (BullMQ's exponential backoff); none for one attempt. */
  backoffMs?: number;
}

/**
 * Retry delays are shortened at random by up to this share: jobs that failed together (a PMS or
 * Twilio outage) do not all come back in the same second.
 */
export const BACKOFF_JITTER = 0.2;

export const JOB_CATALOG = {
  [PMS_SYNC_QUEUE]: {
    sync: { payload: syncPayload, attempts: 2, backoffMs: 5000 },
    'build-new-cases': { payload: casesPayload, attempts: 2, backoffMs: 5000 },
    'build-cases': { payload: casesPayload, attempts: 2, backoffMs: 5000 },
    'refresh-cases': { payload: casesPayload, attempts: 2, backoffMs: 5000 },
    // A full flow is long and resumes its sync from the checkpoint when run again by hand.
    'sync-full-flow': { payload: casesPayload, attempts: 1 },
  },
  [CASE_ACTIONS_QUEUE]: {
    CALL_CASE: { payload: callCasePayload, attempts: 'WORKER_ATTEMPTS', backoffMs: 2000 },
    SYNC_CALL_SUMMARY: { payload: callSummaryPayload, attempts: 'WORKER_ATTEMPTS', backoffMs: 2000 },
    SMS_CASE: { payload: messageCasePayload, attempts: 'WORKER_ATTEMPTS', backoffMs: 2000 },
    EMAIL_CASE: { payload: messageCasePayload, attempts: 'WORKER_ATTEMPTS', backoffMs: 2000 },
    // The next 5-minute slot enqueues another one.
    RECONCILE_CALLS: { payload: reconcilePayload, attempts: 1 },
  },
  [COLLECTION_TICK_QUEUE]: {
    tick: { payload: tickPayload, attempts: 2, backoffMs: 10000 },
  },
  [AUTOMATION_MAINTENANCE_QUEUE]: {
    // The next hourly (daily) slot runs the connection again.
    hourly: { payload: maintenancePayload, attempts: 1 },
    daily: { payload: maintenancePayload, attempts: 1 },
  },
} as const satisfies Record<QueueName, Record<string, JobSpec>>;

export type JobCatalog = typeof JOB_CATALOG;
export type JobName<Q extends QueueName> = keyof JobCatalog[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = z.infer<JobCatalog[Q][N] extends { payload: infer S extends z.ZodType } ? S : never>;

const HOUR = 3600;
const DAY = 24 * HOUR;

export interface Retention {
  removeOnComplete: KeepJobs;
  removeOnFail: KeepJobs;
}

/**
 * How long finished jobs stay in Redis, per queue: set on every job we enqueue and as the worker's
 * default, so it also holds for jobs the API enqueues without options. The counts are the API's
 * (1,000 completed, 5,000 failed); the ages bound Redis memory on quiet queues.
 */
export const QUEUE_RETENTION: Record<QueueName, Retention> = {
  [PMS_SYNC_QUEUE]: { removeOnComplete: { age: DAY, count: 1000 }, removeOnFail: { age: 14 * DAY, count: 5000 } },
  [CASE_ACTIONS_QUEUE]: { removeOnComplete: { age: DAY, count: 1000 }, removeOnFail: { age: 14 * DAY, count: 5000 } },
  [COLLECTION_TICK_QUEUE]: { removeOnComplete: { age: DAY, count: 200 }, removeOnFail: { age: 7 * DAY, count: 1000 } },
  [AUTOMATION_MAINTENANCE_QUEUE]: { removeOnComplete: { age: DAY, count: 1000 }, removeOnFail: { age: 14 * DAY, count: 5000 } },
};

/** The options a job of the catalog is enqueued with (its id is added by the producer). */
export function jobOptions<Q extends QueueName>(queue: Q, name: JobName<Q>, env: Pick<Env, 'WORKER_ATTEMPTS'>): JobsOptions {
  const spec = (JOB_CATALOG[queue] as Record<string, JobSpec>)[name];
  if (!spec) throw new Error(`no job "${name}" on queue ${queue} in the catalog`);
  const attempts = spec.attempts === 'WORKER_ATTEMPTS' ? env.WORKER_ATTEMPTS : spec.attempts;
  return {
    attempts,
    ...(spec.backoffMs && attempts > 1 ? { backoff: { type: 'exponential', delay: spec.backoffMs, jitter: BACKOFF_JITTER } } : {}),
    ...QUEUE_RETENTION[queue],
  };
}

/** Custom job ids: BullMQ rejects ':' and all-digit ids. */
export function safeJobId(id: string): string {
  const cleaned = id.replace(/:/g, '-');
  if (/^\d+$/.test(cleaned)) return `j-${cleaned}`;
  return cleaned;
}

/**
 * The ids of the jobs we enqueue. Most name a slot, so that two schedulers (or two ticks) of one slot
 * enqueue one job; the on-demand call has the API's shape.
 */
export const JOB_IDS = {
  onDemandCall: (caseId: string, at: Date) => `CALL_CASE-on-demand-${caseId}-${at.getTime()}`,
  /** slot: the pass's UTC minute, YYYYMMDDHHmm */
  scheduledCall: (caseId: string, slot: string) => `CALL_CASE-sched-${caseId}-${slot}`,
  automationAction: (name: 'CALL_CASE' | 'SMS_CASE' | 'EMAIL_CASE', stateId: string, slotStartMs: number) => `${name}-${stateId}-${slotStartMs}`,
  tick: (slotStartMs: number) => `tick-${slotStartMs}`,
  maintenance: (kind: 'hourly' | 'daily', connectionId: string, periodStartMs: number) => `${kind}-${connectionId}-${periodStartMs}`,
  /** slot: the number of the 5-minute period since the epoch */
  reconcile: (slot: number) => `RECONCILE_CALLS-${slot}`,
} as const;

/** Job names the API may enqueue that this worker deliberately does not handle (none today). */
export const UNSUPPORTED_JOBS: Record<string, string> = {};

export class InvalidJobError extends PermanentJobError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
    this.name = 'InvalidJobError';
  }
}

/**
 * Validates a job against the catalog, on receipt and before it is enqueued. Throws InvalidJobError
 * (an UnrecoverableError: no retry) naming the job and every bad field; returns the parsed payload.
 */
export function validateJob<Q extends QueueName>(queue: Q, name: string, data: unknown, jobId?: string): { name: JobName<Q>; data: unknown } {
  const label = `job ${jobId ?? '?'} "${name}" on queue ${queue}`;
  // own keys only: names such as "constructor" or "__proto__" are unknown names, not prototype members
  if (Object.prototype.hasOwnProperty.call(UNSUPPORTED_JOBS, name)) throw new InvalidJobError(`${label}: ${UNSUPPORTED_JOBS[name]}`);
  const specs = JOB_CATALOG[queue] as Record<string, JobSpec>;
  const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
  if (!spec) {
    throw new InvalidJobError(`${label}: unknown job name; this worker handles ${Object.keys(specs).join(', ')}`);
  }
  const parsed = spec.payload.safeParse(data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    throw new InvalidJobError(`${label}: invalid payload: ${fields.join('; ')}`, { fields });
  }
  return { name: name as JobName<Q>, data: parsed.data };
}
