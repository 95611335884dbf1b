import { CanonicalBatch, StreamKind } from './canonical';

/**
 * The contract every PMS connector implements. Pulls are async streams of pages so memory stays
 * flat however large the account. A connector knows its vendor; the sync runner knows only this.
 */

export interface ConnectionContext {
  connectionId: string;
  tenantId: string;
  /** Decrypted credentials (never logged). */
  credentials: Record<string, unknown>;
  /** Currency of the connection ('USD' when unknown). */
  currency: string;
  /** Abort when the job is shutting down or cancelled. */
  signal?: AbortSignal;
}

export interface PullOptions {
  /** Streams to pull (from the job's steps); all when undefined. */
  streams?: StreamKind[];
  /** Per-stream resume point saved after a committed page (checkpoint of an interrupted run). */
  resume?: Partial<Record<StreamKind, unknown>>;
  /** Incremental only: per-stream modified-since cursors (UTC ISO) from pms_connections.sync_state. */
  since?: Partial<Record<'debtorsSince' | 'leasesSince' | 'chargesSince' | 'paymentsSince', string>>;
}

/** A page plus where to resume after it, and the high-water mark of modification times seen. */
export type PulledPage = CanonicalBatch & {
  /** Opaque resume point after this page, saved once the page is committed. */
  resume?: unknown;
  /** Highest lastExternalUpdatedAt (or equivalent) in the page, UTC ISO; drives incremental cursors. */
  maxModifiedAt?: string | null;
  /** Which endpoint and page this came from, for error messages and stats. */
  source?: { endpoint: string; page?: number };
};

export interface TestConnectionResult {
  ok: boolean;
  /** A message for the user: bad credentials, unknown account, rate-limited, unreachable... */
  message: string;
  code?: 'OK' | 'BAD_CREDENTIALS' | 'UNKNOWN_ACCOUNT' | 'FORBIDDEN' | 'RATE_LIMITED' | 'UNREACHABLE' | 'ERROR';
  externalAccountId?: string | null;
}

/** Narrow pre-dial read of one lease's balance (CALL_CASE freshness check). */
export interface LeaseBalanceRead {
  leaseExternalId: string;
  balanceCents: number;
  pastDueCents?: number | null;
  asOf: string;
}

export interface PmsConnector {
  /** softwares.key */
  readonly key: string;
  testConnection(ctx: ConnectionContext): Promise<TestConnectionResult>;
  /** Everything; a complete successful full pull allows soft-deletes. */
  pullFull(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage>;
  /** Only what changed since the cursors (re-reading the boundary). */
  pullIncremental(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage>;
  /** Whether the vendor supports modified-since pulls for at least the leases stream. */
  readonly supportsIncremental: boolean;
  /** Optional: one narrow request for a lease balance (pre-dial freshness). */
  fetchLeaseBalance?(ctx: ConnectionContext, leaseExternalId: string): Promise<LeaseBalanceRead | null>;
}

/** The PMS itself failed (HTTP status, network): fails the run, sets the connection to error. */
export class PmsApiError extends Error {
  constructor(
    message: string,
    readonly details: { software: string; endpoint: string; status?: number; page?: number; code?: string; retryable?: boolean },
  ) {
    super(message);
    this.name = 'PmsApiError';
  }
}

/** Credentials rejected by the PMS (401/403): the run fails without retry. */
export class PmsAuthError extends PmsApiError {
  constructor(message: string, details: PmsApiError['details']) {
    super(message, { ...details, retryable: false });
    this.name = 'PmsAuthError';
  }
}
