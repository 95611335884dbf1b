import { QueueProducer } from '../../queues/queue-producer.service';
import { JOB_IDS } from '../../queues/job-catalog';
import { CASE_ACTIONS_QUEUE } from '../../queues/queue-names';
import { GlobalOptions, withApp } from '../context';
import { CliRepository } from '../cli.repository';
import { UsageError } from '../exit-codes';

/** What the API's on-demand call enqueues: CALL_CASE, jobId CALL_CASE-on-demand-<caseId>-<ts>, API defaults. */
export async function call(caseId: string, o: { json?: boolean }, g: GlobalOptions): Promise<void> {
  await withApp(g, async (app) => {
    const c = await app.get(CliRepository).caseById(caseId);
    if (!c) throw new UsageError(`debt case ${caseId} does not exist`);
    const job = await app.get(QueueProducer).add(CASE_ACTIONS_QUEUE, 'CALL_CASE', { tenantId: c.tenant_id, caseId: c.id }, JOB_IDS.onDemandCall(c.id, new Date()));
    if (o.json) console.log(JSON.stringify({ jobId: job.id, queue: 'case-actions', name: 'CALL_CASE', data: job.data }));
    else {
      console.log(`enqueued CALL_CASE for case ${c.id} (tenant ${c.tenant_id}, status ${c.status}${c.closed_at ? ', closed' : ''}): job ${job.id}`);
      console.log('the call rules are checked again when the worker runs the job (it may be held back)');
    }
  });
}
