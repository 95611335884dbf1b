import { Module } from '@nestjs/common';
import { CallRulesModule } from '../calls/rules';
import { CallsSchedule } from './calls.schedule';
import { SyncsSchedule } from './syncs.schedule';
import { ReconcileSchedule } from './reconcile.schedule';
import { SchedulerRunner } from './scheduler.runner';
import { CollectionsSchedule } from '../collections/collections.schedule';

/** Scheduler capability: claims work in Postgres and enqueues it (calls, scheduled syncs, reconcile, collection tick, maintenance). */
@Module({
  imports: [CallRulesModule],
  providers: [CallsSchedule, SyncsSchedule, ReconcileSchedule, CollectionsSchedule, SchedulerRunner],
  exports: [SchedulerRunner, CallsSchedule],
})
export class SchedulerModule {}
