import { Job } from 'bullmq';

/**
 * The idempotency key of one contact intent (a call, an SMS, an email): one interaction per key.
 *
 * Never the job id alone: the API enqueues automation jobs with BullMQ's counter ids (1, 2, 3...),
 * which start again from 1 when Redis loses its data, so an old interaction could be taken for a
 * new job's. The case, the automation state, the job id and the job's enqueue time together never
 * repeat; a retry of the same job (same id, same timestamp) keeps the same key.
 */
export function intentKey(job: Pick<Job, 'name' | 'id' | 'timestamp'>, data: { caseId: string; stateId?: string | null }): string {
  return `${job.name}:${data.caseId}:${data.stateId ?? '-'}:${job.id ?? '-'}:${job.timestamp}`;
}
