import { Processor } from '@nestjs/bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DispatchingProcessor, HandlerMap } from '../queues/dispatching-processor';
import { JobMetrics } from '../queues/job-metrics';
import { CASE_ACTIONS_QUEUE } from '../queues/queue-names';
import { workerOptionsFor } from '../queues/worker-settings';
import { CallCaseHandler } from './call-case.handler';
import { CallSummaryHandler } from './call-summary.handler';
import { ReconcileCallsHandler } from './reconcile-calls.handler';
import { SmsCaseHandler } from './sms-case.handler';
import { EmailCaseHandler } from './email-case.handler';

@Processor(CASE_ACTIONS_QUEUE, workerOptionsFor(CASE_ACTIONS_QUEUE))
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
