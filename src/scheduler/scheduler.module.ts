import { DynamicModule, Module } from '@nestjs/common';
import { SCHEDULER_MODE, SchedulerMode } from './scheduler-mode';
import { CallRulesModule } from '../calls/rules';
import { CallsSchedule } from './calls.schedule';
import { ReconcileSchedule } from './reconcile.schedule';
import { SchedulerRunner } from './scheduler.runner';
import { SchedulerRepository } from './scheduler.repository';
import { CollectionsSchedule } from '../collections/collections.schedule';

/** Scheduler capability: claims work in Postgres and enqueues it (calls, reconcile, collection tick, maintenance and with it the scheduled syncs). */
@Module({})
export class SchedulerModule {
  static forRoot(mode: SchedulerMode): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [CallRulesModule],
      providers: [{ provide: SCHEDULER_MODE, useValue: mode }, SchedulerRepository, CallsSchedule, ReconcileSchedule, CollectionsSchedule, SchedulerRunner],
      exports: [SchedulerRunner, CallsSchedule],
    };
  }
}
