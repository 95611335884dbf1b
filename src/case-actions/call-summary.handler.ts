import { Injectable } from '@nestjs/common';
import { JobContext } from '../queues/job-context';
import { CallSummaryPayload } from '../queues/job-map';

/** SYNC_CALL_SUMMARY. (Foundation stub: the calls issue replaces the body.) */
@Injectable()
export class CallSummaryHandler {
  async handle(ctx: JobContext<CallSummaryPayload>): Promise<unknown> {
    return { received: 'SYNC_CALL_SUMMARY', interactionId: ctx.data.interactionId ?? null };
  }
}
