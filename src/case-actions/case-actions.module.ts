import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { CallCaseHandler } from './call-case.handler';
import { CallSummaryHandler } from './call-summary.handler';
import { ReconcileCallsHandler } from './reconcile-calls.handler';
import { MessagingModule } from '../messaging/messaging.module';
import { SmsCaseHandler } from './sms-case.handler';
import { EmailCaseHandler } from './email-case.handler';

@Module({
  imports: [CallsModule, MessagingModule],
  providers: [CallCaseHandler, CallSummaryHandler, ReconcileCallsHandler, SmsCaseHandler, EmailCaseHandler],
  exports: [CallCaseHandler, CallSummaryHandler, ReconcileCallsHandler, SmsCaseHandler, EmailCaseHandler],
})
export class CaseActionsModule {}
