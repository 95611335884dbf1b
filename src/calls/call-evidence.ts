import { CallDecision } from './rules';
import { FreshnessResult } from './pre-dial-freshness.service';

export interface EvidenceCase {
  amount_due_cents: string | number;
  currency: string;
  days_past_due: number;
  pms_connection_id: string | null;
  pms_lease_id: string | null;
  lease_external_id: string | null;
  last_pms_sync_at: Date | null;
}

/**
 * The evidence a placed call relied on (docs/call-rules.md, evidence), kept in worker_interactions.evidence:
 * balance and days past due, the sync run the data came from, the time zones and local times used,
 * every rule check passed, the pre-dial PMS read, and the number dialed.
 */
export function buildEvidence(
  c: EvidenceCase,
  decision: Extract<CallDecision, { allowed: true }>,
  freshness: FreshnessResult,
  syncRun: { id: string; finished_at: Date | null } | null,
  job: { id: string; attempt: number },
): Record<string, unknown> {
  const balanceCents = freshness.checked && freshness.found ? freshness.balanceCents : Number(c.amount_due_cents);
  return {
    version: 1,
    balance: { amountDueCents: balanceCents, currency: c.currency, daysPastDue: c.days_past_due },
    data: {
      pmsConnectionId: c.pms_connection_id,
      pmsLeaseId: c.pms_lease_id,
      leaseExternalId: c.lease_external_id,
      lastPmsSyncAt: c.last_pms_sync_at ? new Date(c.last_pms_sync_at).toISOString() : null,
      syncRunId: syncRun?.id ?? null,
      syncRunFinishedAt: syncRun?.finished_at ? new Date(syncRun.finished_at).toISOString() : null,
    },
    preDialFreshness: freshness,
    rules: { decision: 'allowed', ...decision.evidence },
    dialedTo: decision.evidence.phoneE164,
    job,
  };
}
