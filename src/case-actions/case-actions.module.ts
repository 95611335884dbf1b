import { Module } from '@nestjs/common';
import { CallCaseHandler } from './call-case.handler';
import { CallSummaryHandler } from './call-summary.handler';
import { ReconcileCallsHandler } from './reconcile-calls.handler';

@Module({
  providers: [CallCaseHandler, CallSummaryHandler, ReconcileCallsHandler],
  exports: [CallCaseHandler, CallSummaryHandler, ReconcileCallsHandler],
})
export class CaseActionsModule {}
