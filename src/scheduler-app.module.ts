import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { SchemaGuardModule } from './database/schema/schema-guard.module';
import { CoreModule } from './core.module';
import { SchedulerModule } from './scheduler/scheduler.module';

/** The scheduler process: cron methods that claim work in Postgres and enqueue it. Never a worker. */
@Module({
  imports: [CoreModule, ScheduleModule.forRoot(), SchemaGuardModule, SchedulerModule],
})
export class SchedulerAppModule {}
