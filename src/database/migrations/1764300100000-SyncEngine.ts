import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sync engine's additions (all "(new)", none touches an API column):
 * - sync_runs.job_id: the BullMQ job that owns the run (a retried or recovered job resumes it);
 * - sync_runs.heartbeat_at: refreshed while the run works; a running run whose heartbeat is older
 *   than SYNC_RUN_STALE_SECONDS is taken over (its worker died), so it never blocks forever;
 * - sync_runs.checkpoint: per-stream resume points, written in the same transaction as each page;
 * - sync_runs.mode ('full' | 'incremental') and sync_runs.steps (the job's steps);
 * - sync_run_seen: external ids of debtors, leases and balance reports a full pull returned
 *   (drives soft-deletes; emptied when the run ends);
 * - pms_reported_balances: the latest lease balance the PMS reported (wins over the ledger);
 * - the 'sandbox' software row.
 * Idempotent: IF NOT EXISTS everywhere, ON CONFLICT DO NOTHING for the row.
 */
export class SyncEngine1764300100000 implements MigrationInterface {
  name = 'SyncEngine1764300100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sync_runs ADD COLUMN IF NOT EXISTS job_id varchar(256)`);
    await db.query(`ALTER TABLE sync_runs ADD COLUMN IF NOT EXISTS heartbeat_at timestamptz`);
    await db.query(`ALTER TABLE sync_runs ADD COLUMN IF NOT EXISTS checkpoint jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await db.query(`ALTER TABLE sync_runs ADD COLUMN IF NOT EXISTS mode varchar(16)`);
    await db.query(`ALTER TABLE sync_runs ADD COLUMN IF NOT EXISTS steps jsonb`);
    await db.query(`CREATE INDEX IF NOT EXISTS ix_sync_runs_connection_job ON sync_runs (pms_connection_id, job_id) WHERE job_id IS NOT NULL`);

    await db.query(`CREATE TABLE IF NOT EXISTS sync_run_seen (
      sync_run_id uuid NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE,
      kind varchar(16) NOT NULL,
      external_id varchar(256) NOT NULL,
      PRIMARY KEY (sync_run_id, kind, external_id)
    )`);

    await db.query(`CREATE TABLE IF NOT EXISTS pms_reported_balances (
      id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
      tenant_id uuid NOT NULL,
      pms_connection_id uuid NOT NULL REFERENCES pms_connections(id) ON DELETE CASCADE,
      lease_external_id varchar(256) NOT NULL,
      balance_cents bigint NOT NULL,
      past_due_total_cents bigint,
      past_due_rent_cents bigint,
      unpaid_rent_cents bigint,
      buckets jsonb,
      as_of_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE UNIQUE INDEX IF NOT EXISTS uq_pms_reported_balances_lease ON pms_reported_balances (pms_connection_id, lease_external_id)`);

    await db.query(
      `INSERT INTO softwares (key, name, category, auth_type, auth_config, capabilities, is_enabled)
       VALUES ('sandbox', 'Sandbox PMS', 'pms', 'credentials', $1::jsonb, $2::jsonb, true)
       ON CONFLICT (key) DO NOTHING`,
      [
        JSON.stringify({ fields: ['seed', 'leases', 'chargesPerLease', 'asOf', 'pageSize', 'pageDelayMs', 'failAt', 'version'] }),
        JSON.stringify({ fullSync: true, incrementalSync: false, leaseBalance: true }),
      ],
    );
  }

  async down(): Promise<void> {
    // Additive only; nothing is dropped.
  }
}
