import { Injectable } from '@nestjs/common';
import { JobContext } from '../queues/job-context';
import { CasesPayload, SyncPayload } from '../queues/job-map';

/**
 * Handlers of the pms-sync queue. (Foundation stub: the sync engine replaces the bodies.)
 */
@Injectable()
export class SyncJobsHandler {
  async sync(ctx: JobContext<SyncPayload>): Promise<unknown> {
    return { received: 'sync', connectionId: ctx.data.connectionId };
  }

  async buildNewCases(ctx: JobContext<CasesPayload>): Promise<unknown> {
    return { received: ctx.job.name, connectionId: ctx.data.connectionId };
  }

  async refreshCases(ctx: JobContext<CasesPayload>): Promise<unknown> {
    return { received: 'refresh-cases', connectionId: ctx.data.connectionId };
  }

  async syncFullFlow(ctx: JobContext<CasesPayload>): Promise<unknown> {
    return { received: 'sync-full-flow', connectionId: ctx.data.connectionId };
  }
}
