import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { QueueProducer } from '../queues/queue-producer.service';
import { CASE_ACTIONS_QUEUE } from '../queues/queue-names';
import { CallPassConfig, CallPassResult, runCallPass } from './call-scheduler';
import { SchedulerRepository } from './scheduler.repository';

/** Claims due debt cases and enqueues CALL_CASE for those the call rules allow now. */
@Injectable()
export class CallsSchedule {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: SchedulerRepository,
    private readonly producer: QueueProducer,
    private readonly config: AppConfig,
  ) {}

  passConfig(): CallPassConfig {
    return {
      limit: this.config.get('SCHEDULER_LIMIT'),
      perTenantLimit: this.config.get('SCHEDULER_PER_TENANT_LIMIT'),
      cooldownMinutes: this.config.get('SCHEDULER_COOLDOWN_MINUTES'),
      includeDemoCases: this.config.get('SCHEDULER_INCLUDE_DEMO_CASES'),
      tenantId: this.config.get('SCHEDULER_TENANT_ID') ?? null,
    };
  }

  run(opts: { now?: Date; dryRun?: boolean; detailed?: boolean } = {}): Promise<CallPassResult> {
    return runCallPass({
      now: opts.now ?? new Date(),
      cfg: this.passConfig(),
      dryRun: opts.dryRun ?? false,
      detailed: opts.detailed,
      db: this.dataSource,
      scheduler: this.scheduler,
      enqueue: (calls) => this.producer.addBulk(CASE_ACTIONS_QUEUE, calls.map((c) => ({ name: 'CALL_CASE', payload: c.payload, jobId: c.jobId }))),
    });
  }
}
