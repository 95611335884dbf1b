import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { QueueProducer } from '../queues/queue-producer.service';
import { JOB_IDS } from '../queues/job-catalog';
import { AUTOMATION_MAINTENANCE_QUEUE, COLLECTION_TICK_QUEUE } from '../queues/queue-names';
import { ANY_ACTIVE_AUTOMATION_SQL, COLLECTIONS_TABLES_EXIST_SQL, CONNECTED_CONNECTIONS_SQL } from './collections.sql';
import { slotStart, TICK_INTERVAL_MS } from './tick-decision';
import { connectionsDueForFullSync } from './full-sync';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** The start of the hour (hourly) or UTC day (daily) that holds `now`: one maintenance job per connection and period. */
export const maintenancePeriodStart = (kind: 'hourly' | 'daily', now: Date): number => {
  const size = kind === 'hourly' ? HOUR_MS : DAY_MS;
  return Math.floor(now.getTime() / size) * size;
};

export interface CollectionsPassResult {
  tick: string | null;
  hourly: number;
  daily: number;
  /** connections whose hourly job will run a full sync (SYNC_INTERVAL_HOURS); decided again by the job */
  fullSyncs: string[];
  legacyRemoved?: number;
}

/**
 * The scheduler's side of the collections engine: one `tick` per 15-minute slot and one maintenance
 * job per connected connection per hour (hourly) and per day (daily). Job ids are the slot, so several
 * schedulers enqueue each job once, and nothing lives in Redis between slots (in-process timers).
 */
@Injectable()
export class CollectionsSchedule {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: QueueProducer,
    private readonly config: AppConfig,
    private readonly log: PinoLogger,
  ) {
    this.log.setContext('CollectionsSchedule');
  }

  /**
   * The previous worker scheduled `tick` as a BullMQ repeatable job (every 15 minutes, id
   * collection-tick-recurring); left in Redis it keeps a delayed job and makes workers poll. Removed at
   * scheduler start (both the legacy repeatable API and the job-scheduler API of BullMQ 5).
   */
  async removeLegacyRepeatable(): Promise<number> {
    const q = this.producer.collectionTick;
    let removed = 0;
    for (const s of await q.getJobSchedulers(0, -1)) {
      if (s.name === 'tick' && (await q.removeJobScheduler(s.key))) removed++;
    }
    for (const r of await q.getRepeatableJobs(0, -1)) {
      if (r.name === 'tick' && (await q.removeRepeatableByKey(r.key))) removed++;
    }
    if (removed > 0) this.log.info({ removed }, 'removed the legacy repeatable collection tick');
    return removed;
  }

  /**
   * The slot's tick, only when some automation is active: with none there is nothing to claim, and
   * not enqueuing keeps an idle Redis idle (a tick job costs a handful of commands every 15 minutes).
   * A tick enqueued by anyone else is still run by the worker.
   */
  async tick(now: Date, dryRun = false): Promise<string | null> {
    const [{ ok: tables }] = (await this.dataSource.query(COLLECTIONS_TABLES_EXIST_SQL)) as { ok: boolean }[];
    if (!tables) return null;
    const [{ any }] = (await this.dataSource.query(ANY_ACTIVE_AUTOMATION_SQL)) as { any: boolean }[];
    if (!any) return null;
    const id = JOB_IDS.tick(slotStart(now));
    if (!dryRun) await this.producer.add(COLLECTION_TICK_QUEUE, 'tick', {}, id);
    return id;
  }

  async maintenance(kind: 'hourly' | 'daily', now: Date, dryRun = false): Promise<number> {
    const rows = (await this.dataSource.query(CONNECTED_CONNECTIONS_SQL, [this.config.get('SCHEDULER_TENANT_ID') ?? null])) as { id: string; tenant_id: string }[];
    if (!dryRun) {
      const period = maintenancePeriodStart(kind, now);
      for (const c of rows) await this.producer.add(AUTOMATION_MAINTENANCE_QUEUE, kind, { tenantId: c.tenant_id, connectionId: c.id }, JOB_IDS.maintenance(kind, c.id, period));
    }
    return rows.length;
  }

  /** Connected connections that are due for a full sync now (what the hourly jobs will find). */
  async fullSyncsDue(now: Date): Promise<string[]> {
    const rows = (await this.dataSource.query(CONNECTED_CONNECTIONS_SQL, [this.config.get('SCHEDULER_TENANT_ID') ?? null])) as { id: string }[];
    return connectionsDueForFullSync((sql, p) => this.dataSource.query(sql, p), rows.map((r) => r.id), now, this.config.get('SYNC_INTERVAL_HOURS'));
  }

  /** --once: the tick of the current slot and this hour's / today's maintenance. */
  async runOnce(now: Date, dryRun: boolean): Promise<CollectionsPassResult> {
    const fullSyncs = await this.fullSyncsDue(now);
    return { tick: await this.tick(now, dryRun), hourly: await this.maintenance('hourly', now, dryRun), daily: await this.maintenance('daily', now, dryRun), fullSyncs };
  }
}

export const COLLECTION_TICK_EVERY_MINUTES = TICK_INTERVAL_MS / 60_000;
