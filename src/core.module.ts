import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfigModule } from './config/config.module';
import { AppBoot } from './config/app-config.service';
import { LoggingModule } from './logging/logging.module';
import { DatabaseModule } from './database/database.module';
import { QueuesModule } from './queues/queues.module';
import { JobMetrics } from './queues/job-metrics';

/** What every app (worker, scheduler, CLI) stands on: config, logs, Postgres, Redis queues. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(boot: AppBoot): DynamicModule {
    return {
      module: CoreModule,
      imports: [AppConfigModule.forRoot(boot), LoggingModule, DatabaseModule, QueuesModule],
      providers: [JobMetrics],
      exports: [JobMetrics],
    };
  }
}
