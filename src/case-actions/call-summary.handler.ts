import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { PermanentJobError, TransientError } from '../common/errors';
import { JobContext } from '../queues/job-context';
import { CallSummaryPayload } from '../queues/job-payloads';
import { CallRulesLoader, evaluateCallRules } from '../calls/rules';
import { CallsRepository, InteractionRow } from '../calls/calls.repository';
import { parseCallSummary, transcriptText } from '../calls/summary/call-summary.schema';
import { S3SummaryStore, SummaryNotFoundError, summaryPrefix } from '../calls/summary/s3-summary.store';
import { OutcomePlan, planForOutcome } from '../calls/summary/summary-outcomes';

export interface CallSummaryResult {
  applied: boolean;
  alreadyApplied?: boolean;
  interactionId: string;
  key: string | null;
  outcome?: string;
  interactionOutcome?: string | null;
  caseStatus?: string;
  nextActionAt?: string | null;
  agreementId?: string | null;
}

/**
 * SYNC_CALL_SUMMARY: read the call's summary JSON from S3, validate it, and apply it exactly once
 * (the interaction row is locked and ai_data.summary marks it applied: a second run changes nothing).
 * A missing object is retried with backoff (the error names the key); a malformed one fails without
 * retry naming the field.
 */
@Injectable()
export class CallSummaryHandler {
  constructor(
    private readonly calls: CallsRepository,
    private readonly config: AppConfig,
    private readonly store: S3SummaryStore,
    private readonly rules: CallRulesLoader,
  ) {}

  async handle(ctx: JobContext<CallSummaryPayload>): Promise<CallSummaryResult> {
    this.config.requireFeature('summaries');
    const { tenantId, interactionId, callSid, key } = ctx.data;

    let row: InteractionRow | null;
    if (interactionId) {
      row = await this.calls.interactionById(interactionId, tenantId);
      if (!row) throw new PermanentJobError(`interaction ${interactionId} not found for tenant ${tenantId}`);
      if (callSid && row.provider_ref && row.provider_ref !== callSid) {
        throw new PermanentJobError(`interaction ${interactionId} belongs to call ${row.provider_ref}, not ${callSid}`);
      }
    } else {
      row = await this.calls.interactionBySid(tenantId, callSid as string);
      // The SID is written right after Twilio answers; a summary can only race a crashed dial.
      if (!row) throw new TransientError(`no call interaction with provider_ref ${callSid} for tenant ${tenantId} (yet)`);
    }
    if (row.ai_data?.summary?.appliedAt) {
      return { applied: false, alreadyApplied: true, interactionId: row.id, key: row.ai_data.summary.key ?? null };
    }
    const sid: string | null = callSid ?? row.provider_ref ?? null;
    if (!key && !sid) throw new PermanentJobError(`interaction ${row.id} has no call SID and the job gives no key: cannot locate the summary`);

    const objectKey = key ?? (await this.store.newestSummaryKey(sid as string));
    if (!objectKey) throw new SummaryNotFoundError(`s3://${this.store.bucket}/${summaryPrefix(sid as string)}summary-*.json`);
    const obj = await this.store.get(objectKey);

    let summary;
    try {
      summary = parseCallSummary(obj.body);
    } catch (err) {
      throw new PermanentJobError(`${(err as Error).message} (s3://${obj.bucket}/${obj.key})`);
    }
    if (sid && summary.callSid !== sid) {
      throw new PermanentJobError(`summary callSid ${summary.callSid} does not match the interaction's call ${sid} (s3://${obj.bucket}/${obj.key})`);
    }

    const plan = planForOutcome(summary);
    const now = new Date();
    const found = row;
    const result = await this.calls.transaction(async (tx, m) => {
      const locked = await tx.interactionById(found.id, tenantId, { forUpdate: true });
      if (locked?.ai_data?.summary?.appliedAt) {
        return { applied: false, alreadyApplied: true, interactionId: found.id, key: locked.ai_data.summary.key ?? null } as CallSummaryResult;
      }
      await tx.applySummary(found.id, {
        outcome: plan.interactionOutcome,
        transcript: transcriptText(summary.transcript),
        summary: summary.summary,
        startedAt: new Date(summary.startedAt),
        endedAt: new Date(summary.endedAt),
        aiData: {
          summary: { bucket: obj.bucket, key: obj.key, etag: obj.etag, appliedAt: now.toISOString(), outcome: summary.outcome, streamSid: summary.streamSid ?? null },
          transcript: summary.transcript,
          events: summary.events,
          finalState: summary.final_state ?? null,
        },
      });
      let agreementId: string | null = null;
      let nextActionAt: Date | null = null;
      if (found.debt_case_id) {
        if (plan.agreement) {
          const a = plan.agreement;
          agreementId = await tx.insertAgreement({ ...a, tenantId, caseId: found.debt_case_id, callSid: summary.callSid, terms: { ...a.terms, interactionId: found.id } });
        }
        if (plan.doNotCall && found.debtor_id) {
          await tx.markDoNotCall(found.debtor_id, tenantId, { interactionId: found.id, callSid: summary.callSid, at: now.toISOString() });
        }
        nextActionAt = await this.nextAction(m, found.debt_case_id, plan, now);
        await tx.caseAfterSummary(found.debt_case_id, {
          status: plan.caseStatus,
          nextActionAt,
          lastCallOutcome: { interactionId: found.id, outcome: summary.outcome, at: now.toISOString() },
        });
      }
      return {
        applied: true,
        interactionId: found.id,
        key: obj.key,
        outcome: summary.outcome,
        interactionOutcome: plan.interactionOutcome,
        caseStatus: plan.caseStatus,
        nextActionAt: nextActionAt?.toISOString() ?? null,
        agreementId,
      } as CallSummaryResult;
    });
    ctx.log.info({ interactionId: row.id, outcome: summary.outcome, applied: result.applied }, result.applied ? 'call summary applied' : 'call summary already applied');
    return result;
  }

  /**
   * The next action of the case under the call rules, read inside the transaction (so this call's
   * outcome counts: a conversation holds the case for 7 days). A requested time is moved to the
   * first moment the rules allow at or after it; the cooldown applies in any case.
   */
  private async nextAction(m: EntityManager, caseId: string, plan: OutcomePlan, now: Date): Promise<Date | null> {
    if (plan.next === 'none') return null;
    const input = await this.rules.loadForCase(caseId, { now, manager: m });
    if (!input) return null;
    const cooldown = new Date(now.getTime() + this.config.get('SCHEDULER_COOLDOWN_MINUTES') * 60_000);
    const from = plan.notBefore && plan.notBefore.getTime() > cooldown.getTime() ? plan.notBefore : cooldown;
    const d = evaluateCallRules({ ...input, callInProgress: false }, from);
    return d.allowed ? from : d.nextAllowedAt;
  }
}
