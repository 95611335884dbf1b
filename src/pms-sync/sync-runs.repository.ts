import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PermanentJobError, errorMessage } from '../common/errors';
import { PmsApiError } from '../connectors/connector.types';
import { SyncStep } from '../queues/job-payloads';
import { Checkpoint, RunSyncOptions, SyncBusyError, SyncStats, SyncSummary } from './sync.types';

/**
 * A sync run is the API's row (sync_runs: status, step, stats, errors, which the API shows) plus
 * the workers' own bookkeeping (worker_sync_runs: owning job, heartbeat, checkpoint, mode, steps),
 * which the API's restart would erase if it lived on the API's table.
 */
const SYNC_RUN_SQL = {
  select: `SELECT r.*, w.job_id, w.heartbeat_at, w.checkpoint, w.mode, w.steps FROM sync_runs r LEFT JOIN worker_sync_runs w ON w.sync_run_id = r.id`,
  upsertWorker: `INSERT INTO worker_sync_runs (sync_run_id, pms_connection_id, job_id, heartbeat_at, mode, steps)
    VALUES ($1, $2, $3, now(), $4, $5::jsonb)
    ON CONFLICT (sync_run_id) DO UPDATE SET job_id = coalesce(EXCLUDED.job_id, worker_sync_runs.job_id), heartbeat_at = now(),
      mode = coalesce(worker_sync_runs.mode, EXCLUDED.mode), steps = coalesce(worker_sync_runs.steps, EXCLUDED.steps)`,
  heartbeat: `UPDATE worker_sync_runs w SET heartbeat_at = now() FROM sync_runs r WHERE w.sync_run_id = $1 AND r.id = w.sync_run_id AND r.status = 'running'`,
  heartbeatAny: `UPDATE worker_sync_runs SET heartbeat_at = now() WHERE sync_run_id = $1`,
};

/** A run with its worker bookkeeping, as SYNC_RUN_SQL.select reads it (stats and checkpoint may be empty objects). */
interface SyncRunRow {
  id: string;
  status: string;
  stats: (Partial<SyncStats> & { summary?: SyncSummary }) | null;
  checkpoint: Checkpoint | null;
  mode: 'full' | 'incremental' | null;
  steps: SyncStep[] | null;
}

/** The run a job works on; replay is set when its idempotency key names a run already completed. */
export interface RunClaim {
  runId: string;
  resumed: boolean;
  stats?: SyncStats;
  checkpoint?: Checkpoint;
  replay?: SyncSummary;
}

export type ClaimRequest = Pick<RunSyncOptions, 'connectionId' | 'trigger' | 'idempotencyKey' | 'jobId'>;

/** The sync_runs / worker_sync_runs rows of a run, and the connection status each stage of a run sets. */
@Injectable()
export class SyncRunsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Finds or opens the run this job owns:
   * - same idempotency key: the same run (completed: its summary is returned; otherwise resumed);
   * - same job id (a BullMQ retry or a job recovered after a crash): resumed from its checkpoint;
   * - otherwise a new run, after taking over an active run whose heartbeat is stale.
   */
  async claim(o: ClaimRequest, mode: 'full' | 'incremental', steps: SyncStep[], staleSeconds: number): Promise<RunClaim> {
    try {
      return await this.db.transaction(async (db) => {
        // Serialise claims of one connection.
        await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sync-run:${o.connectionId}`]);
        let own: SyncRunRow | undefined;
        if (o.idempotencyKey) {
          own = (await db.query<SyncRunRow[]>(`${SYNC_RUN_SQL.select} WHERE r.pms_connection_id = $1 AND r.idempotency_key = $2`, [o.connectionId, o.idempotencyKey]))[0];
          if (own?.status === 'completed') {
            const summary = (own.stats?.summary ?? { runId: own.id, status: 'completed', counts: own.stats?.tables ?? {} }) as SyncSummary;
            return { runId: own.id, resumed: false, replay: { ...summary, idempotentReplay: true } };
          }
        } else if (o.jobId) {
          own = (
            await db.query<SyncRunRow[]>(
              `${SYNC_RUN_SQL.select} WHERE w.pms_connection_id = $1 AND w.job_id = $2 AND r.status IN ('pending','running','failed') ORDER BY r.triggered_at DESC LIMIT 1`,
              [o.connectionId, o.jobId],
            )
          )[0];
        }
        const active = (await db.query<SyncRunRow[]>(`${SYNC_RUN_SQL.select} WHERE r.pms_connection_id = $1 AND r.status IN ('pending','running')`, [o.connectionId]))[0];
        if (active && (!own || active.id !== own.id)) {
          const stale = (
            await db.query<{ stale: boolean }[]>(
              `SELECT coalesce(w.heartbeat_at, r.started_at, r.triggered_at) < now() - make_interval(secs => $2) AS stale
                 FROM sync_runs r LEFT JOIN worker_sync_runs w ON w.sync_run_id = r.id WHERE r.id = $1`,
              [active.id, staleSeconds],
            )
          )[0].stale;
          if (!stale) throw new SyncBusyError(`another sync of connection ${o.connectionId} is running (run ${active.id})`);
          await db.query(
            `UPDATE sync_runs SET status = 'failed', finished_at = now(), error_message = $2, updated_at = now() WHERE id = $1`,
            [active.id, `abandoned: its worker stopped (no heartbeat for ${staleSeconds} s); taken over by a later sync`],
          );
        }
        if (own) {
          await db.query(
            `UPDATE sync_runs SET status = 'running', started_at = coalesce(started_at, now()),
               finished_at = NULL, error_message = NULL, error_details = NULL, updated_at = now() WHERE id = $1`,
            [own.id],
          );
          await db.query(SYNC_RUN_SQL.upsertWorker, [own.id, o.connectionId, o.jobId ?? null, own.mode ?? mode, JSON.stringify(own.steps ?? steps)]);
          const hasStats = own.stats && own.stats.tables;
          return { runId: own.id, resumed: true, stats: hasStats ? (own.stats as SyncStats) : undefined, checkpoint: own.checkpoint ?? {} };
        }
        // The API's tables have no defaults for ids and timestamps: they are given here.
        const [ins] = await db.query<{ id: string }[]>(
          `INSERT INTO sync_runs (id, pms_connection_id, status, trigger, idempotency_key, triggered_at, started_at, step, stats, created_at, updated_at)
           VALUES (gen_random_uuid(), $1, 'running', $2, $3, now(), now(), 'starting', '{}'::jsonb, now(), now()) RETURNING id`,
          [o.connectionId, o.trigger ?? 'manual', o.idempotencyKey ?? null],
        );
        const runId = ins.id;
        await db.query(SYNC_RUN_SQL.upsertWorker, [runId, o.connectionId, o.jobId ?? null, mode, JSON.stringify(steps)]);
        return { runId, resumed: false };
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new SyncBusyError(`another sync of connection ${o.connectionId} is running`);
      throw err;
    }
  }

  /** Keeps a running run's heartbeat fresh, so no other job takes it over. */
  async heartbeat(runId: string): Promise<void> {
    await this.db.query(SYNC_RUN_SQL.heartbeat, [runId]);
  }

  async markConnectionSyncing(connectionId: string): Promise<void> {
    await this.db.query(
      `UPDATE pms_connections SET status = 'syncing', sync_state = coalesce(sync_state, '{}'::jsonb) || jsonb_build_object('lastAttemptAt', now()), updated_at = now() WHERE id = $1`,
      [connectionId],
    );
  }

  /** The run's stats and step, and its checkpoint: inside the transaction of the work they record. */
  async saveProgress(db: EntityManager, runId: string, stats: SyncStats, cp: Checkpoint, step: string): Promise<void> {
    await db.query(`UPDATE sync_runs SET stats = $2::jsonb, step = $3, updated_at = now() WHERE id = $1`, [runId, JSON.stringify(stats), step]);
    await db.query(`UPDATE worker_sync_runs SET checkpoint = $2::jsonb, heartbeat_at = now() WHERE sync_run_id = $1`, [runId, JSON.stringify(cp)]);
  }

  /** The run completed, the connection connected with its new incremental cursors: one transaction. */
  async complete(runId: string, connectionId: string, stats: SyncStats, cursors: Record<string, string>): Promise<void> {
    await this.db.transaction(async (db) => {
      await db.query(
        `UPDATE sync_runs SET status = 'completed', finished_at = now(), step = 'done', stats = $2::jsonb,
           error_message = NULL, error_details = NULL, updated_at = now() WHERE id = $1`,
        [runId, JSON.stringify(stats)],
      );
      await db.query(SYNC_RUN_SQL.heartbeatAny, [runId]);
      await db.query(
        `UPDATE pms_connections SET status = 'connected', last_synced_at = now(), last_error = NULL, updated_at = now(),
           sync_state = coalesce(sync_state, '{}'::jsonb) || $2::jsonb || jsonb_build_object('lastSuccessfulRunAt', now(), 'lastRunStatus', 'SUCCESS', 'lastErrorMessage', NULL, 'lastRunId', $3::text)
         WHERE id = $1`,
        [connectionId, JSON.stringify(cursors), runId],
      );
    });
  }

  /** Stopped by a shutdown: the running run goes back to pending, for its job to resume. */
  async interrupt(runId: string): Promise<void> {
    await this.db.query(
      `WITH r AS (UPDATE sync_runs SET status = 'pending', step = 'interrupted', updated_at = now() WHERE id = $1 AND status = 'running' RETURNING id)
       UPDATE worker_sync_runs w SET heartbeat_at = now() FROM r WHERE w.sync_run_id = r.id`,
      [runId],
    );
  }

  /** The run failed and the connection is in error, with the same message and details (the PMS's endpoint and status) on both. */
  async fail(runId: string, connectionId: string, err: unknown): Promise<void> {
    const message = errorMessage(err);
    const details: Record<string, unknown> = { name: (err as Error)?.name };
    if (err instanceof PmsApiError) Object.assign(details, err.details);
    if (err instanceof PermanentJobError && err.details) Object.assign(details, err.details);
    await this.db.transaction(async (db) => {
      await db.query(
        `UPDATE sync_runs SET status = 'failed', finished_at = now(), error_message = $2, error_details = $3::jsonb, updated_at = now() WHERE id = $1`,
        [runId, message, JSON.stringify(details)],
      );
      await db.query(
        `UPDATE pms_connections SET status = 'error', updated_at = now(),
           last_error = jsonb_build_object('message', $2::text, 'details', $3::jsonb, 'at', now(), 'runId', $4::text),
           sync_state = coalesce(sync_state, '{}'::jsonb) || jsonb_build_object('lastRunStatus', 'FAILED', 'lastErrorMessage', $2::text)
         WHERE id = $1`,
        [connectionId, message, JSON.stringify(details), runId],
      );
    });
  }
}
