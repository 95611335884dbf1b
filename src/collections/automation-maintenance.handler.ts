import { Injectable } from '@nestjs/common';
import type { Logger as PinoInstance } from 'pino';
import { DataSource } from 'typeorm';
import { SYNC_STEPS, SyncStep } from '../queues/job-payloads';
import { AppConfig } from '../config/app-config.service';
import { connectionsDueForFullSync } from './full-sync';
import { JobContext } from '../queues/job-context';
import { MaintenancePayload } from '../queues/job-payloads';
import { QueueProducer } from '../queues/queue-producer.service';
import { CasesService } from '../pms-sync/cases.service';
import { SyncRunner } from '../pms-sync/sync-runner.service';
import { SyncBusyError } from '../pms-sync/sync.types';
import { CONNECTED_CONNECTIONS_SQL, SYNC_RUNNING_SQL } from './collections.sql';
import { acquirePmsSyncLock, LockRedis, releasePmsSyncLock } from './pms-sync-lock';

export type MaintenanceKind = 'hourly' | 'daily';

/** The API's maintenance steps: hourly payments and balances (then refresh and build), daily debtors and leases. */
export const MAINTENANCE_STEPS: Record<MaintenanceKind, SyncStep[]> = {
  hourly: ['payments', 'balances_aging'],
  daily: ['debtors_leases'],
};

export type ConnectionOutcome =
  | { connectionId: string; tenantId: string; skipped: true; reason: 'lock_held' | 'sync_already_running' }
  | { connectionId: string; tenantId: string; skipped: false; full: boolean; runId: string | null; updated?: number; resolved?: number; newCases?: number }
  | { connectionId: string; tenantId: string; skipped: false; full: boolean; error: string };

/**
 * automation-maintenance: per connected connection (or the one in the payload), take the API's lock,
 * sync the kind's steps, and for `hourly` refresh then build cases (which enrolls new ones); release
 * the lock whatever happens. A connection whose lock is held, or whose sync is pending or running, is
 * skipped. A job over every connection tries them all and then fails naming the ones that failed.
 *
 * This is also where scheduled full syncs happen: an hourly job whose connection had no complete
 * sync for SYNC_INTERVAL_HOURS (or never had one) syncs every step instead of the hourly ones. Doing
 * it here, and not as separate `sync` jobs, means one place decides when a connection is synced and
 * every scheduled sync runs under the API's lock.
 */
@Injectable()
export class AutomationMaintenanceHandler {
  constructor(
    private readonly runner: SyncRunner,
    private readonly cases: CasesService,
    private readonly db: DataSource,
    private readonly producer: QueueProducer,
    private readonly config: AppConfig,
  ) {}

  hourly(ctx: JobContext<MaintenancePayload>) {
    return this.run('hourly', ctx);
  }

  daily(ctx: JobContext<MaintenancePayload>) {
    return this.run('daily', ctx);
  }

  private async run(kind: MaintenanceKind, ctx: JobContext<MaintenancePayload>) {
    const targets = ctx.data.connectionId
      ? [{ id: ctx.data.connectionId, tenant_id: ctx.data.tenantId! }]
      : await this.db.query<{ id: string; tenant_id: string }[]>(CONNECTED_CONNECTIONS_SQL, [null]);
    const out: ConnectionOutcome[] = [];
    for (const c of targets) out.push(await this.forConnection(kind, c.tenant_id, c.id, ctx.log));
    const failed = out.filter((o): o is Extract<ConnectionOutcome, { error: string }> => 'error' in o);
    if (failed.length > 0) throw new Error(`${kind} maintenance failed for ${failed.map((f) => `connection ${f.connectionId}: ${f.error}`).join('; ')}`);
    return { kind, connections: out.length, processed: out.filter((o) => !o.skipped).length, skipped: out.filter((o) => o.skipped).length, fullSyncs: out.filter((o) => !o.skipped && o.full).length, results: out };
  }

  async forConnection(kind: MaintenanceKind, tenantId: string, connectionId: string, log?: PinoInstance): Promise<ConnectionOutcome> {
    const base = { connectionId, tenantId };
    const [{ running }] = await this.db.query<{ running: boolean }[]>(SYNC_RUNNING_SQL, [connectionId]);
    if (running) {
      log?.info(base, `${kind} maintenance: skip (a sync of the connection is pending or running)`);
      return { ...base, skipped: true, reason: 'sync_already_running' };
    }
    const redis = (await this.producer.automationMaintenance.client) as unknown as LockRedis;
    if (!(await acquirePmsSyncLock(redis, tenantId, connectionId))) {
      log?.info(base, `${kind} maintenance: skip (lock held)`);
      return { ...base, skipped: true, reason: 'lock_held' };
    }
    let full = false;
    try {
      // decided under the lock, so that two maintenance jobs of the connection cannot both decide on a full sync
      full = kind === 'hourly' && (await connectionsDueForFullSync((sql, p) => this.db.query(sql, p), [connectionId], new Date(), this.config.get('SYNC_INTERVAL_HOURS'))).length === 1;
      const steps: SyncStep[] = full ? [...SYNC_STEPS] : MAINTENANCE_STEPS[kind];
      if (full) log?.info({ ...base, steps }, `hourly maintenance: no complete sync for SYNC_INTERVAL_HOURS=${this.config.get('SYNC_INTERVAL_HOURS')}: full sync`);
      const sync = await this.runner.run({ connectionId, tenantId, trigger: 'scheduled', steps, cases: false, log });
      if (kind === 'daily') return { ...base, skipped: false, full, runId: sync.runId };
      const refreshed = await this.cases.refresh(connectionId, tenantId);
      const built = await this.cases.buildNew(connectionId, tenantId);
      return { ...base, skipped: false, full, runId: sync.runId, updated: refreshed.refreshed, resolved: refreshed.closedPaid, newCases: built.created };
    } catch (err) {
      if (err instanceof SyncBusyError) return { ...base, skipped: true, reason: 'sync_already_running' };
      log?.error({ err, ...base }, `${kind} maintenance failed`);
      return { ...base, skipped: false, full, error: (err as Error).message };
    } finally {
      await releasePmsSyncLock(redis, tenantId, connectionId);
    }
  }
}
