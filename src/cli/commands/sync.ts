import { randomUUID } from 'crypto';
import { QueueProducer } from '../../queues/queue-producer.service';
import { SyncStep } from '../../queues/job-payloads';
import { PMS_SYNC_QUEUE } from '../../queues/queue-names';
import { GlobalOptions, withApp } from '../context';
import { CliRepository } from '../cli.repository';
import { CommandFailed } from '../exit-codes';
import { followJob } from '../progress';
import { renderSyncSummary } from '../sync-summary';
import { ConnectionCommands } from './connection.service';

/** The exact job the API enqueues for a manual sync (docs/queue-contract.md). */
export function manualSyncPayload(connectionId: string, tenantId: string, steps: SyncStep[] | undefined, idempotencyKey = `cli-${randomUUID()}`) {
  return { connectionId, tenantId, trigger: 'manual' as const, steps: steps && steps.length ? steps : null, idempotencyKey };
}

export async function sync(connectionId: string, o: { steps?: SyncStep[]; wait?: boolean; timeout: number; json?: boolean }, g: GlobalOptions): Promise<void> {
  await withApp(g, async (app) => {
    const c = await app.get(ConnectionCommands).get(connectionId);
    if (c.status === 'disabled') throw new CommandFailed(`connection ${connectionId} is disabled; enable it before syncing`);
    const payload = manualSyncPayload(c.id, c.tenant_id, o.steps);
    const producer = app.get(QueueProducer);
    const job = await producer.add(PMS_SYNC_QUEUE, 'sync', payload);
    if (!o.json) console.log(`enqueued sync of connection ${c.id} (${c.software}) as job ${job.id}${payload.steps ? `, steps ${payload.steps.join(',')}` : ''}`);
    if (!o.wait) {
      if (o.json) console.log(JSON.stringify({ jobId: job.id, data: payload }));
      return;
    }
    const { job: done, state } = await followJob(producer.pmsSync, job.id!, { timeoutMs: o.timeout * 1000, title: 'sync', out: o.json ? process.stderr : process.stdout });
    const cli = app.get(CliRepository);
    const rv = (done?.returnvalue ?? {}) as Record<string, unknown>;
    const runId = typeof rv.runId === 'string' ? rv.runId : typeof rv.syncRunId === 'string' ? rv.syncRunId : undefined;
    const run = (runId ? await cli.syncRunById(runId) : undefined) ?? (await cli.syncRunByKey(c.id, payload.idempotencyKey));
    if (o.json) console.log(JSON.stringify({ jobId: job.id, state, failedReason: done?.failedReason ?? null, returnvalue: done?.returnvalue ?? null, run: run ?? null }));
    else {
      if (run) console.log(renderSyncSummary(run));
      if (state === 'failed') console.log(`job ${job.id} failed: ${done?.failedReason ?? 'unknown reason'}`);
      else if (state !== 'completed') console.log(`job ${job.id} is still ${state} after ${o.timeout} s`);
    }
    if (state !== 'completed') process.exitCode = 1;
  });
}
