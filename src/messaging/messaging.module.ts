import { Module } from '@nestjs/common';
import { CallRulesModule } from '../calls/rules';
import { MessageCaseRunner } from './message-case.runner';
import { MessagesRepository } from './messages.repository';
import { SesEmailClient } from './ses-email.client';
import { TwilioMessagingClient } from './twilio-messaging.client';

/** SMS and email to debtors: the provider clients and the shared send flow of SMS_CASE / EMAIL_CASE. */
@Module({
  imports: [CallRulesModule],
  providers: [MessagesRepository, MessageCaseRunner, TwilioMessagingClient, SesEmailClient],
  exports: [MessagesRepository, MessageCaseRunner, TwilioMessagingClient, SesEmailClient],
})
export class MessagingModule {}
