import type { DataSource } from 'typeorm';
import { CallDecision, CallRuleInput, HoldReason, evaluateCallRules, loadCallRuleInputs } from '../calls/rules';
import { ClaimDecision, DueCase, DueCaseQuery, SchedulerRepository } from './scheduler.repository';
import { JOB_IDS } from '../queues/job-catalog';
import type { CallCasePayload } from '../queues/job-payloads';

/**
 * One scheduling pass over the due debt cases, independent of Nest so the benchmark and tests can
 * drive it with a data source (and a SchedulerRepository) of their own. In a transaction: select and lock the due cases (fair per tenant),
 * load every rule input in one set-based query, decide with the shared pure rules, enqueue the
 * allowed ones (deterministic job ids), move every claimed case's next_action_at (cooldown when
 * called, earliest lawful moment when held, with meta.callHold), commit.
 */

export interface CallPassConfig {
  limit: number;
  perTenantLimit: number;
  cooldownMinutes: number;
  includeDemoCases: boolean;
  tenantId: string | null;
}

export interface CallHoldRecord {
  reason: HoldReason;
  detail: string;
  /** the earliest lawful moment; null when only new data can lift the hold */
  until: string | null;
  /** when the case will be looked at again (next_action_at) */
  recheckAt: string;
  permanent: boolean;
  at: string;
}

export interface HeldCase {
  caseId: string;
  tenantId: string;
  reason: HoldReason;
  detail: string;
  nextAllowedAt: string | null;
  nextActionAt: string;
}

export interface CalledCase {
  caseId: string;
  tenantId: string;
  jobId: string;
  timezones: { zone: string; source: string; localTime: string }[];
}

export interface CallPassResult {
  slot: string;
  dryRun: boolean;
  selected: number;
  called: number;
  held: number;
  heldByReason: Partial<Record<HoldReason, number>>;
  /** dry run only: due cases the per-tenant / global limits left for a later pass */
  notSelectedByLimits?: number;
  calls?: CalledCase[];
  holds?: HeldCase[];
}

/** Minute slot of a pass, YYYYMMDDHHmm (UTC): two schedulers in the same minute share job ids. */
export function minuteSlot(now: Date): string {
  return now.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

export function decide(
  ids: DueCase[],
  inputs: Map<string, CallRuleInput>,
  now: Date,
  cfg: CallPassConfig,
  slot: string,
): { calls: CalledCase[]; holds: (HeldCase & { record: CallHoldRecord })[]; decisions: Map<string, CallDecision> } {
  const calls: CalledCase[] = [];
  const holds: (HeldCase & { record: CallHoldRecord })[] = [];
  const decisions = new Map<string, CallDecision>();
  const recheck = new Date(now.getTime() + cfg.cooldownMinutes * 60_000);
  for (const row of ids) {
    const input = inputs.get(row.id);
    if (!input) continue; // deleted between the two statements of the transaction: nothing to do
    const d = evaluateCallRules(input, now);
    decisions.set(row.id, d);
    if (d.allowed) {
      calls.push({ caseId: row.id, tenantId: row.tenant_id, jobId: JOB_IDS.scheduledCall(row.id, slot), timezones: d.evidence.timezones });
    } else {
      const next = d.nextAllowedAt ?? recheck;
      holds.push({
        caseId: row.id,
        tenantId: row.tenant_id,
        reason: d.reason,
        detail: d.detail,
        nextAllowedAt: d.nextAllowedAt ? d.nextAllowedAt.toISOString() : null,
        nextActionAt: next.toISOString(),
        record: {
          reason: d.reason,
          detail: d.detail,
          until: d.nextAllowedAt ? d.nextAllowedAt.toISOString() : null,
          recheckAt: next.toISOString(),
          permanent: d.permanent,
          at: now.toISOString(),
        },
      });
    }
  }
  return { calls, holds, decisions };
}

function countByReason(holds: { reason: HoldReason }[]): Partial<Record<HoldReason, number>> {
  const out: Partial<Record<HoldReason, number>> = {};
  for (const h of holds) out[h.reason] = (out[h.reason] ?? 0) + 1;
  return out;
}

export async function runCallPass(opts: {
  now: Date;
  cfg: CallPassConfig;
  dryRun: boolean;
  /** the pass's transaction is opened on it */
  db: DataSource;
  scheduler: SchedulerRepository;
  /** enqueues CALL_CASE jobs (called inside the transaction, before commit) */
  enqueue: (calls: Array<{ payload: CallCasePayload; jobId: string }>) => Promise<unknown>;
  /** include the per-case lists in the result (always in a dry run) */
  detailed?: boolean;
}): Promise<CallPassResult> {
  const { now, cfg, dryRun } = opts;
  const slot = minuteSlot(now);
  return opts.db.transaction(async (m) => {
    if (dryRun) await m.query('SET TRANSACTION READ ONLY');
    const q: DueCaseQuery = { now, includeDemoCases: cfg.includeDemoCases, perTenantLimit: cfg.perTenantLimit, limit: cfg.limit, tenantId: cfg.tenantId };
    const due = dryRun ? await opts.scheduler.peekDueCases(m, q) : await opts.scheduler.claimDueCases(m, q);
    const inputs = await loadCallRuleInputs(
      m,
      due.map((r) => r.id),
      now,
    );
    const { calls, holds } = decide(due, inputs, now, cfg, slot);
    const result: CallPassResult = {
      slot,
      dryRun,
      selected: due.length,
      called: calls.length,
      held: holds.length,
      heldByReason: countByReason(holds),
    };
    if (dryRun) {
      const total = await opts.scheduler.countDueCases(m, q);
      result.notSelectedByLimits = Math.max(0, total - due.length);
      result.calls = calls;
      result.holds = holds.map(({ record: _r, ...h }) => h);
      return result;
    }
    if (due.length > 0) {
      const cooldownUntil = new Date(now.getTime() + cfg.cooldownMinutes * 60_000).toISOString();
      const decisions: ClaimDecision[] = [
        ...calls.map((c) => ({ caseId: c.caseId, nextActionAt: cooldownUntil, hold: null })),
        ...holds.map((h) => ({ caseId: h.caseId, nextActionAt: h.nextActionAt, hold: h.record })),
      ];
      await opts.scheduler.applyClaim(m, decisions);
      if (calls.length > 0) {
        await opts.enqueue(calls.map((c) => ({ payload: { tenantId: c.tenantId, caseId: c.caseId }, jobId: c.jobId })));
      }
    }
    if (opts.detailed) {
      result.calls = calls;
      result.holds = holds.map(({ record: _r, ...h }) => h);
    }
    return result;
  });
}
