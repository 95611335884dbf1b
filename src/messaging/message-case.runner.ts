import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { PermanentJobError, TransientError } from '../common/errors';
import { CallRulesLoader } from '../calls/rules';
import { JobContext } from '../queues/job-context';
import { intentKey } from '../case-actions/intent-key';
import { IntentRow, MessageCaseRow, MessageEvidence, MessagesRepository } from './messages.repository';
import { ChannelFlag, evaluateMessageRules, MessageChannel, MessageDecision } from './message-rules';
import { MessageFailure } from './message-errors';
import { CaseVariablesInput, TemplateRenderError, TemplateRow } from './templates';
import { messageStats } from './message-stats';

type Row = Record<string, any>;
type Hold = Extract<MessageDecision, { allowed: false }>;

export interface MessageCasePayload {
  tenantId: string;
  caseId: string;
  automationId?: string | null;
  stateId?: string | null;
}

export interface MessageCaseResult {
  sent: boolean;
  interactionLogId?: string;
  providerRef?: string | null;
  reason?: string;
  detail?: string;
  nextAllowedAt?: string | null;
  resumed?: boolean;
  dryRun?: boolean;
}

/** What one channel renders: the provider request, the summary kept on interaction_logs, extra ai_data. */
export interface BuiltMessage<P> {
  payload: P;
  summary: string;
  aiData: Record<string, unknown>;
  /** kept in the evidence so that a retry can recognise this message at the provider */
  fingerprint: Record<string, unknown>;
}

export interface MessageContext {
  caseRow: MessageCaseRow;
  stage: { id: string; name: string } | null;
  template: TemplateRow;
  templateSource: 'stage_rules' | 'tenant_default';
  vars: CaseVariablesInput;
  to: string;
  interactionId: string;
}

/** One message channel (SMS via Twilio, email via SES): what the shared runner needs from it. */
export interface MessageChannelAdapter<P> {
  channel: MessageChannel;
  provider: 'twilio' | 'ses';
  /** the stage rule keys naming this channel's template, as the API reads them */
  stageTemplateKeys: readonly string[];
  /** throws UnrecoverableConfigError naming what is missing */
  requireConfig(): void;
  /** false when the template has nothing to send on this channel (a missing template, as the API says) */
  usable(t: TemplateRow): boolean;
  build(ctx: MessageContext): BuiltMessage<P>;
  send(payload: P, ctx: MessageContext): Promise<{ ref: string; status: string | null }>;
  classify(err: unknown): MessageFailure;
  /**
   * After an attempt whose answer was lost: the provider's record of that message, if it has one.
   * Absent when the provider offers no way to look (SES): such an attempt is never repeated.
   */
  findSent?(evidence: MessageEvidence, interactionId: string, tenantId: string): Promise<{ ref: string; status: string | null } | null>;
  /** how long after a request without answer the provider may still act on it (ms) */
  settleMs?(): number;
  /** the masked recipient for logs */
  maskTo(to: string): string;
}

const lc = (c: MessageChannel) => c.toLowerCase() as 'sms' | 'email';

/**
 * SMS_CASE / EMAIL_CASE {tenantId, caseId, automationId?, stateId?}: one message per intent.
 *
 * 1. The job's tenant must own the case, and the state (when given) must be the case's (else no retry).
 * 2. A redelivered job first looks at its intent (worker_interactions keyed by intentKey(job)): sent ->
 *    done; a request may have left -> ask the provider before sending again (SMS), or stop (email: SES
 *    cannot be asked, and one email per intent wins over delivery).
 * 3. Rules at send time (message-rules.ts): a held message is not sent and the job completes with the
 *    reason; outside the window the state's next action moves to the next lawful moment.
 * 4. The stage's template (stage rules name it) or the tenant's default, rendered with the opt-out.
 * 5. The intent is recorded before the request; the answer is recorded on the same rows.
 */
@Injectable()
export class MessageCaseRunner {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly config: AppConfig,
    private readonly rules: CallRulesLoader,
  ) {}

  async run<P>(ctx: JobContext<MessageCasePayload>, a: MessageChannelAdapter<P>): Promise<MessageCaseResult> {
    try {
      const r = await this.execute(ctx, a);
      messageStats.result(a.channel, r);
      return r;
    } catch (err) {
      messageStats.error(a.channel, err, ctx.job.attemptsMade + 1 >= (ctx.job.opts.attempts ?? 1));
      throw err;
    }
  }

  private async execute<P>(ctx: JobContext<MessageCasePayload>, a: MessageChannelAdapter<P>): Promise<MessageCaseResult> {
    const { tenantId, caseId } = ctx.data;
    const automationId = ctx.data.automationId ?? null;
    const stateId = ctx.data.stateId ?? null;
    const dryRun = this.config.get('MESSAGES_DRY_RUN');
    if (!dryRun) a.requireConfig();
    const key = intentKey(ctx.job);
    const now = new Date();

    const c = await this.messages.caseForMessage(caseId);
    if (!c || c.tenant_id !== tenantId) {
      throw new PermanentJobError(`case ${caseId} not found for tenant ${tenantId}: the job's tenant must own the case`, { kind: 'bad_job' });
    }
    const stage = stateId ? await this.loadStage(stateId, caseId, automationId) : null;

    const row = (await this.messages.intentByKey(tenantId, key)) ?? null;
    if (row) {
      const done = await this.resume(ctx, a, row, c, automationId, dryRun);
      if (done) return done;
    }

    const input = await this.rules.loadForCase(caseId, { now });
    if (!input) throw new PermanentJobError(`case ${caseId} not found`, { kind: 'bad_job' });
    const flags = c.channel_flags ?? {};
    const decision = evaluateMessageRules({ channel: a.channel, rules: input, email: c.email ?? null, channelFlag: flags[lc(a.channel)] ?? null }, now);
    if (!decision.allowed) return this.held(ctx, a, c, decision, row?.id ?? null, automationId, stateId, now);

    const { template, source } = await this.resolveTemplate(a, tenantId, stage, c, automationId);
    const vars: CaseVariablesInput = {
      tenantName: c.tenant_name,
      debtorName: c.full_name,
      debtorEmail: c.email,
      amountDueCents: c.amount_due_cents,
      currency: c.currency,
      daysPastDue: c.days_past_due,
      dueDate: c.due_date,
      stageName: stage?.name ?? null,
      paymentLink: c.payment_link_url,
      caseId,
      meta: c.meta,
    };
    const interactionId = row?.id ?? randomUUID();
    const mctx: MessageContext = { caseRow: c, stage, template, templateSource: source, vars, to: decision.to, interactionId };
    let built: BuiltMessage<P>;
    try {
      built = a.build(mctx);
    } catch (err) {
      if (err instanceof TemplateRenderError) {
        throw new PermanentJobError(`${a.channel} ${err.message}${stage ? ` (stage "${stage.name}" ${stage.id})` : ''}`, { kind: 'template_error' });
      }
      throw err;
    }

    const mark = { sendAttemptedAt: new Date().toISOString(), to: decision.to, ...built.fingerprint, lastError: null };
    const evidence = {
      intent: key,
      jobId: String(ctx.job.id),
      automationId,
      stateId,
      stage,
      template: { id: template.id, name: template.name, source },
      rules: decision.evidence,
      dryRun,
    };
    if (!row) {
      const inserted = await this.messages.recordIntent({
        id: interactionId,
        tenantId: c.tenant_id,
        caseId: c.id,
        debtorId: c.debtor_id,
        channel: a.channel,
        provider: a.provider,
        key,
        evidence: { ...evidence, ...mark },
        aiData: built.aiData,
        startedAt: now,
      });
      if (!inserted) throw new TransientError(`intent ${key} is being recorded by another delivery of this job; retrying`);
    } else {
      await this.messages.mergeEvidence(interactionId, { ...evidence, ...mark });
    }
    const attempt = { attempt: ctx.job.attemptsMade + 1, jobId: String(ctx.job.id), at: mark.sendAttemptedAt, checks: decision.evidence.checks, to: a.maskTo(decision.to) };

    if (dryRun) {
      await this.messages.markSent({ interactionId, providerRef: null, summary: built.summary, endedAt: new Date(), aiData: { dry_run: true }, status: 'simulated' });
      await this.messages.recordAttempt(interactionId, { ...attempt, result: 'simulated' }, {});
      ctx.log.info({ interactionId, to: a.maskTo(decision.to) }, `MESSAGES_DRY_RUN: ${a.channel} simulated, provider not contacted`);
      return { sent: false, dryRun: true, reason: 'DRY_RUN', interactionLogId: interactionId };
    }

    try {
      const res = await a.send(built.payload, mctx);
      return await this.recordSent(ctx, a, interactionId, c, automationId, res, built.summary, attempt, false);
    } catch (err) {
      if (err instanceof PermanentJobError) throw err;
      return this.onSendError(ctx, a, interactionId, c, automationId, a.classify(err), attempt);
    }
  }

  private async loadStage(stateId: string, caseId: string, automationId: string | null): Promise<{ id: string; name: string; rules: Row } | null> {
    const s = await this.messages.stateWithStage(stateId);
    if (!s || s.debt_case_id !== caseId) {
      throw new PermanentJobError(`stateId ${stateId}: no case_automation_state of case ${caseId} has this id`, { kind: 'bad_job' });
    }
    if (automationId && s.automation_id !== automationId) {
      throw new PermanentJobError(`stateId ${stateId}: the state belongs to automation ${s.automation_id}, not to the job's automationId ${automationId}`, { kind: 'bad_job' });
    }
    return s.stage_id ? { id: s.stage_id, name: s.stage_name ?? '', rules: s.stage_rules ?? {} } : null;
  }

  /** The stage's template when its rules name one (and only that one), else the tenant's default. */
  private async resolveTemplate<P>(
    a: MessageChannelAdapter<P>,
    tenantId: string,
    stage: { id: string; name: string; rules?: Row } | null,
    c: MessageCaseRow,
    automationId: string | null,
  ): Promise<{ template: TemplateRow; source: 'stage_rules' | 'tenant_default' }> {
    const ch = lc(a.channel);
    let named: string | null = null;
    for (const k of a.stageTemplateKeys) {
      const v = stage?.rules?.[k];
      if (typeof v === 'string' && v.trim() !== '') {
        named = v.trim();
        break;
      }
    }
    let template: TemplateRow | undefined;
    let problem: string;
    let templateReason: string;
    if (named) {
      template = await this.messages.templateById(named, tenantId, ch);
      problem = `stage "${stage!.name}" (${stage!.id}) names ${a.channel} template ${named}, which is not an active ${ch} template of tenant ${tenantId}`;
      templateReason = 'stage_template_not_found';
    } else {
      template = await this.messages.defaultTemplate(tenantId, ch);
      problem = `${stage ? `stage "${stage.name}" (${stage.id}) names no ${a.channel} template` : 'the job names no automation state (no stage)'} and tenant ${tenantId} has no active ${ch} template`;
      templateReason = 'missing_active_template';
    }
    if (template && !a.usable(template)) {
      problem = `${a.channel} template ${template.id} ("${template.name}") has no body`;
      template = undefined;
    }
    if (!template) {
      if (automationId) {
        await this.messages.insertEvent({
          automationId,
          caseId: c.id,
          channel: ch,
          type: `${ch}_skipped_missing_template`,
          payload: { reason: problem, templateReason, stageId: stage?.id ?? null },
        });
      }
      throw new PermanentJobError(`missing template: ${problem}`, { kind: 'missing_template' });
    }
    return { template, source: named ? 'stage_rules' : 'tenant_default' };
  }

  private async recordSent<P>(
    ctx: JobContext<MessageCasePayload>,
    a: MessageChannelAdapter<P>,
    id: string,
    c: MessageCaseRow,
    automationId: string | null,
    res: { ref: string; status: string | null },
    summary: string | null,
    attempt: Row,
    resumed: boolean,
  ): Promise<MessageCaseResult> {
    const ch = lc(a.channel);
    await this.messages.transaction(async (tx) => {
      // a resumed intent keeps the summary written when it was first rendered
      if (summary === null) {
        await this.messages.markFoundSent(id, res.ref, { provider_status: res.status, found_after_retry: true }, tx);
      } else {
        await this.messages.markSent(
          { interactionId: id, providerRef: res.ref, summary, endedAt: new Date(), aiData: { provider_status: res.status, found_after_retry: resumed }, status: 'sent' },
          tx,
        );
      }
      await this.messages.recordAttempt(id, { ...attempt, result: 'sent', providerRef: res.ref, resumed }, { sentAt: new Date().toISOString() }, tx);
      if (automationId) {
        await this.messages.insertEvent(
          {
            automationId,
            caseId: c.id,
            channel: ch,
            type: `${ch}_sent`,
            payload: { interactionLogId: id, [a.channel === 'SMS' ? 'messageSid' : 'messageId']: res.ref, providerStatus: res.status, foundAfterRetry: resumed },
          },
          tx,
        );
      }
    });
    ctx.log.info({ interactionId: id, providerRef: res.ref, resumed }, resumed ? `${a.channel} found at the provider after an interrupted attempt; recorded` : `${a.channel} sent`);
    return { sent: true, interactionLogId: id, providerRef: res.ref, ...(resumed ? { resumed } : {}) };
  }

  /** An intent recorded by an earlier delivery of this job. Returns a result when nothing is left to do. */
  private async resume<P>(ctx: JobContext<MessageCasePayload>, a: MessageChannelAdapter<P>, row: IntentRow, c: MessageCaseRow, automationId: string | null, dryRun: boolean): Promise<MessageCaseResult | null> {
    if (row.provider_ref || row.status === 'sent') return { sent: true, interactionLogId: row.id, providerRef: row.provider_ref, resumed: true };
    if (row.status === 'simulated') return { sent: false, dryRun: true, reason: 'DRY_RUN', interactionLogId: row.id, resumed: true };
    if (row.status !== 'queued') {
      const err = row.error ?? {};
      return { sent: false, interactionLogId: row.id, reason: String(err.reason ?? err.kind ?? row.status), resumed: true };
    }
    const ev: MessageEvidence = row.evidence ?? {};
    if (!ev.sendAttemptedAt || dryRun) return null;
    const attempt = { attempt: ctx.job.attemptsMade + 1, jobId: String(ctx.job.id), at: new Date().toISOString(), resume: true };
    if (!a.findSent) {
      // The provider cannot be asked whether the earlier request was processed: never send twice.
      const error = { provider: a.provider, kind: 'unknown_outcome', reason: 'SEND_OUTCOME_UNKNOWN', lastError: ev.lastError ?? null, sendAttemptedAt: ev.sendAttemptedAt };
      await this.endFailed(a, row.id, c, automationId, error, attempt);
      ctx.log.warn({ interactionId: row.id }, `${a.channel}: an earlier request got no answer and ${a.provider} cannot be asked; not sent again`);
      throw new PermanentJobError(
        `${a.channel} intent ${row.id}: an earlier request to ${a.provider} got no answer (${ev.lastError?.message ?? 'the worker stopped'}); it may have been sent, and ${a.provider} offers no way to check, so it is not sent again`,
        error,
      );
    }
    if (ev.lastError?.kind !== 'server') {
      // No answer at all: the provider may still act on that request; look only once it cannot land.
      const wait = new Date(ev.sendAttemptedAt).getTime() + (a.settleMs?.() ?? 0) - Date.now();
      if (wait > 0) {
        ctx.log.info({ interactionId: row.id, waitMs: wait }, `earlier ${a.channel} request got no answer: waiting for it to settle before checking the provider`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    const found = await this.lookup(a, ev, row.id, c.tenant_id);
    if (found) return this.recordSent(ctx, a, row.id, c, automationId, found, null, attempt, true);
    ctx.log.info({ interactionId: row.id }, `earlier ${a.channel} attempt left no message at the provider; sending again`);
    return null;
  }

  private async lookup<P>(a: MessageChannelAdapter<P>, ev: MessageEvidence, id: string, tenantId: string): Promise<{ ref: string; status: string | null } | null> {
    try {
      return (await a.findSent!(ev, id, tenantId)) ?? null;
    } catch (err) {
      const f = a.classify(err);
      if (f.kind === 'auth') throw new PermanentJobError(`${a.provider} authentication failed (${f.code ?? f.status}): ${f.message}`, { kind: 'auth' });
      throw new TransientError(`cannot check ${a.provider} for an earlier ${a.channel} before sending again (${f.kind}: ${f.message}); retrying`, { kind: f.kind });
    }
  }

  private async endFailed<P>(
    a: MessageChannelAdapter<P>,
    id: string,
    c: MessageCaseRow,
    automationId: string | null,
    error: Row,
    attempt: Row,
    extra?: (tx: EntityManager) => Promise<void>,
  ): Promise<void> {
    const ch = lc(a.channel);
    await this.messages.transaction(async (tx) => {
      await this.messages.markEnded({ interactionId: id, status: 'failed', outcome: 'FAILED', error }, tx);
      await this.messages.recordAttempt(id, { ...attempt, result: 'failed', error }, { lastError: error }, tx);
      if (extra) await extra(tx);
      if (automationId) {
        const payload = { interactionLogId: id, reason: error.message ?? error.reason, code: error.code ?? null, kind: error.kind };
        await this.messages.insertEvent({ automationId, caseId: c.id, channel: ch, type: `${ch}_failed`, payload }, tx);
      }
    });
  }

  private async onSendError<P>(
    ctx: JobContext<MessageCasePayload>,
    a: MessageChannelAdapter<P>,
    id: string,
    c: MessageCaseRow,
    automationId: string | null,
    f: MessageFailure,
    attempt: Row,
  ): Promise<MessageCaseResult> {
    const error = { provider: f.provider, kind: f.kind, status: f.status, code: f.code, message: f.message, at: new Date().toISOString() };
    const log = { interactionId: id, to: attempt.to, providerStatus: f.status, providerCode: f.code, kind: f.kind };
    const final = ctx.job.attemptsMade + 1 >= (ctx.job.opts.attempts ?? 1);
    const detail = `${f.kind}${f.status ? ` ${f.status}` : ''}${f.code ? ` ${f.code}` : ''}`;

    if (f.ambiguous) {
      if (a.findSent) {
        const ev = (await this.messages.evidence(id)) ?? {};
        const found = f.kind === 'server' ? await this.lookup(a, ev, id, c.tenant_id).catch(() => null) : null;
        if (found) return this.recordSent(ctx, a, id, c, automationId, found, null, attempt, true);
        await this.messages.recordAttempt(id, { ...attempt, result: 'no_answer', error }, { lastError: error });
        if (final) await this.endFailed(a, id, c, automationId, error, attempt);
        ctx.log.warn(log, `${a.channel} request failed without a clear answer; the retry checks the provider first`);
        throw new TransientError(`${a.provider} ${a.channel} request failed (${detail}): ${f.message}`, error);
      }
      const unknown = { ...error, reason: 'SEND_OUTCOME_UNKNOWN' };
      await this.endFailed(a, id, c, automationId, unknown, attempt);
      ctx.log.warn(log, `${a.channel} request got no answer; ${a.provider} cannot be asked, so it is not sent again`);
      throw new PermanentJobError(`${a.provider} ${a.channel} request got no answer (${detail}): ${f.message}; it may have been sent and is not sent again`, unknown);
    }
    if (f.retryable) {
      // The provider says it did not process the request: the retry sends without looking.
      await this.messages.recordAttempt(id, { ...attempt, result: 'retry', error }, { sendAttemptedAt: null, lastError: error });
      if (final) await this.endFailed(a, id, c, automationId, error, attempt);
      ctx.log.warn(log, `${a.provider} refused the ${a.channel} for now; retrying`);
      throw new TransientError(`${a.provider} refused the ${a.channel} for now (${detail}): ${f.message}`, error);
    }

    const ch = lc(a.channel);
    const flagged = f.kind === 'invalid_recipient' || f.kind === 'opted_out';
    await this.endFailed(a, id, c, automationId, error, attempt, async (tx) => {
      if (!flagged || !c.debtor_id) return;
      const flag: ChannelFlag & Row = { status: f.kind === 'opted_out' ? 'opted_out' : 'invalid', code: f.code, at: error.at, interactionId: id, provider: f.provider };
      await this.messages.flagChannel({ debtorId: c.debtor_id, tenantId: c.tenant_id, channel: ch, flag }, tx);
      if (f.invalidatesCase) {
        await this.messages.markCaseInvalidContact(c.id, { source: f.provider, channel: ch, code: f.code, message: f.message, interactionId: id, at: error.at }, tx);
      }
    });
    if (flagged) {
      ctx.log.warn(log, `${a.provider} refused the recipient: ${a.channel} marked ${f.kind === 'opted_out' ? 'opted out' : 'invalid'} for this debtor`);
      throw new PermanentJobError(
        `${a.provider} refused the ${a.channel} recipient (${detail}): ${f.message}; ${a.channel} marked ${f.kind === 'opted_out' ? 'opted out' : 'invalid'} for debtor ${c.debtor_id}${f.invalidatesCase ? ', case marked INVALID_CONTACT' : ''}`,
        error,
      );
    }
    if (f.kind === 'auth' || f.kind === 'config') ctx.log.error(log, `${a.provider} refused the ${a.channel} because of our account or sender configuration`);
    throw new PermanentJobError(`${a.provider} refused the ${a.channel} (${detail}): ${f.message}`, error);
  }

  /** A rule holds the message: nothing is sent; the job completes with the reason. */
  private async held<P>(
    ctx: JobContext<MessageCasePayload>,
    a: MessageChannelAdapter<P>,
    c: MessageCaseRow,
    d: Hold,
    intentId: string | null,
    automationId: string | null,
    stateId: string | null,
    now: Date,
  ): Promise<MessageCaseResult> {
    const ch = lc(a.channel);
    const nextAllowedAt = d.nextAllowedAt?.toISOString() ?? null;
    await this.messages.transaction(async (tx) => {
      if (intentId) await this.messages.markEnded({ interactionId: intentId, status: 'canceled', outcome: null, error: { reason: d.reason, detail: d.detail, at: now.toISOString() } }, tx);
      if (d.reason === 'OUTSIDE_WINDOW' && stateId && d.nextAllowedAt) await this.messages.stateNotBefore(stateId, d.nextAllowedAt, tx);
      if (automationId) {
        const event =
          d.reason === 'NOT_APPROVED'
            ? 'dispatch_skipped_approval_pending'
            : d.reason === 'OPEN_DISPUTE'
              ? 'dispatch_skipped_open_dispute'
              : ['NO_CONTACT', 'INVALID_CONTACT', 'CHANNEL_INVALID', 'CHANNEL_OPTED_OUT'].includes(d.reason)
                ? `${ch}_skipped_invalid_contact`
                : `${ch}_skipped_${d.reason.toLowerCase()}`;
        await this.messages.insertEvent({ automationId, caseId: c.id, channel: ch, type: event, payload: { reason: d.detail, rule: d.reason, nextAllowedAt, jobId: String(ctx.job.id) } }, tx);
      }
    });
    ctx.log.info({ caseId: c.id, reason: d.reason, nextAllowedAt }, `${a.channel} held by a rule: not sent`);
    return { sent: false, reason: d.reason, detail: d.detail, ...(nextAllowedAt ? { nextAllowedAt } : {}) };
  }
}

