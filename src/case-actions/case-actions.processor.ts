import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DispatchingProcessor, HandlerMap } from '../queues/dispatching-processor';
import { JobMetrics } from '../queues/job-metrics';
import { CASE_ACTIONS_QUEUE } from '../queues/queue-names';
import { CallCaseHandler } from './call-case.handler';
import { CallSummaryHandler } from './call-summary.handler';
import { ReconcileCallsHandler } from './reconcile-calls.handler';
import { SmsCaseHandler } from './sms-case.handler';
import { EmailCaseHandler } from './email-case.handler';

/** Registered by processorProvider(), which adds the queue's worker options for the booted environment. */
@Injectable()
export class CaseActionsProcessor extends DispatchingProcessor<typeof CASE_ACTIONS_QUEUE> {
  protected readonly queueName = CASE_ACTIONS_QUEUE;

  constructor(
    pino: PinoLogger,
    metrics: JobMetrics,
    private readonly callCase: CallCaseHandler,
    private readonly callSummary: CallSummaryHandler,
    private readonly reconcile: ReconcileCallsHandler,
    private readonly sms: SmsCaseHandler,
    private readonly email: EmailCaseHandler,
  ) {
    super(pino, metrics);
  }

  protected handlers(): HandlerMap<typeof CASE_ACTIONS_QUEUE> {
    return {
      CALL_CASE: (ctx) => this.callCase.handle(ctx),
      SYNC_CALL_SUMMARY: (ctx) => this.callSummary.handle(ctx),
      RECONCILE_CALLS: (ctx) => this.reconcile.handle(ctx),
      SMS_CASE: (ctx) => this.sms.handle(ctx),
      EMAIL_CASE: (ctx) => this.email.handle(ctx),
    };
  }
}
