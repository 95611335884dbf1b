import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { UnrecoverableConfigError } from '../common/errors';
import { maskPhoneForRecord } from '../common/phone';
import { firstUnclaimed, matchWindowStart } from '../calls/twilio/twilio-match';
import { JobContext } from '../queues/job-context';
import { MessageCasePayload, MessageCaseResult, MessageCaseRunner, MessageChannelAdapter, MessageContext } from '../messaging/message-case.runner';
import { classifySmsError } from '../messaging/message-errors';
import { MessageEvidence, MessagesRepository } from '../messaging/messages.repository';
import { SMS_OPT_OUT, withSmsOptOut } from '../messaging/opt-out';
import { renderSmsTemplate, smsVariables, TemplateRenderError } from '../messaging/templates';
import { TwilioMessagingClient, SendSmsParams } from '../messaging/twilio-messaging.client';

/** After a send request without answer, how long past the HTTP timeout Twilio may still create the message. */
const SEND_SETTLE_MS = 5_000;

/**
 * SMS_CASE: the stage's SMS template (or the tenant's default) rendered with the API's placeholder
 * syntax, the Reg F opt-out appended, sent through Twilio Messaging (the Messaging Service when
 * configured, else TWILIO_FROM_NUMBER). Recorded as interaction_logs type SMS, provider twilio,
 * provider_ref = message SID. A retry after a lost answer looks for the message at Twilio (same
 * number, same body, created since the attempt) before sending again.
 */
@Injectable()
export class SmsCaseHandler implements MessageChannelAdapter<SendSmsParams> {
  readonly channel = 'SMS' as const;
  readonly provider = 'twilio' as const;
  readonly stageTemplateKeys = ['sms_template_id', 'smsTemplateId'] as const;

  constructor(
    private readonly runner: MessageCaseRunner,
    private readonly config: AppConfig,
    private readonly twilio: TwilioMessagingClient,
    private readonly messages: MessagesRepository,
  ) {}

  handle(ctx: JobContext<MessageCasePayload>): Promise<MessageCaseResult> {
    return this.runner.run(ctx, this);
  }

  requireConfig(): void {
    this.config.requireFeature('sms');
    if (!this.config.get('TWILIO_MESSAGING_SERVICE_SID') && !this.config.get('TWILIO_FROM_NUMBER')) {
      throw new UnrecoverableConfigError('sms needs configuration that is missing: TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER');
    }
  }

  usable(t: { body_text: string | null }): boolean {
    return !!t.body_text && t.body_text.trim() !== '';
  }

  build(ctx: MessageContext) {
    const rendered = renderSmsTemplate(ctx.template.body_text as string, smsVariables(ctx.vars));
    if (rendered === '') throw new TemplateRenderError(ctx.template.id, 'body_text', 'the body is empty once rendered');
    const body = withSmsOptOut(rendered);
    const service = this.config.get('TWILIO_MESSAGING_SERVICE_SID');
    const payload: SendSmsParams = {
      to: ctx.to,
      body,
      ...(service ? { messagingServiceSid: service } : { from: this.config.get('TWILIO_FROM_NUMBER') }),
      statusCallback: this.config.get('TWILIO_SMS_STATUS_CALLBACK_URL'),
    };
    return {
      payload,
      summary: body,
      aiData: { template_id: ctx.template.id, template_source: ctx.templateSource, opt_out: SMS_OPT_OUT, body_length: body.length },
      fingerprint: { body },
    };
  }

  async send(p: SendSmsParams) {
    const m = await this.twilio.send(p);
    return { ref: m.sid, status: m.status };
  }

  classify(err: unknown) {
    return classifySmsError(err);
  }

  settleMs(): number {
    return this.config.get('TWILIO_HTTP_TIMEOUT_MS') + SEND_SETTLE_MS;
  }

  async findSent(ev: MessageEvidence, interactionId: string, tenantId: string) {
    if (!ev.to || typeof ev.body !== 'string' || !ev.sendAttemptedAt) return null;
    const found = (await this.twilio.findSentSince(ev.to, matchWindowStart(new Date(ev.sendAttemptedAt)))).filter((m) => m.body === ev.body);
    const m = await firstUnclaimed(found, (sid) => this.messages.refClaimed(tenantId, sid, interactionId));
    return m ? { ref: m.sid, status: m.status } : null;
  }

  maskTo(to: string): string {
    return maskPhoneForRecord(to) ?? '***';
  }
}
