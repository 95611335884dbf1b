import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { JobContext } from '../queues/job-context';
import { CallsRepository, StaleCallRow } from '../calls/calls.repository';
import { ProviderCall, TwilioVoiceClient } from '../calls/twilio/twilio-voice.client';
import { classifyTwilioError } from '../calls/twilio/twilio-errors';
import { findCallOfDial } from '../calls/twilio/twilio-match';

/** How many stale calls one run looks at (the next run takes the rest). */
export const RECONCILE_BATCH = 200;

const FINAL = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** Twilio final status -> interaction status, outcome, and the case status when it was IN_PROGRESS. */
export function closingFor(call: Pick<ProviderCall, 'status' | 'answeredBy'>): { status: string; outcome: string; caseStatus: string } {
  switch (call.status) {
    case 'completed':
      // Answered, but no summary arrived: a machine is a voicemail; a person counts as a conversation
      // (the conservative reading: it starts the 7-day hold).
      return call.answeredBy && call.answeredBy.startsWith('machine')
        ? { status: 'completed', outcome: 'VOICEMAIL', caseStatus: 'NO_ANSWER' }
        : { status: 'completed', outcome: 'CONNECTED', caseStatus: 'CONTACTED' };
    case 'busy':
    case 'no-answer':
    case 'canceled':
      return { status: 'no_answer', outcome: 'NO_ANSWER', caseStatus: 'NO_ANSWER' };
    default:
      return { status: 'failed', outcome: 'FAILED', caseStatus: 'NO_ANSWER' };
  }
}

export interface ReconcileResult {
  examined: number;
  closed: number;
  stillLive: number;
  neverDialed: number;
  errors: number;
}

/**
 * RECONCILE_CALLS {olderThanSeconds?}: CALL interactions still queued/in_progress after
 * CALL_STALE_TTL_SECONDS are closed with Twilio's final status, so no case stays stuck. A queued one
 * without a SID is looked up in Twilio's call list (its dial may have left before a crash); if
 * Twilio has no such call it is closed as canceled (never dialed).
 */
@Injectable()
export class ReconcileCallsHandler {
  constructor(
    private readonly calls: CallsRepository,
    private readonly config: AppConfig,
    private readonly twilio: TwilioVoiceClient,
  ) {}

  async handle(ctx: JobContext<{ olderThanSeconds?: number }>): Promise<ReconcileResult> {
    const olderThan = ctx.data?.olderThanSeconds ?? this.config.get('CALL_STALE_TTL_SECONDS');
    const rows = await this.calls.staleCalls(olderThan, RECONCILE_BATCH);
    const out: ReconcileResult = { examined: rows.length, closed: 0, stillLive: 0, neverDialed: 0, errors: 0 };
    const twilioReady = !!(this.config.get('TWILIO_ACCOUNT_SID') && this.config.get('TWILIO_AUTH_TOKEN'));
    for (const row of rows) {
      try {
        const r = await this.reconcileOne(row, twilioReady);
        out[r] += 1;
      } catch (err) {
        out.errors += 1;
        ctx.log.warn({ interactionId: row.id, err }, 'could not reconcile a stale call; the next run tries again');
      }
    }
    ctx.log.info(out, 'stale calls reconciled');
    return out;
  }

  private async reconcileOne(row: StaleCallRow, twilioReady: boolean): Promise<'closed' | 'stillLive' | 'neverDialed'> {
    const now = new Date();
    let call: ProviderCall | null = null;
    if (row.provider_ref) {
      if (!twilioReady || row.status === 'simulated') return 'stillLive';
      try {
        call = await this.twilio.fetchCall(row.provider_ref);
      } catch (err) {
        const f = classifyTwilioError(err);
        if (f.status !== 404) throw err;
        await this.close(row, 'failed', 'FAILED', 'NO_ANSWER', null, null, { reason: 'NOT_FOUND_AT_TWILIO', code: f.code, message: f.message }, now);
        return 'closed';
      }
    } else {
      const ev = row.evidence ?? {};
      if (ev.dialAttemptedAt && ev.dialedTo && ev.dialedFrom && twilioReady) {
        call = await findCallOfDial(this.twilio, this.calls, row, { to: ev.dialedTo, from: ev.dialedFrom, at: new Date(ev.dialAttemptedAt) });
      } else if (ev.dialAttemptedAt && !twilioReady) {
        return 'stillLive';
      }
      if (!call) {
        await this.close(row, 'canceled', null, 'NO_ANSWER', null, null, { reason: 'NEVER_DIALED', detail: 'recorded before dialing, and Twilio has no matching call' }, now);
        return 'neverDialed';
      }
    }
    if (!FINAL.has(call.status)) {
      if (!row.provider_ref) await this.calls.markPlaced(row.id, { sid: call.sid, status: 'in_progress', startedAt: call.startTime ?? now, evidence: { twilio: { sid: call.sid, status: call.status, foundByReconciliation: true } } });
      return 'stillLive';
    }
    const c = closingFor(call);
    await this.close(row, c.status, c.outcome, c.caseStatus, call, call.sid, null, now);
    return 'closed';
  }

  private async close(row: StaleCallRow, status: string, outcome: string | null, caseStatus: string, call: ProviderCall | null, sid: string | null, error: Record<string, unknown> | null, now: Date): Promise<void> {
    const recon = {
      at: now.toISOString(),
      twilioStatus: call?.status ?? null,
      durationSeconds: call?.duration ?? null,
      answeredBy: call?.answeredBy ?? null,
      endTime: call?.endTime?.toISOString() ?? null,
    };
    await this.calls.closeReconciled(row.id, row.debt_case_id, { status, outcome, endedAt: call?.endTime ?? now, sid, reconciliation: recon, error, caseStatus });
  }
}
