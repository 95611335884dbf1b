import { Module } from '@nestjs/common';
import { CallRulesModule } from '../calls/rules';
import { CallsSchedule } from './calls.schedule';
import { ReconcileSchedule } from './reconcile.schedule';
import { SchedulerRunner } from './scheduler.runner';
import { CollectionsSchedule } from '../collections/collections.schedule';

/** Scheduler capability: claims work in Postgres and enqueues it (calls, reconcile, collection tick, maintenance and with it the scheduled syncs). */
@Module({
  imports: [CallRulesModule],
  providers: [CallsSchedule, ReconcileSchedule, CollectionsSchedule, SchedulerRunner],
  exports: [SchedulerRunner, CallsSchedule],
})
export class SchedulerModule {}
