import type { Logger as PinoInstance } from 'pino';
import { StreamKind } from '../connectors/canonical';
import { SyncStep } from '../queues/job-payloads';
import { AgingSummary } from './aging.service';
import { CaseCounts } from './cases.service';

/** What a sync run records and returns, shared by the runner, its phases and its callers. */

export const STEP_STREAMS: Record<SyncStep, StreamKind[]> = {
  debtors_leases: ['debtors', 'portfolios', 'properties', 'units', 'leases'],
  charges: ['charges'],
  payments: ['payments'],
  balances_aging: ['balances'],
};

export interface TableCounts {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  stale: number;
  skipped: number;
  missingRelations: number;
}

export interface SyncStats {
  mode: 'full' | 'incremental';
  steps: SyncStep[];
  pages: number;
  tables: Partial<Record<StreamKind, TableCounts>>;
  skippedReasons: Partial<Record<StreamKind, Record<string, number>>>;
  skippedSample: { stream: StreamKind; id: string | null; reason: string }[];
  missingRelations: Record<string, { count: number; sample: string[] }>;
  softDeleted?: { debtors: number; leases: number };
  /** pms_debtor_contacts rows written */
  contacts?: { created: number; updated: number; deleted: number };
  aging?: AgingSummary;
  reconciliation?: AgingSummary['reconciliation'];
  cases?: CaseCounts;
  summary?: SyncSummary;
}

/** Where a run stands (worker_sync_runs.checkpoint): what a resumed run skips. */
export interface Checkpoint {
  done?: StreamKind[];
  resume?: Partial<Record<StreamKind, unknown>>;
  maxModified?: Partial<Record<StreamKind, string>>;
  pullComplete?: boolean;
  agingDone?: boolean;
}

export interface SyncSummary {
  runId: string;
  status: 'completed';
  mode: 'full' | 'incremental';
  counts: Partial<Record<StreamKind, TableCounts>>;
  softDeleted?: { debtors: number; leases: number };
  aging?: { asOfDate: string; totalCents: number; leasesPastDue: number; mismatches: number };
  cases?: CaseCounts;
  durationMs: number;
  resumed?: boolean;
  idempotentReplay?: boolean;
}

export interface RunSyncOptions {
  connectionId: string;
  tenantId: string;
  trigger?: 'manual' | 'scheduled' | 'webhook';
  steps?: SyncStep[] | null;
  idempotencyKey?: string;
  /** the BullMQ job id: a retried or recovered job resumes the run it owns */
  jobId?: string;
  /** build and refresh cases after balances (default true) */
  cases?: boolean;
  progress?: (p: Record<string, unknown>) => Promise<void> | void;
  log?: PinoInstance;
  signal?: AbortSignal;
}

/** Another sync of the connection is running (fresh heartbeat): its job waits (sync-jobs.handler). */
export class SyncBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncBusyError';
  }
}

/**
 * The worker is shutting down: the run stopped at a page boundary, everything before it committed
 * with its checkpoint. The run stays open (pending) and the job resumes it.
 */
export class SyncInterruptedError extends Error {
  constructor() {
    super('sync interrupted: the worker is shutting down; the run resumes from its checkpoint');
    this.name = 'SyncInterruptedError';
  }
}
