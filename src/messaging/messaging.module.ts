import { Module } from '@nestjs/common';
import { CallRulesModule } from '../calls/rules';
import { MessageCaseRunner } from './message-case.runner';
import { SesEmailClient } from './ses-email.client';
import { TwilioMessagingClient } from './twilio-messaging.client';

/** SMS and email to debtors: the provider clients and the shared send flow of SMS_CASE / EMAIL_CASE. */
@Module({
  imports: [CallRulesModule],
  providers: [MessageCaseRunner, TwilioMessagingClient, SesEmailClient],
  exports: [MessageCaseRunner, TwilioMessagingClient, SesEmailClient],
})
export class MessagingModule {}
