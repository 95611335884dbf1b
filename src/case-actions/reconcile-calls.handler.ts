import { Injectable } from '@nestjs/common';
import { JobContext } from '../queues/job-context';

/** RECONCILE_CALLS. (Foundation stub: the calls issue replaces the body.) */
@Injectable()
export class ReconcileCallsHandler {
  async handle(_ctx: JobContext<unknown>): Promise<unknown> {
    return { reconciled: 0 };
  }
}
