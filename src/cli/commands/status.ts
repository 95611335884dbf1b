import { Queue } from 'bullmq';
import { QueueProducer } from '../../queues/queue-producer.service';
import { GlobalOptions, withApp } from '../context';
import { CliRepository } from '../cli.repository';
import { duration, table } from '../format';
import { runDurationMs, tableCounts } from '../sync-summary';
import { driftIsEmpty } from '../../database/schema/schema-guard';
import { tickHistory } from '../../collections/collections-stats';

export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed', 'paused'] as const;

export async function queueCounts(queues: Queue[]): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const q of queues) out[q.name] = await q.getJobCounts(...JOB_STATES);
  return out;
}

export async function status(o: { failed: number; json?: boolean }, g: GlobalOptions): Promise<void> {
  await withApp(g, async (app) => {
    const producer = app.get(QueueProducer);
    const queues = [producer.pmsSync, producer.caseActions, producer.collectionTick, producer.automationMaintenance];
    const counts = await queueCounts(queues);
    const cli = app.get(CliRepository);
    const runs = await cli.lastSyncRunPerConnection();
    const failed: { queue: string; id: string; name: string; attempts: number; failedAt: string | null; reason: string }[] = [];
    for (const q of queues) {
      for (const j of await q.getFailed(0, o.failed - 1)) {
        failed.push({ queue: q.name, id: String(j.id), name: j.name, attempts: j.attemptsMade, failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null, reason: j.failedReason ?? '' });
      }
    }
    const drift = await cli.schemaDrift();
    const collections = { ...(await cli.collectionsOverview()), ticks24h: await tickHistory(producer.collectionTick) };
    const messages24h = await cli.messagesOverview();
    if (o.json) {
      console.log(JSON.stringify({ queues: counts, lastSyncRuns: runs, failedJobs: failed, schemaDrift: drift, collections, messages24h }));
      return;
    }
    if (driftIsEmpty(drift)) {
      console.log('Schema: as the workers need it');
    } else {
      console.log('Schema drift (the worker and the scheduler rebuild missing indexes at start; `migrate` does it now):');
      if (drift.missingApiTables.length) console.log(`  missing API tables: ${drift.missingApiTables.join(', ')}`);
      if (drift.missingWorkerTables.length) console.log(`  missing worker tables (run migrate): ${drift.missingWorkerTables.join(', ')}`);
      if (drift.missingIndexes.length) console.log(`  missing indexes on API tables: ${drift.missingIndexes.join(', ')}`);
    }
    console.log('');
    console.log('Queues:');
    console.log(table(Object.entries(counts).map(([queue, c]) => ({ queue, ...c })), ['queue', ...JOB_STATES]));
    console.log('\nLast sync run per connection:');
    console.log(
      table(
        runs.map((r) => ({
          connection: r.connection_id,
          software: r.software,
          connection_status: r.connection_status,
          run_status: r.status,
          trigger: r.trigger,
          triggered_at: r.triggered_at,
          duration: duration(runDurationMs(r)),
          records: Object.values(tableCounts(r.stats)).reduce((n, c) => n + (c.rows ?? c.received ?? (c.created ?? 0) + (c.updated ?? 0) + (c.unchanged ?? 0)), 0),
          error: r.error_message,
        })),
      ),
    );
    if (collections.available) {
      console.log(`\nCollections: ${collections.activeAutomations} active automation(s), last tick ${collections.lastTickAt ?? 'never'}, ${collections.dueNow} state(s) due now`);
      const t = collections.ticks24h;
      console.log(`Ticks of the last 24 hours: ${t.ticks} tick(s), ${t.claimed} due state(s), ${t.dispatched} dispatched (${Object.entries(t.jobs).map(([k, n]) => `${n} ${k}`).join(', ') || 'no job'})`);
      if (Object.keys(t.skipped).length) {
        console.log('States not dispatched, by reason:');
        console.log(table(Object.entries(t.skipped).sort((a, b) => b[1] - a[1]).map(([reason, states]) => ({ reason, states }))));
      }
      console.log('Events of the last 24 hours (*_queued = dispatched; the others say why not):');
      console.log(table(collections.events24h, ['event_type', 'n']));
    }
    console.log('\nMessages of the last 24 hours (SMS / email interactions; failed by kind):');
    console.log(table(messages24h.byStatus, ['channel', 'status', 'reason', 'n']));
    if (messages24h.skipped.length) {
      console.log('Messages held by a rule (the API events):');
      console.log(table(messages24h.skipped, ['channel', 'event_type', 'n']));
    }
    console.log(`\nFailed jobs (latest ${o.failed} per queue):`);
    console.log(table(failed, ['queue', 'id', 'name', 'attempts', 'failedAt', 'reason']));
  });
}
