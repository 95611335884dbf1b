import { Processor } from '@nestjs/bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DispatchingProcessor } from '../queues/dispatching-processor';
import { JobMetrics } from '../queues/job-metrics';
import { AUTOMATION_MAINTENANCE_QUEUE } from '../queues/queue-names';
import { workerOptionsFor } from '../queues/worker-settings';
import { AutomationMaintenanceHandler } from './automation-maintenance.handler';

@Processor(AUTOMATION_MAINTENANCE_QUEUE, workerOptionsFor(AUTOMATION_MAINTENANCE_QUEUE))
export class AutomationMaintenanceProcessor extends DispatchingProcessor<typeof AUTOMATION_MAINTENANCE_QUEUE> {
  protected readonly queueName = AUTOMATION_MAINTENANCE_QUEUE;

  constructor(
    pino: PinoLogger,
    metrics: JobMetrics,
    private readonly handler: AutomationMaintenanceHandler,
  ) {
    super(pino, metrics);
  }

  protected handlers() {
    return {
      hourly: (ctx: any) => this.handler.hourly(ctx),
      daily: (ctx: any) => this.handler.daily(ctx),
    };
  }
}
