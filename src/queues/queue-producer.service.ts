import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { JobsOptions, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config.service';
import { AUTOMATION_MAINTENANCE_QUEUE, CASE_ACTIONS_QUEUE, COLLECTION_TICK_QUEUE, PMS_SYNC_QUEUE } from './queue-names';
import { AutomationActionPayload, automationActionPayload, CallCasePayload, CallSummaryPayload, CasesPayload, JOB_MAP, MaintenancePayload, SyncPayload, validateJob } from './job-map';

export interface AutomationAction {
  name: 'CALL_CASE' | 'SMS_CASE' | 'EMAIL_CASE';
  payload: AutomationActionPayload;
  jobId: string;
}

export interface BulkCall {
  payload: CallCasePayload;
  jobId: string;
}

/** Custom job ids: BullMQ rejects ':' and all-digit ids. */
export function safeJobId(id: string): string {
  const cleaned = id.replace(/:/g, '-');
  if (/^\d+$/.test(cleaned)) return `j-${cleaned}`;
  return cleaned;
}

/**
 * The one producer every enqueue goes through. Payloads are validated before they are sent, and
 * job options match what the API uses for the same jobs (docs/queue-contract.md), so a job we enqueue
 * is indistinguishable from one the API enqueues.
 */
@Injectable()
export class QueueProducer {
  constructor(
    @InjectQueue(PMS_SYNC_QUEUE) readonly pmsSync: Queue,
    @InjectQueue(CASE_ACTIONS_QUEUE) readonly caseActions: Queue,
    @InjectQueue(COLLECTION_TICK_QUEUE) readonly collectionTick: Queue,
    @InjectQueue(AUTOMATION_MAINTENANCE_QUEUE) readonly automationMaintenance: Queue,
    private readonly config: AppConfig,
  ) {}

  private caseActionDefaults(): JobsOptions {
    return {
      attempts: this.config.get('WORKER_ATTEMPTS'),
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    };
  }

  async enqueueSync(payload: SyncPayload, opts: JobsOptions = {}) {
    validateJob(PMS_SYNC_QUEUE, 'sync', payload);
    return this.pmsSync.add('sync', payload, {
      attempts: 2,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
      ...opts,
      jobId: opts.jobId ? safeJobId(opts.jobId) : undefined,
    });
  }

  async enqueueCasesJob(name: 'build-new-cases' | 'build-cases' | 'refresh-cases' | 'sync-full-flow', payload: CasesPayload, opts: JobsOptions = {}) {
    validateJob(PMS_SYNC_QUEUE, name, payload);
    return this.pmsSync.add(name, payload, {
      attempts: name === 'sync-full-flow' ? 1 : 2,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
      ...opts,
      jobId: opts.jobId ? safeJobId(opts.jobId) : undefined,
    });
  }

  /** On-demand call, with the API's job id shape. */
  async enqueueCallOnDemand(payload: CallCasePayload) {
    validateJob(CASE_ACTIONS_QUEUE, 'CALL_CASE', payload);
    return this.caseActions.add('CALL_CASE', payload, {
      ...this.caseActionDefaults(),
      jobId: safeJobId(`CALL_CASE-on-demand-${payload.caseId}-${Date.now()}`),
    });
  }

  /** Atomic bulk enqueue with deterministic ids (duplicates are ignored by BullMQ). */
  async enqueueCallsBulk(calls: BulkCall[]) {
    if (calls.length === 0) return [];
    for (const c of calls) validateJob(CASE_ACTIONS_QUEUE, 'CALL_CASE', c.payload);
    return this.caseActions.addBulk(
      calls.map((c) => ({ name: 'CALL_CASE', data: c.payload, opts: { ...this.caseActionDefaults(), jobId: safeJobId(c.jobId) } })),
    );
  }

  /**
   * The collection tick's dispatches, atomically, with the API's case-action options and ids
   * deterministic per state and slot (a second tick of the same slot adds nothing). The payload is
   * checked here against the automation shape: SMS_CASE/EMAIL_CASE may not have a handler in this build.
   */
  async enqueueAutomationActions(actions: AutomationAction[]) {
    if (actions.length === 0) return [];
    for (const a of actions) {
      const r = automationActionPayload.safeParse(a.payload);
      if (!r.success) throw new Error(`${a.name} ${a.jobId}: invalid payload: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return this.caseActions.addBulk(actions.map((a) => ({ name: a.name, data: a.payload, opts: { ...this.caseActionDefaults(), jobId: safeJobId(a.jobId) } })));
  }

  /** One `tick` per slot: the id is the slot, so several schedulers enqueue one. */
  async enqueueTick(jobId: string) {
    return this.collectionTick.add('tick', {}, { attempts: 2, backoff: { type: 'exponential', delay: 10000 }, removeOnComplete: 200, removeOnFail: 1000, jobId: safeJobId(jobId) });
  }

  async enqueueMaintenance(name: 'hourly' | 'daily', payload: MaintenancePayload, jobId: string) {
    validateJob(AUTOMATION_MAINTENANCE_QUEUE, name, payload);
    return this.automationMaintenance.add(name, payload, { attempts: 1, removeOnComplete: 1000, removeOnFail: 5000, jobId: safeJobId(jobId) });
  }

  async enqueueCallSummary(payload: CallSummaryPayload, opts: JobsOptions = {}) {
    validateJob(CASE_ACTIONS_QUEUE, 'SYNC_CALL_SUMMARY', payload);
    return this.caseActions.add('SYNC_CALL_SUMMARY', payload, { ...this.caseActionDefaults(), ...opts, jobId: opts.jobId ? safeJobId(opts.jobId) : undefined });
  }

  async enqueueReconcileCalls(jobId: string) {
    return this.caseActions.add('RECONCILE_CALLS', {}, { attempts: 1, removeOnComplete: 100, removeOnFail: 1000, jobId: safeJobId(jobId) });
  }

  get jobMap() {
    return JOB_MAP;
  }
}
