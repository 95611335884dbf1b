import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.service';
import { CallsSchedule } from './calls.schedule';
import { ReconcileSchedule, RECONCILE_EVERY_MINUTES } from './reconcile.schedule';
import { CallPassResult } from './call-scheduler';
import { SCHEDULER_MODE, SchedulerMode } from './scheduler-mode';
import { CollectionsPassResult, CollectionsSchedule, COLLECTION_TICK_EVERY_MINUTES } from '../collections/collections.schedule';

export const CALLS_CRON_NAME = 'scheduler-calls';
export const RECONCILE_CRON_NAME = 'scheduler-reconcile-calls';
export const COLLECTION_TICK_CRON_NAME = 'scheduler-collection-tick';
export const MAINTENANCE_HOURLY_CRON_NAME = 'scheduler-maintenance-hourly';
export const MAINTENANCE_DAILY_CRON_NAME = 'scheduler-maintenance-daily';
const CRON_NAMES = [CALLS_CRON_NAME, RECONCILE_CRON_NAME, COLLECTION_TICK_CRON_NAME, MAINTENANCE_HOURLY_CRON_NAME, MAINTENANCE_DAILY_CRON_NAME];

export interface SchedulerRunResult {
  kind: 'scheduler-run';
  at: string;
  dryRun: boolean;
  durationMs: number;
  calls: CallPassResult;
  reconcile: { stale: boolean; submitted: boolean; jobId: string | null };
  collections: CollectionsPassResult;
}

/**
 * The scheduler app: SCHEDULER_CRON runs the call pass; every 5 minutes the stale-call check; every
 * 15 minutes the collection tick; hourly and daily the maintenance jobs, which are also where
 * connections get their scheduled (SYNC_INTERVAL_HOURS) full syncs: one place decides when a
 * connection is synced, under the API's lock. Crons are registered through SchedulerRegistry with the configured expression
 * (in-process timers: nothing lives in Redis while idle). A tick that finds the previous one still
 * running is skipped. Safe with several scheduler processes (row locks, deterministic job ids).
 */
@Injectable()
export class SchedulerRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private busy = new Set<string>();

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly calls: CallsSchedule,
    private readonly reconcile: ReconcileSchedule,
    private readonly collections: CollectionsSchedule,
    private readonly log: PinoLogger,
    @Inject(SCHEDULER_MODE) private readonly mode: SchedulerMode,
  ) {
    this.log.setContext('Scheduler');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.mode !== 'cron') return;
    if (!this.config.get('SCHEDULER_ENABLED')) {
      this.log.info('scheduler disabled (SCHEDULER_ENABLED=false): no cron registered');
      return;
    }
    const expr = this.config.get('SCHEDULER_CRON');
    this.register(CALLS_CRON_NAME, expr, () => this.tick());
    this.register(RECONCILE_CRON_NAME, `0 */${RECONCILE_EVERY_MINUTES} * * * *`, () => this.reconcileTick());
    // The collection tick and the maintenance syncs: slot job ids, so several schedulers enqueue one each.
    await this.collections.removeLegacyRepeatable().catch((err: Error) => this.log.error({ err }, `could not remove the legacy repeatable tick: ${err.message}`));
    this.register(COLLECTION_TICK_CRON_NAME, `0 */${COLLECTION_TICK_EVERY_MINUTES} * * * *`, () => this.collections.tick(new Date()));
    this.register(MAINTENANCE_HOURLY_CRON_NAME, '0 5 * * * *', () => this.collections.maintenance('hourly', new Date()));
    this.register(MAINTENANCE_DAILY_CRON_NAME, '0 35 3 * * *', () => this.collections.maintenance('daily', new Date()));
    this.log.info({ cron: expr, reconcileEveryMinutes: RECONCILE_EVERY_MINUTES }, 'scheduler started');
  }

  onApplicationShutdown(): void {
    for (const name of CRON_NAMES) {
      if (this.registry.doesExist('cron', name)) this.registry.deleteCronJob(name);
    }
  }

  private register(name: string, expr: string, fn: () => Promise<unknown>): void {
    const job = CronJob.from({ cronTime: expr, onTick: () => void this.guarded(name, fn), start: false, timeZone: 'UTC' });
    this.registry.addCronJob(name, job as never);
    job.start();
  }

  private async guarded(name: string, fn: () => Promise<unknown>): Promise<void> {
    if (this.busy.has(name)) {
      this.log.warn({ cron: name }, 'previous tick still running: this tick is skipped');
      return;
    }
    this.busy.add(name);
    try {
      await fn();
    } catch (err) {
      this.log.error({ cron: name, err }, `scheduler tick failed: ${(err as Error).message}`);
    } finally {
      this.busy.delete(name);
    }
  }

  /** One cron tick: the call pass. */
  async tick(now = new Date()): Promise<void> {
    const started = Date.now();
    const calls = await this.calls.run({ now });
    this.log.info({ calls, durationMs: Date.now() - started }, `scheduler pass: ${calls.called} call(s) enqueued, ${calls.held} held`);
  }

  async reconcileTick(now = new Date()): Promise<void> {
    const r = await this.reconcile.run({ now });
    if (r.submitted) this.log.info(r, 'stale calls found: RECONCILE_CALLS enqueued');
  }

  /** --once / --dry-run: every part of the scheduler once; the result is what --once prints. */
  async runOnce(opts: { dryRun: boolean; now?: Date }): Promise<SchedulerRunResult> {
    const now = opts.now ?? new Date();
    const started = Date.now();
    const calls = await this.calls.run({ now, dryRun: opts.dryRun, detailed: opts.dryRun });
    const reconcile = await this.reconcile.run({ now, dryRun: opts.dryRun });
    const collections = await this.collections.runOnce(now, opts.dryRun);
    const result: SchedulerRunResult = { kind: 'scheduler-run', at: now.toISOString(), dryRun: opts.dryRun, durationMs: Date.now() - started, calls, reconcile, collections };
    this.log.info(
      { calls: { ...calls, calls: undefined, holds: undefined }, reconcile, collections, dryRun: opts.dryRun },
      `scheduler ${opts.dryRun ? 'dry run' : 'pass'}: ${calls.called} call(s) ${opts.dryRun ? 'would be enqueued' : 'enqueued'}, ${calls.held} held`,
    );
    return result;
  }
}
