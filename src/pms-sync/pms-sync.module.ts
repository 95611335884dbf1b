import { Module } from '@nestjs/common';
import { SyncJobsHandler } from './sync-jobs.handler';

/** The sync engine: runner, canonical writer, aging, cases. Imported by the worker and the CLI. */
@Module({
  providers: [SyncJobsHandler],
  exports: [SyncJobsHandler],
})
export class PmsSyncModule {}
