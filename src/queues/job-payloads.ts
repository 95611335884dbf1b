import { z } from 'zod';

/**
 * The payload of every job, as zod schemas, exactly as the API enqueues them (docs/queue-contract.md).
 * Unknown extra fields are tolerated (the API may add some); a wrong type or a missing required field
 * is not. Which job carries which payload, and with which options, is the job catalog (job-catalog.ts).
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

/** Internal: periodic reconciliation of calls stuck in queued/in_progress. */
export const reconcilePayload = z.looseObject({ olderThanSeconds: z.number().int().positive().optional() });

export type SyncPayload = z.infer<typeof syncPayload>;
export type CasesPayload = z.infer<typeof casesPayload>;
export type CallCasePayload = z.infer<typeof callCasePayload>;
export type CallSummaryPayload = z.infer<typeof callSummaryPayload>;
export type MessageCasePayload = z.infer<typeof messageCasePayload>;
export type AutomationActionPayload = z.infer<typeof automationActionPayload>;
export type TickPayload = z.infer<typeof tickPayload>;
export type MaintenancePayload = z.infer<typeof maintenancePayload>;
export type ReconcilePayload = z.infer<typeof reconcilePayload>;
