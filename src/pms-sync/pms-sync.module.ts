import { Module } from '@nestjs/common';
import { ConnectorsModule } from '../connectors/connectors.module';
import { AgingService } from './aging.service';
import { CasesService } from './cases.service';
import { SyncJobsHandler } from './sync-jobs.handler';
import { SyncRunner } from './sync-runner.service';
import { SyncRunsRepository } from './sync-runs.repository';
import { SyncShutdown } from './sync-shutdown.service';

/** The sync engine: runner, canonical writer, aging, cases. Imported by the worker and the CLI. */
@Module({
  imports: [ConnectorsModule],
  providers: [AgingService, CasesService, SyncRunsRepository, SyncRunner, SyncJobsHandler, SyncShutdown],
  exports: [SyncJobsHandler, SyncRunner, CasesService, AgingService, ConnectorsModule],
})
export class PmsSyncModule {}
