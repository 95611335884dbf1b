import { Global, Module } from '@nestjs/common';
import { AppConfigModule } from './config/config.module';
import { LoggingModule } from './logging/logging.module';
import { DatabaseModule } from './database/database.module';
import { QueuesModule } from './queues/queues.module';
import { JobMetrics } from './queues/job-metrics';

/** What every app (worker, scheduler, CLI) stands on: config, logs, Postgres, Redis queues. */
@Global()
@Module({
  imports: [AppConfigModule, LoggingModule, DatabaseModule, QueuesModule],
  providers: [JobMetrics],
  exports: [JobMetrics],
})
export class CoreModule {}
