import { z } from 'zod';
import { AUTOMATION_MAINTENANCE_QUEUE, CASE_ACTIONS_QUEUE, COLLECTION_TICK_QUEUE, PMS_SYNC_QUEUE, QueueName } from './queue-names';
import { PermanentJobError } from '../common/errors';

/**
 * The typed job map: for every queue, the job names and the zod schema of each payload, exactly as
 * the API enqueues them (docs/queue-contract.md). Unknown extra fields are tolerated (the API may add
 * some); a wrong type or a missing required field is not.
 */

// Any 8-4-4-4-12 hex id, as Postgres' uuid type accepts: z.uuid() would also demand an RFC 9562
// version/variant and reject ids that the API's database holds (seeded or imported rows).
const uuid = z.guid({ message: 'must be a UUID' });

export const SYNC_STEPS = ['debtors_leases', 'charges', 'payments', 'balances_aging'] as const;
export type SyncStep = (typeof SYNC_STEPS)[number];

export const syncPayload = z.looseObject({
  connectionId: uuid,
  tenantId: uuid,
  trigger: z.enum(['manual', 'scheduled', 'webhook']).optional(),
  steps: z.array(z.enum(SYNC_STEPS)).nullable().optional(),
  idempotencyKey: z.string().min(1).max(256).optional(),
});

export const casesPayload = z.looseObject({ connectionId: uuid, tenantId: uuid });

export const callCasePayload = z.looseObject({ tenantId: uuid, caseId: uuid });

export const callSummaryPayload = z
  .looseObject({
    tenantId: uuid,
    interactionId: uuid.optional(),
    callSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'must be a Twilio call SID (CA + 32 hex)').optional(),
    key: z.string().min(1).max(1024).optional(),
  })
  .refine((p) => p.interactionId !== undefined || p.callSid !== undefined, {
    message: 'at least one of interactionId or callSid is required',
    path: ['interactionId'],
  });

/** SMS_CASE / EMAIL_CASE as the API's collection tick enqueues them (automationId/stateId name the stage). */
export const messageCasePayload = z.looseObject({ tenantId: uuid, caseId: uuid, automationId: uuid.nullable().optional(), stateId: uuid.nullable().optional() });

/** A case action from an automation (the API's collection tick and ours enqueue this shape). */
export const automationActionPayload = z.looseObject({ tenantId: uuid, caseId: uuid, automationId: uuid, stateId: uuid });

/** `tick`: the previous worker's repeatable job carried `{}`; anyone may enqueue one. `at` is for tests and the CLI. */
export const tickPayload = z.looseObject({ at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant' }).optional() });

/** Maintenance of one connection, or of every connected one when the ids are absent. */
export const maintenancePayload = z
  .looseObject({ tenantId: uuid.optional(), connectionId: uuid.optional() })
  .refine((p) => (p.tenantId === undefined) === (p.connectionId === undefined), { message: 'tenantId and connectionId go together', path: ['connectionId'] });

/** Job names the API may enqueue that this worker deliberately does not handle (none today). */
export const UNSUPPORTED_JOBS: Record<string, string> = {};

export const JOB_MAP = {
  [PMS_SYNC_QUEUE]: {
    sync: syncPayload,
    'build-new-cases': casesPayload,
    'build-cases': casesPayload,
    'refresh-cases': casesPayload,
    'sync-full-flow': casesPayload,
  },
  [CASE_ACTIONS_QUEUE]: {
    CALL_CASE: callCasePayload,
    SYNC_CALL_SUMMARY: callSummaryPayload,
    SMS_CASE: messageCasePayload,
    EMAIL_CASE: messageCasePayload,
    // Internal: periodic reconciliation of calls stuck in queued/in_progress.
    RECONCILE_CALLS: z.looseObject({ olderThanSeconds: z.number().int().positive().optional() }),
  },
  [COLLECTION_TICK_QUEUE]: {
    tick: tickPayload,
  },
  [AUTOMATION_MAINTENANCE_QUEUE]: {
    hourly: maintenancePayload,
    daily: maintenancePayload,
  },
} as const satisfies Record<QueueName, Record<string, z.ZodType>>;

export type JobMap = typeof JOB_MAP;
export type JobName<Q extends QueueName> = keyof JobMap[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = z.infer<JobMap[Q][N] & z.ZodType>;

export type SyncPayload = z.infer<typeof syncPayload>;
export type CasesPayload = z.infer<typeof casesPayload>;
export type CallCasePayload = z.infer<typeof callCasePayload>;
export type CallSummaryPayload = z.infer<typeof callSummaryPayload>;
export type MessageCasePayload = z.infer<typeof messageCasePayload>;
export type AutomationActionPayload = z.infer<typeof automationActionPayload>;
export type TickPayload = z.infer<typeof tickPayload>;
export type MaintenancePayload = z.infer<typeof maintenancePayload>;

export class InvalidJobError extends PermanentJobError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
    this.name = 'InvalidJobError';
  }
}

/**
 * Validates a job on receipt. Throws InvalidJobError (an UnrecoverableError: no retry) naming the
 * job and every bad field; returns the parsed payload.
 */
export function validateJob<Q extends QueueName>(queue: Q, name: string, data: unknown, jobId?: string): { name: JobName<Q>; data: unknown } {
  const label = `job ${jobId ?? '?'} "${name}" on queue ${queue}`;
  // own keys only: names such as "constructor" or "__proto__" are unknown names, not prototype members
  if (Object.prototype.hasOwnProperty.call(UNSUPPORTED_JOBS, name)) throw new InvalidJobError(`${label}: ${UNSUPPORTED_JOBS[name]}`);
  const schemas = JOB_MAP[queue] as Record<string, z.ZodType>;
  const schema = Object.prototype.hasOwnProperty.call(schemas, name) ? schemas[name] : undefined;
  if (!schema) {
    throw new InvalidJobError(`${label}: unknown job name; this worker handles ${Object.keys(schemas).join(', ')}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    throw new InvalidJobError(`${label}: invalid payload: ${fields.join('; ')}`, { fields });
  }
  return { name: name as JobName<Q>, data: parsed.data };
}
