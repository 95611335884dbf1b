import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Db } from '../../database/sql';
import { CallRuleInput } from './call-rules.types';
import { CALL_RULE_INPUTS_SQL, CallRuleInputRow, callRuleInputParams, rowToCallRuleInput } from './call-rules.queries';

/** Loads the call-rule inputs of many cases in one query (the scheduler's claim uses it). */
export async function loadCallRuleInputs(db: Db, caseIds: string[], now: Date, ignoreInteractionId: string | null = null): Promise<Map<string, CallRuleInput>> {
  if (caseIds.length === 0) return new Map();
  return callRuleInputsByCase(await db.query<CallRuleInputRow[]>(CALL_RULE_INPUTS_SQL, callRuleInputParams(caseIds, now, ignoreInteractionId)));
}

/** The rows of CALL_RULE_INPUTS_SQL by case id. */
export function callRuleInputsByCase(rows: CallRuleInputRow[]): Map<string, CallRuleInput> {
  const out = new Map<string, CallRuleInput>();
  for (const r of rows) out.set(r.case_id, rowToCallRuleInput(r));
  return out;
}

/**
 * Fills CallRuleInput from Postgres for CALL_CASE at dial time: one SQL query over the case, debtor
 * (+ PMS debtor flags, phone, zone), lease property address, tenant zone, attempts of the last 14 days,
 * last conversation, open disputes and calls in progress.
 */
@Injectable()
export class CallRulesLoader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * @param opts.ignoreInteractionId the caller's own interaction row (already inserted as queued):
   *   not counted as "a call in progress" (it still counts as an attempt).
   * @param opts.manager run inside the caller's transaction.
   */
  async loadForCase(caseId: string, opts: { now?: Date; ignoreInteractionId?: string | null; manager?: EntityManager } = {}): Promise<CallRuleInput | null> {
    const map = await loadCallRuleInputs(opts.manager ?? this.dataSource, [caseId], opts.now ?? new Date(), opts.ignoreInteractionId ?? null);
    return map.get(caseId) ?? null;
  }
}
