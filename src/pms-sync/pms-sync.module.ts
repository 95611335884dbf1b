import { Module } from '@nestjs/common';
import { ConnectorsModule } from '../connectors/connectors.module';
import { AgingService } from './aging.service';
import { CasesService } from './cases.service';
import { SyncJobsHandler } from './sync-jobs.handler';
import { PagePipeline } from './page-pipeline';
import { PostPullPhases } from './post-pull.phases';
import { SyncRunner } from './sync-runner.service';
import { SyncRunsRepository } from './sync-runs.repository';
import { SyncShutdown } from './sync-shutdown.service';

/** The sync engine: runner (run bookkeeping, page pipeline, post-pull phases), canonical writer, aging, cases. Imported by the worker and the CLI. */
@Module({
  imports: [ConnectorsModule],
  providers: [AgingService, CasesService, SyncRunsRepository, PagePipeline, PostPullPhases, SyncRunner, SyncJobsHandler, SyncShutdown],
  exports: [SyncJobsHandler, SyncRunner, CasesService, AgingService, ConnectorsModule],
})
export class PmsSyncModule {}
