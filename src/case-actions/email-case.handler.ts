import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service';
import { UnrecoverableConfigError } from '../common/errors';
import { JobContext } from '../queues/job-context';
import { MessageCasePayload, MessageCaseResult, MessageCaseRunner, MessageChannelAdapter, MessageContext } from '../messaging/message-case.runner';
import { classifySesError } from '../messaging/message-errors';
import { composeEmail, emailOptOutText } from '../messaging/opt-out';
import { emailVariables, renderEmailTemplate } from '../messaging/templates';
import { SendEmailParams, SesEmailClient } from '../messaging/ses-email.client';

/**
 * EMAIL_CASE: the stage's email template (or the tenant's default) rendered with Nunjucks as the API
 * does, with the sender line and the Reg F opt-out, sent with SES v2 SendEmail. Recorded as
 * interaction_logs type EMAIL, provider ses, provider_ref = SES MessageId. SES cannot be asked what it
 * did with a request whose answer was lost: such an email is never sent a second time (the job fails
 * naming why), so one intent never yields two emails.
 */
@Injectable()
export class EmailCaseHandler implements MessageChannelAdapter<SendEmailParams> {
  readonly channel = 'EMAIL' as const;
  readonly provider = 'ses' as const;
  readonly stageTemplateKeys = ['email_template_id', 'emailTemplateId'] as const;

  constructor(
    private readonly runner: MessageCaseRunner,
    private readonly config: AppConfig,
    private readonly ses: SesEmailClient,
  ) {}

  handle(ctx: JobContext<MessageCasePayload>): Promise<MessageCaseResult> {
    return this.runner.run(ctx, this);
  }

  requireConfig(): void {
    this.config.requireFeature('email');
    if (!this.ses.region()) throw new UnrecoverableConfigError('email needs configuration that is missing: SES_REGION or AWS_REGION');
  }

  usable(t: { body_text: string | null; body_html: string | null }): boolean {
    return (!!t.body_text && t.body_text.trim() !== '') || (!!t.body_html && t.body_html.trim() !== '');
  }

  build(ctx: MessageContext) {
    const c = ctx.caseRow;
    const sender = String(c.company_name || c.tenant_name || '');
    const unsubscribe = this.config.get('EMAIL_UNSUBSCRIBE_URL');
    const mail = composeEmail(renderEmailTemplate(ctx.template, emailVariables(ctx.vars)), sender, unsubscribe);
    const payload: SendEmailParams = {
      to: ctx.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      tags: [
        { name: 'tenant_id', value: String(c.tenant_id) },
        { name: 'debt_case_id', value: String(c.id) },
        { name: 'interaction_id', value: ctx.interactionId },
        { name: 'channel', value: 'email' },
      ],
    };
    const summary = mail.text.length <= 500 ? mail.text : `${mail.text.slice(0, 497)}...`;
    return {
      payload,
      summary,
      aiData: { email: { template: ctx.template.name, template_id: ctx.template.id, template_source: ctx.templateSource, subject: mail.subject, opt_out: emailOptOutText(sender, unsubscribe) } },
      fingerprint: { subject: mail.subject },
    };
  }

  async send(p: SendEmailParams) {
    const r = await this.ses.send(p);
    return { ref: r.messageId, status: 'queued' };
  }

  classify(err: unknown) {
    return classifySesError(err);
  }

  maskTo(to: string): string {
    return to.replace(/^(.{0,2})[^@]*(@.*)?$/, '$1***$2');
  }
}
