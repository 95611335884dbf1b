import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { ConnectionLoader } from '../connectors/connection-loader';
import { PmsAuthError } from '../connectors/connector.types';
import { CredentialsError } from '../common/credentials-crypto';
import { PermanentJobError, TransientError, errorMessage } from '../common/errors';
import { CallsRepository } from './calls.repository';

export interface FreshnessCase {
  id: string;
  tenant_id: string;
  pms_lease_id: string | null;
  lease_external_id: string | null;
  pms_connection_id: string | null;
  last_pms_sync_at: Date | null;
  amount_due_cents: string | number;
}

export type FreshnessResult =
  | { checked: false; reason: 'NO_PMS_LEASE' | 'RECENTLY_SYNCED' | 'NOT_SUPPORTED'; lastPmsSyncAt: string | null }
  | { checked: true; paid: boolean; balanceCents: number; previousCents: number; asOf: string; found: boolean };

/**
 * Pre-dial freshness (docs/call-rules.md, other stop conditions): when the case comes from a PMS lease not synced within
 * CALL_FRESHNESS_MINUTES, one narrow read of that lease's balance through the connector. A balance
 * at or below zero closes the case as PAID (the call is cancelled); a changed balance is written to
 * the case. A PMS that cannot be read fails the attempt (retried): we would rather call late than
 * call someone who paid this morning.
 */
@Injectable()
export class PreDialFreshness {
  constructor(
    private readonly calls: CallsRepository,
    private readonly config: AppConfig,
    private readonly connections: ConnectionLoader,
  ) {}

  async check(c: FreshnessCase, now: Date, signal?: AbortSignal): Promise<FreshnessResult> {
    const last = c.last_pms_sync_at ? new Date(c.last_pms_sync_at) : null;
    const lastIso = last ? last.toISOString() : null;
    if (!c.pms_lease_id || !c.lease_external_id || !c.pms_connection_id) return { checked: false, reason: 'NO_PMS_LEASE', lastPmsSyncAt: lastIso };
    const maxAgeMs = this.config.get('CALL_FRESHNESS_MINUTES') * 60_000;
    if (last && now.getTime() - last.getTime() <= maxAgeMs) return { checked: false, reason: 'RECENTLY_SYNCED', lastPmsSyncAt: lastIso };

    const conn = await this.connections.find(c.pms_connection_id);
    if (!conn || conn.tenant_id !== c.tenant_id) return { checked: false, reason: 'NOT_SUPPORTED', lastPmsSyncAt: lastIso };
    const connector = this.connections.connectorOf(conn.software_key);
    if (!connector) return { checked: false, reason: 'NOT_SUPPORTED', lastPmsSyncAt: lastIso };
    if (typeof connector.fetchLeaseBalance !== 'function') return { checked: false, reason: 'NOT_SUPPORTED', lastPmsSyncAt: lastIso };

    let credentials: Record<string, unknown>;
    try {
      credentials = this.connections.decrypt(conn.credentials);
    } catch (err) {
      if (err instanceof CredentialsError) throw new PermanentJobError(`pre-dial balance check: ${err.message}`);
      throw err;
    }
    let read;
    try {
      read = await connector.fetchLeaseBalance({ connectionId: conn.id, tenantId: c.tenant_id, credentials, currency: 'USD', signal }, c.lease_external_id);
    } catch (err) {
      if (err instanceof PmsAuthError) throw new PermanentJobError(`pre-dial balance check: the PMS rejected the credentials: ${err.message}`);
      throw new TransientError(`pre-dial balance check failed, not calling on stale data: ${errorMessage(err)}`);
    }
    const previousCents = Number(c.amount_due_cents);
    if (!read) {
      // The lease is gone from the PMS: nothing to compare; the sync will deal with it. Call on
      // the synced data, and say so in the evidence.
      return { checked: true, paid: false, balanceCents: previousCents, previousCents, asOf: now.toISOString(), found: false };
    }
    const paid = read.balanceCents <= 0;
    if (paid || read.balanceCents !== previousCents) {
      await this.calls.refreshCaseBalance(c.id, {
        balanceCents: read.balanceCents,
        at: now,
        freshness: { at: now.toISOString(), previousCents, balanceCents: read.balanceCents, asOf: read.asOf, callCancelled: paid },
      });
    }
    return { checked: true, paid, balanceCents: read.balanceCents, previousCents, asOf: read.asOf, found: true };
  }
}
