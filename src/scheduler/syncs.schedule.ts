import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { QueueProducer } from '../queues/queue-producer.service';
import { CONNECTIONS_DUE_FOR_SYNC_SQL } from './scheduler.queries';

export interface SyncPassResult {
  due: number;
  submitted: number;
  connections: string[];
}

/** The interval slot of a scheduled sync: floor(hours since epoch / interval). */
export function syncSlot(now: Date, intervalHours: number): number {
  return Math.floor(now.getTime() / (intervalHours * 3600_000));
}

/**
 * Scheduled syncs: every connected connection whose last successful sync is older than
 * SYNC_INTERVAL_HOURS gets one `sync` job (trigger 'scheduled'). Never a second one while one is
 * pending or running: the SQL skips connections with a pending/running sync_run, BullMQ deduplication
 * (id per connection) skips one still waiting or active in the queue, and the job id and idempotency
 * key are fixed per interval slot. SYNC_INTERVAL_HOURS=0 turns scheduled syncs off.
 */
@Injectable()
export class SyncsSchedule {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: QueueProducer,
    private readonly config: AppConfig,
  ) {}

  async run(opts: { now?: Date; dryRun?: boolean } = {}): Promise<SyncPassResult> {
    const now = opts.now ?? new Date();
    const hours = this.config.get('SYNC_INTERVAL_HOURS');
    if (hours <= 0) return { due: 0, submitted: 0, connections: [] };
    const rows = (await this.dataSource.query(CONNECTIONS_DUE_FOR_SYNC_SQL, [now.toISOString(), hours, this.config.get('SCHEDULER_TENANT_ID') ?? null])) as {
      id: string;
      tenant_id: string;
    }[];
    const slot = syncSlot(now, hours);
    let submitted = 0;
    if (!opts.dryRun) {
      for (const c of rows) {
        await this.producer.enqueueSync(
          { connectionId: c.id, tenantId: c.tenant_id, trigger: 'scheduled', idempotencyKey: `scheduled-${c.id}-${hours}h-${slot}` },
          { jobId: `sync-scheduled-${c.id}-${hours}h-${slot}`, deduplication: { id: `sync-scheduled-${c.id}` } },
        );
        submitted++;
      }
    }
    return { due: rows.length, submitted, connections: rows.map((r) => r.id) };
  }
}
