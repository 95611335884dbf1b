import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DispatchingProcessor, HandlerMap } from '../queues/dispatching-processor';
import { JobMetrics } from '../queues/job-metrics';
import { AUTOMATION_MAINTENANCE_QUEUE } from '../queues/queue-names';
import { AutomationMaintenanceHandler } from './automation-maintenance.handler';

/** Registered by processorProvider(), which adds the queue's worker options for the booted environment. */
@Injectable()
export class AutomationMaintenanceProcessor extends DispatchingProcessor<typeof AUTOMATION_MAINTENANCE_QUEUE> {
  protected readonly queueName = AUTOMATION_MAINTENANCE_QUEUE;

  constructor(
    pino: PinoLogger,
    metrics: JobMetrics,
    private readonly handler: AutomationMaintenanceHandler,
  ) {
    super(pino, metrics);
  }

  protected handlers(): HandlerMap<typeof AUTOMATION_MAINTENANCE_QUEUE> {
    return {
      hourly: (ctx) => this.handler.hourly(ctx),
      daily: (ctx) => this.handler.daily(ctx),
    };
  }
}
