import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Env } from './config/env.schema';
import { SchemaGuardModule } from './database/schema/schema-guard.module';
import { CoreModule } from './core.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SchedulerMode } from './scheduler/scheduler-mode';
import { AppName } from './config/app-config.service';

/** The scheduler process: cron methods that claim work in Postgres and enqueue it. Never a worker. */
@Module({})
export class SchedulerAppModule {
  static forRoot(env: Env, mode: SchedulerMode, app: AppName = 'scheduler'): DynamicModule {
    return {
      module: SchedulerAppModule,
      imports: [CoreModule.forRoot({ app, env }), ScheduleModule.forRoot(), SchemaGuardModule, SchedulerModule.forRoot(mode)],
    };
  }
}
