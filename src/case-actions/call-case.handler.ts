import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { PermanentJobError, TransientError } from '../common/errors';
import { JobContext } from '../queues/job-context';
import { CallCasePayload } from '../queues/job-payloads';
import { CallDecision, CallRuleInput, CallRulesLoader, callMarginSeconds, evaluateCallRules } from '../calls/rules';
import { toE164 } from '../common/phone';
import { maskPhoneForLog, redactString } from '../logging/redact';
import { CallsRepository, CaseForCallRow, InteractionRow } from '../calls/calls.repository';
import { buildEvidence } from '../calls/call-evidence';
import { PreDialFreshness } from '../calls/pre-dial-freshness.service';
import { signedVoiceUrl } from '../calls/voice-context';
import { CpsLimiter } from '../calls/twilio/cps-limiter';
import { ProviderCall, TwilioVoiceClient } from '../calls/twilio/twilio-voice.client';
import { classifyTwilioError, TwilioFailure } from '../calls/twilio/twilio-errors';
import { callsOfDial, DialRequest, unclaimedCall } from '../calls/twilio/twilio-match';
import { intentKey } from './intent-key';

type Hold = Extract<CallDecision, { allowed: false }>;

/** After an unanswered dial request, how long past the HTTP timeout Twilio may still create the call. */
const DIAL_SETTLE_MS = 5_000;

export interface CallCaseResult {
  called: boolean;
  interactionId?: string;
  callSid?: string | null;
  status?: string;
  reason?: string;
  detail?: string;
  nextAllowedAt?: string | null;
  resumed?: boolean;
  dryRun?: boolean;
}

/**
 * CALL_CASE {tenantId, caseId}: one outbound call per intent (docs/twilio.md).
 *
 * 1. The job's tenant must own the case (else no retry).
 * 2. A redelivered job first finds out what happened to its intent (interaction keyed by
 *    intentKey: case, automation state, job id and enqueue time): placed -> done; dial attempted ->
 *    ask Twilio's call list before dialing again.
 * 3. Every call rule is evaluated at dial time; a held case moves to the earliest lawful moment.
 * 4. Pre-dial freshness against the PMS; a paid lease cancels the call and closes the case.
 * 5. The intent is recorded (queued) in a transaction that locks the case, evaluates the rules again
 *    under that lock (a concurrent call of the case counts) and refuses a second live call; then the
 *    shared CPS slot is awaited, the window re-checked, and Twilio asked to dial.
 * Every delivery's inputs, checks and error are appended to the intent's record; the evidence of
 * a placed call is that of the delivery that dialed.
 */
@Injectable()
export class CallCaseHandler {
  constructor(
    private readonly calls: CallsRepository,
    private readonly config: AppConfig,
    private readonly rules: CallRulesLoader,
    private readonly freshness: PreDialFreshness,
    private readonly twilio: TwilioVoiceClient,
    private readonly cps: CpsLimiter,
  ) {}

  async handle(ctx: JobContext<CallCasePayload>): Promise<CallCaseResult> {
    const { tenantId, caseId } = ctx.data;
    const dryRun = this.config.get('CALLS_DRY_RUN');
    this.config.requireFeature(dryRun ? 'callsDryRun' : 'calls');
    const jobId = String(ctx.job.id);
    const idemKey = intentKey(ctx.job);
    const now = new Date();

    const c = await this.calls.caseForCall(caseId);
    if (!c || c.tenant_id !== tenantId) {
      throw new PermanentJobError(`case ${caseId} not found for tenant ${tenantId}: the job's tenant must own the case`);
    }

    // Redelivery or retry of the same intent: find out what happened before doing anything.
    let row = await this.calls.interactionByKey(tenantId, idemKey);
    if (row) {
      const done = await this.resume(ctx, row, c, dryRun);
      if (done) return done;
    }

    const input = await this.rules.loadForCase(caseId, { now, ignoreInteractionId: row?.id ?? null });
    if (!input) throw new PermanentJobError(`case ${caseId} not found`);
    const decision = evaluateCallRules(input, now);
    if (!decision.allowed) return this.held(ctx, c, decision, row, idemKey, now);

    const fresh = await this.freshness.check(c, now);
    if (fresh.checked && fresh.paid) {
      if (row) await this.calls.markEnded(row.id, { status: 'canceled', error: { reason: 'PAID_AT_PRE_DIAL', balanceCents: fresh.balanceCents } });
      ctx.log.info({ caseId, balanceCents: fresh.balanceCents }, 'pre-dial check: the PMS balance is paid; call cancelled, case closed');
      return { called: false, reason: 'PAID_AT_PRE_DIAL', detail: `PMS balance ${fresh.balanceCents} cents as of ${fresh.asOf}: case closed as PAID`, interactionId: row?.id };
    }

    const syncRun = c.pms_connection_id ? await this.calls.latestCompletedSyncRun(c.pms_connection_id) : null;
    const evidence = buildEvidence(c, decision, fresh, syncRun, { id: jobId, attempt: ctx.job.attemptsMade + 1 });
    const delivery = { attempt: ctx.job.attemptsMade + 1, at: now.toISOString(), evidence };

    let marked = false;
    if (!row) {
      // The dial follows at once: the marker that a request may leave is written with the row.
      const mark = { dialAttemptedAt: new Date().toISOString(), dialedTo: toE164(input.phone), dialedFrom: this.config.get('TWILIO_FROM_NUMBER') ?? null };
      const recorded = await this.recordIntent(tenantId, c, idemKey, { ...evidence, ...mark }, delivery, now);
      if ('held' in recorded) return this.held(ctx, c, recorded.held, null, idemKey, now);
      if ('live' in recorded) {
        const again = evaluateCallRules({ ...input, callInProgress: true }, now) as Hold;
        return this.held(ctx, c, again, null, idemKey, now);
      }
      if ('duplicate' in recorded) {
        // The same job is being run twice at once (a stalled delivery): let the retry resume it.
        throw new TransientError(`interaction ${idemKey} is being recorded by another delivery of this job; retrying`);
      }
      row = recorded.row;
      marked = true;
    } else {
      await this.calls.appendAttempt(row.id, delivery);
    }

    return this.dial(ctx, row, c, input, dryRun, marked, evidence);
  }

  /**
   * Inserts the queued interaction under a lock on the case. The rules are evaluated again under
   * that lock, so attempts recorded by a concurrent job of the same case (the 7-in-7 count, a live
   * call) are seen; refuses when another call is live.
   */
  private async recordIntent(
    tenantId: string,
    c: CaseForCallRow,
    idemKey: string,
    evidence: Record<string, unknown>,
    delivery: Record<string, unknown>,
    now: Date,
  ): Promise<{ row: InteractionRow } | { live: { id: string } } | { held: Hold } | { duplicate: true }> {
    return this.calls.transaction(async (tx, m) => {
      await tx.lockCase(c.id);
      const locked = await this.rules.loadForCase(c.id, { now, manager: m });
      if (locked) {
        const d = evaluateCallRules(locked, now);
        if (!d.allowed && d.reason !== 'CALL_IN_PROGRESS') return { held: d };
      }
      const row = await tx.insertIntentIfNoLiveCall({ tenantId, caseId: c.id, debtorId: c.debtor_id, key: idemKey, evidence, delivery });
      if (row) return { row };
      const live = await tx.otherLiveCall(c.id);
      return live ? { live } : { duplicate: true as const };
    });
  }

  private async dial(ctx: JobContext<CallCasePayload>, row: InteractionRow, c: CaseForCallRow, input: CallRuleInput, dryRun: boolean, marked: boolean, evidence: Record<string, unknown>): Promise<CallCaseResult> {
    // From here a dial request may leave: a retry must ask Twilio before dialing again.
    const to = toE164(input.phone) as string;
    const from = this.config.get('TWILIO_FROM_NUMBER') ?? null;
    if (!marked) await this.calls.markDialing(row.id, { dialAttemptedAt: new Date().toISOString(), dialedTo: to, dialedFrom: from, lastDialError: null });

    // Shared calls-per-second across all workers: wait for our slot (never fail for it).
    const slot = await this.cps.acquire();

    // The window may have closed while we waited: re-check right before dialing (pure, no I/O, so
    // nothing sits between the CPS admission and the request). The phone may ring for the ring
    // timeout after the request, which itself may take up to the HTTP timeout (Twilio queues it
    // when the account's rate is exceeded): no dial whose ringing could end after 21:00 or start
    // before 08:00 where the debtor may be.
    const at = new Date();
    const windowMarginSeconds = callMarginSeconds({
      ringTimeoutSeconds: this.config.get('TWILIO_RING_TIMEOUT_SECONDS'),
      queueDelaySeconds: this.config.get('TWILIO_HTTP_TIMEOUT_MS') / 1000,
    });
    const last = evaluateCallRules({ ...input, callInProgress: false, windowMarginSeconds }, at);
    if (!last.allowed) {
      await this.calls.markEnded(row.id, { status: 'canceled', error: { reason: last.reason, detail: last.detail, at: at.toISOString() } });
      return this.held(ctx, c, last, null, row.idempotency_key, at);
    }
    const rulesAtDial = { evaluatedAt: last.evidence.evaluatedAt, timezones: last.evidence.timezones, cpsWaitMs: slot.waitedMs, windowMarginSeconds };

    if (dryRun) {
      const next = new Date(at.getTime() + this.config.get('SCHEDULER_COOLDOWN_MINUTES') * 60_000);
      await this.calls.transaction(async (tx) => {
        await tx.markPlaced(row.id, { sid: null, status: 'simulated', startedAt: at, evidence: { dryRun: true, rulesAtDial } });
        await tx.setCaseNextAction(c.id, next);
      });
      ctx.log.info({ interactionId: row.id, to: maskPhoneForLog(to) }, 'CALLS_DRY_RUN: call simulated, Twilio not contacted');
      return { called: false, dryRun: true, status: 'simulated', interactionId: row.id };
    }

    const url = signedVoiceUrl(
      this.config.get('TWILIO_VOICE_URL') as string,
      { interactionId: row.id, tenantId: c.tenant_id, caseId: c.id },
      { secret: this.config.get('CALL_CONTEXT_HMAC_SECRET') as string, version: this.config.get('CALL_CONTEXT_SIGNATURE_VERSION'), ttlSeconds: this.config.get('CALL_CONTEXT_TTL_SECONDS') },
      at,
    );
    const cb = this.config.get('TWILIO_STATUS_CALLBACK_URL');
    let statusCallback: string | undefined;
    if (cb) {
      const u = new URL(cb);
      u.searchParams.set('il', row.id);
      statusCallback = u.toString();
    }
    const md = this.config.get('TWILIO_MACHINE_DETECTION');
    try {
      const call = await this.twilio.createCall({
        to,
        from: from as string,
        url,
        statusCallback,
        timeout: this.config.get('TWILIO_RING_TIMEOUT_SECONDS'),
        machineDetection: md === 'Enable' || md === 'DetectMessageEnd' ? md : undefined,
      });
      return this.recordPlaced(ctx, row, c, call, at, false, rulesAtDial, evidence);
    } catch (err) {
      return this.onDialError(ctx, row, c, classifyTwilioError(err), to, from as string, at);
    }
  }

  private async recordPlaced(
    ctx: JobContext<CallCasePayload>,
    row: InteractionRow,
    c: CaseForCallRow,
    call: ProviderCall,
    at: Date,
    resumed: boolean,
    rulesAtDial?: Record<string, unknown>,
    dialEvidence?: Record<string, unknown>,
  ): Promise<CallCaseResult> {
    const next = new Date(at.getTime() + this.config.get('SCHEDULER_COOLDOWN_MINUTES') * 60_000);
    await this.calls.recordPlaced(row.id, {
      sid: call.sid,
      at,
      evidence: {
        // The inputs and checks of the delivery that dialed (an earlier delivery's are in attempts).
        ...(dialEvidence ?? {}),
        twilio: { sid: call.sid, status: call.status, queueTime: call.queueTime, dateCreated: call.dateCreated?.toISOString() ?? null, foundAfterRetry: resumed },
        ...(rulesAtDial ? { rulesAtDial, dialedAt: at.toISOString() } : {}),
      },
      nextActionAt: next,
    });
    if (call.queueTime !== null && call.queueTime > 5000) {
      ctx.log.warn({ callSid: call.sid, queueTimeMs: call.queueTime }, 'Twilio queued the call: above the account CPS; check TWILIO_CPS');
    }
    ctx.log.info({ interactionId: row.id, callSid: call.sid, resumed }, resumed ? 'call found at Twilio after an interrupted attempt; recorded' : 'call placed');
    return { called: true, interactionId: row.id, callSid: call.sid, status: 'in_progress', resumed };
  }

  /** An interaction recorded by an earlier delivery of this job. Returns a result when nothing is left to do. */
  private async resume(ctx: JobContext<CallCasePayload>, row: InteractionRow, c: CaseForCallRow, dryRun: boolean): Promise<CallCaseResult | null> {
    if (row.provider_ref) {
      return { called: true, interactionId: row.id, callSid: row.provider_ref, status: row.status, resumed: true };
    }
    if (row.status !== 'queued') {
      return { called: false, interactionId: row.id, status: row.status, resumed: true, reason: row.error?.reason ?? row.error?.kind };
    }
    const ev = row.evidence ?? {};
    if (ev.dialAttemptedAt && ev.dialedTo && ev.dialedFrom && !dryRun) {
      // A dial request may have left: never dial again before asking Twilio what it did. When it got
      // no answer at all (timeout, reset, or our worker died), Twilio may still be acting on it: wait
      // until that request can no longer land before reading the list.
      if (ev.lastDialError?.kind !== 'server') {
        const settleAt = new Date(ev.dialAttemptedAt).getTime() + this.config.get('TWILIO_HTTP_TIMEOUT_MS') + DIAL_SETTLE_MS;
        const wait = settleAt - Date.now();
        if (wait > 0) {
          ctx.log.info({ interactionId: row.id, waitMs: wait }, 'earlier dial got no answer: waiting for it to settle before checking Twilio');
          await new Promise((r) => setTimeout(r, wait));
        }
      }
      const found = await this.findPlacedCall(row, { to: ev.dialedTo, from: ev.dialedFrom, at: new Date(ev.dialAttemptedAt) });
      if (found) return this.recordPlaced(ctx, row, c, found, new Date(ev.dialAttemptedAt), true);
      ctx.log.info({ interactionId: row.id }, 'earlier dial attempt left no call at Twilio; dialing again');
    }
    return null;
  }

  private async findPlacedCall(row: InteractionRow, dial: DialRequest): Promise<ProviderCall | null> {
    let calls: ProviderCall[];
    try {
      calls = await callsOfDial(this.twilio, dial);
    } catch (err) {
      const f = classifyTwilioError(err);
      if (f.kind === 'auth') throw new PermanentJobError(`Twilio authentication failed (${f.code}): ${redactString(f.message)}`);
      throw new TransientError(`cannot check Twilio's call list before re-dialing (${f.kind}: ${redactString(f.message)}); retrying`);
    }
    return unclaimedCall(this.calls, row, calls);
  }

  private async onDialError(ctx: JobContext<CallCasePayload>, row: InteractionRow, c: CaseForCallRow, f: TwilioFailure, to: string, from: string, at: Date): Promise<CallCaseResult> {
    const error = { provider: 'twilio', kind: f.kind, status: f.status, code: f.code, message: f.message, moreInfo: f.moreInfo, at: new Date().toISOString() };
    // Twilio's messages can quote the number: job errors (kept in Redis, shown by the API) get it masked.
    const msg = redactString(f.message);
    const log = { interactionId: row.id, to: maskPhoneForLog(to), twilioStatus: f.status, twilioCode: f.code, kind: f.kind };

    await this.calls.appendAttempt(row.id, { attempt: ctx.job.attemptsMade + 1, at: error.at, error });
    if (f.ambiguous) {
      // The call may exist even though we got no answer: look before anyone dials again.
      const found = await this.findPlacedCall(row, { to, from, at }).catch(() => null);
      if (found) return this.recordPlaced(ctx, row, c, found, at, true);
      await this.calls.markDialing(row.id, { lastDialError: error });
      ctx.log.warn({ ...log, err: msg }, 'Twilio dial failed without a clear answer; the retry checks the call list first');
      throw new TransientError(`Twilio dial failed (${f.kind}${f.status ? ` ${f.status}` : ''}${f.code ? ` code ${f.code}` : ''}): ${msg}`);
    }
    if (f.retryable) {
      // Twilio says it did not process the request (429): the retry need not look for a call.
      await this.calls.markDialing(row.id, { dialAttemptedAt: null, lastDialError: error });
      const final = ctx.job.attemptsMade + 1 >= (ctx.job.opts.attempts ?? 1);
      if (final) await this.calls.markEnded(row.id, { status: 'failed', outcome: 'FAILED', error, endedAt: new Date() });
      throw new TransientError(`Twilio refused the request for now (${f.status}${f.code ? ` code ${f.code}` : ''}): ${msg}`);
    }

    await this.calls.transaction(async (tx) => {
      await tx.markEnded(row.id, { status: 'failed', outcome: 'FAILED', error, endedAt: new Date() });
      if (f.kind === 'invalid_number') {
        await tx.markCaseInvalidContact(c.id, { source: 'twilio', code: f.code, message: f.message, interactionId: row.id, at: error.at });
      }
    });
    if (f.kind === 'auth') {
      ctx.log.fatal(log, 'Twilio rejected our credentials or the account is suspended: no call can be placed until TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN or the account is fixed');
      throw new PermanentJobError(`Twilio authentication failed (code ${f.code ?? f.status}): ${msg}. Check TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN and the account status`, error);
    }
    if (f.kind === 'invalid_number') {
      ctx.log.warn(log, 'Twilio refused the number: case marked INVALID_CONTACT');
      throw new PermanentJobError(`Twilio refused the number (code ${f.code}): ${msg}; case marked INVALID_CONTACT`, error);
    }
    ctx.log.error(log, 'Twilio refused the call because of account configuration');
    throw new PermanentJobError(`Twilio refused the call (${f.kind}, code ${f.code ?? f.status}): ${msg}`);
  }

  /** A rule holds the case: no dial; the case moves to the earliest lawful moment with the reason. */
  private async held(ctx: JobContext<CallCasePayload>, c: CaseForCallRow, d: Hold, row: InteractionRow | null, idemKey: string, now: Date): Promise<CallCaseResult> {
    const reason = { reason: d.reason, detail: d.detail, nextAllowedAt: d.nextAllowedAt?.toISOString() ?? null, permanent: d.permanent, at: now.toISOString(), jobId: String(ctx.job.id) };
    if (d.reason === 'INVALID_PHONE') {
      let interactionId: string | undefined = row?.id;
      await this.calls.transaction(async (tx) => {
        const error = { reason: 'INVALID_PHONE', detail: d.detail };
        if (row) {
          await tx.markEnded(row.id, { status: 'failed', outcome: 'FAILED', error, endedAt: now });
        } else {
          const id = await tx.insertEndedIntent({ tenantId: c.tenant_id, caseId: c.id, debtorId: c.debtor_id, key: idemKey, status: 'failed', outcome: 'FAILED', error, evidence: { rules: reason }, endedAt: now });
          interactionId = id ?? undefined;
        }
        await tx.markCaseInvalidContact(c.id, { source: 'rules', ...reason });
      });
      ctx.log.info({ caseId: c.id }, 'no valid phone number: case marked INVALID_CONTACT, no call');
      return { called: false, reason: d.reason, detail: d.detail, interactionId };
    }
    if (row) await this.calls.markEnded(row.id, { status: 'canceled', error: { reason: d.reason, detail: d.detail } });
    await this.calls.holdCase(c.id, d.nextAllowedAt, reason);
    ctx.log.info({ caseId: c.id, reason: d.reason, nextAllowedAt: reason.nextAllowedAt }, 'call held by a rule: not dialed');
    return { called: false, reason: d.reason, detail: d.detail, nextAllowedAt: reason.nextAllowedAt };
  }
}
