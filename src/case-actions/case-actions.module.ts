import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { CallCaseHandler } from './call-case.handler';
import { CallSummaryHandler } from './call-summary.handler';
import { ReconcileCallsHandler } from './reconcile-calls.handler';

@Module({
  imports: [CallsModule],
  providers: [CallCaseHandler, CallSummaryHandler, ReconcileCallsHandler],
  exports: [CallCaseHandler, CallSummaryHandler, ReconcileCallsHandler],
})
export class CaseActionsModule {}
