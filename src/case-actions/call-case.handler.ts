import { Injectable } from '@nestjs/common';
import { JobContext } from '../queues/job-context';
import { CallCasePayload } from '../queues/job-map';

/** CALL_CASE. (Foundation stub: the calls issue replaces the body.) */
@Injectable()
export class CallCaseHandler {
  async handle(ctx: JobContext<CallCasePayload>): Promise<unknown> {
    return { received: 'CALL_CASE', caseId: ctx.data.caseId };
  }
}
