import type { Job } from 'bullmq';

/**
 * The idempotency key of one intent (one job as enqueued): `<name>:<caseId>:<stateId|->:<jobId>:<timestamp>`.
 * Never the job id alone: BullMQ's counter ids start again at 1 when Redis loses its data, and a new
 * job with a reused id must not be taken for an old one. The enqueue timestamp stays the same across
 * the retries and redeliveries of one job, so they share the key.
 */
export function intentKey(job: Pick<Job, 'name' | 'id' | 'timestamp' | 'data'>): string {
  const data = (job.data ?? {}) as { caseId?: unknown; stateId?: unknown };
  const stateId = data.stateId === undefined || data.stateId === null ? '-' : String(data.stateId);
  return `${job.name}:${String(data.caseId)}:${stateId}:${String(job.id)}:${job.timestamp}`;
}
