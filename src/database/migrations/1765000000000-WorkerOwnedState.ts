import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * State that only the workers need, in tables the Mordecai API has no model for.
 *
 * The API rebuilds every table it has a model for at each restart (Sequelize `alter`): it drops
 * the columns, indexes and defaults its models do not declare. Anything the workers kept on an API
 * table was therefore lost at the next API restart. It lives here instead, keyed by the API row's
 * id, with no foreign key to API tables (the API's alter must never trip over our constraints):
 *
 * - worker_sync_runs: the BullMQ job that owns a run, its heartbeat, resume checkpoint, mode, steps;
 * - worker_interactions: one row per contact intent (idempotency key) and the evidence it relied on;
 * - worker_debtor_flags: do-not-call / do-not-contact / time zone the workers learn about a debtor;
 * - worker_soft_deletes: PMS debtors and leases a complete pull no longer returned;
 * - worker_row_versions: the PMS's last-modified time of rows whose API table has no such column
 *   (the monotonic rule: an older record never overwrites a newer one).
 *
 * A database migrated by an earlier version of the workers holds these values in columns of the
 * API's tables; they are copied over when those columns still exist. Idempotent.
 */
export class WorkerOwnedState1765000000000 implements MigrationInterface {
  name = 'WorkerOwnedState1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS worker_sync_runs (
      sync_run_id uuid PRIMARY KEY,
      pms_connection_id uuid NOT NULL,
      job_id varchar(256),
      heartbeat_at timestamptz,
      checkpoint jsonb NOT NULL DEFAULT '{}'::jsonb,
      mode varchar(16),
      steps jsonb
    )`);
    await db.query(`CREATE INDEX IF NOT EXISTS ix_worker_sync_runs_connection_job ON worker_sync_runs (pms_connection_id, job_id) WHERE job_id IS NOT NULL`);

    await db.query(`CREATE TABLE IF NOT EXISTS worker_interactions (
      interaction_log_id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      debt_case_id uuid NOT NULL,
      channel varchar(8) NOT NULL,
      idempotency_key varchar(256) NOT NULL,
      evidence jsonb NOT NULL DEFAULT '{}'::jsonb,
      attempts jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE UNIQUE INDEX IF NOT EXISTS uq_worker_interactions_key ON worker_interactions (tenant_id, idempotency_key)`);
    await db.query(`CREATE INDEX IF NOT EXISTS ix_worker_interactions_case ON worker_interactions (debt_case_id)`);

    await db.query(`CREATE TABLE IF NOT EXISTS worker_debtor_flags (
      debtor_id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      do_not_call boolean NOT NULL DEFAULT false,
      do_not_contact boolean NOT NULL DEFAULT false,
      timezone varchar(64),
      source jsonb NOT NULL DEFAULT '{}'::jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);

    await db.query(`CREATE TABLE IF NOT EXISTS worker_soft_deletes (
      row_id uuid PRIMARY KEY,
      entity varchar(32) NOT NULL,
      pms_connection_id uuid NOT NULL,
      deleted_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE INDEX IF NOT EXISTS ix_worker_soft_deletes_connection ON worker_soft_deletes (pms_connection_id, entity)`);

    await db.query(`CREATE TABLE IF NOT EXISTS worker_row_versions (
      row_id uuid PRIMARY KEY,
      entity varchar(32) NOT NULL,
      last_external_updated_at timestamptz NOT NULL
    )`);

    await db.query(`CREATE TABLE IF NOT EXISTS sync_run_seen (
      sync_run_id uuid NOT NULL,
      kind varchar(16) NOT NULL,
      external_id varchar(256) NOT NULL,
      PRIMARY KEY (sync_run_id, kind, external_id)
    )`);
    // An earlier version referenced sync_runs(id) from here: a constraint the API's alter can trip over.
    await db.query(`ALTER TABLE sync_run_seen DROP CONSTRAINT IF EXISTS sync_run_seen_sync_run_id_fkey`);

    await db.query(`CREATE TABLE IF NOT EXISTS pms_reported_balances (
      id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
      tenant_id uuid NOT NULL,
      pms_connection_id uuid NOT NULL,
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
    await db.query(`ALTER TABLE pms_reported_balances DROP CONSTRAINT IF EXISTS pms_reported_balances_pms_connection_id_fkey`);
    await db.query(`CREATE UNIQUE INDEX IF NOT EXISTS uq_pms_reported_balances_lease ON pms_reported_balances (pms_connection_id, lease_external_id)`);

    await copyLegacyColumns(db);
  }

  async down(): Promise<void> {
    // Never dropped: these tables hold compliance evidence and do-not-call flags.
  }
}

async function hasColumns(db: QueryRunner, table: string, cols: string[]): Promise<boolean> {
  const rows: { n: number }[] = await db.query(
    `SELECT count(*)::int AS n FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 AND column_name = ANY($2::text[])`,
    [table, cols],
  );
  return rows[0].n === cols.length;
}

/** Values an earlier version of the workers kept in columns of API tables, moved to our tables. */
async function copyLegacyColumns(db: QueryRunner): Promise<void> {
  if (await hasColumns(db, 'sync_runs', ['job_id', 'heartbeat_at', 'checkpoint', 'mode', 'steps'])) {
    await db.query(`INSERT INTO worker_sync_runs (sync_run_id, pms_connection_id, job_id, heartbeat_at, checkpoint, mode, steps)
      SELECT id, pms_connection_id, job_id, heartbeat_at, coalesce(checkpoint, '{}'::jsonb), mode, steps FROM sync_runs
      WHERE job_id IS NOT NULL OR heartbeat_at IS NOT NULL
      ON CONFLICT (sync_run_id) DO NOTHING`);
  }
  if (await hasColumns(db, 'interaction_logs', ['idempotency_key', 'evidence'])) {
    await db.query(`INSERT INTO worker_interactions (interaction_log_id, tenant_id, debt_case_id, channel, idempotency_key, evidence, created_at)
      SELECT id, tenant_id, debt_case_id, type::text, idempotency_key, coalesce(evidence, '{}'::jsonb), coalesce(created_at, now()) FROM interaction_logs
      WHERE idempotency_key IS NOT NULL AND tenant_id IS NOT NULL AND debt_case_id IS NOT NULL
      ON CONFLICT DO NOTHING`);
  }
  if (await hasColumns(db, 'debtors', ['do_not_call', 'do_not_contact', 'timezone'])) {
    await db.query(`INSERT INTO worker_debtor_flags (debtor_id, tenant_id, do_not_call, do_not_contact, timezone, source)
      SELECT id, tenant_id, coalesce(do_not_call, false), coalesce(do_not_contact, false), timezone, '{"from": "earlier worker columns"}'::jsonb
      FROM debtors WHERE tenant_id IS NOT NULL AND (do_not_call OR do_not_contact OR timezone IS NOT NULL)
      ON CONFLICT (debtor_id) DO NOTHING`);
  }
  for (const [table, entity] of [['pms_debtors', 'debtors'], ['pms_leases', 'leases']] as const) {
    if (await hasColumns(db, table, ['deleted_at'])) {
      await db.query(`INSERT INTO worker_soft_deletes (row_id, entity, pms_connection_id, deleted_at)
        SELECT id, '${entity}', pms_connection_id, deleted_at FROM ${table} WHERE deleted_at IS NOT NULL AND pms_connection_id IS NOT NULL
        ON CONFLICT (row_id) DO NOTHING`);
    }
  }
  for (const [table, entity] of [['pms_portfolios', 'portfolios'], ['pms_properties', 'properties'], ['pms_units', 'units'], ['pms_debtor_contacts', 'contacts']] as const) {
    if (await hasColumns(db, table, ['last_external_updated_at'])) {
      await db.query(`INSERT INTO worker_row_versions (row_id, entity, last_external_updated_at)
        SELECT id, '${entity}', last_external_updated_at FROM ${table} WHERE last_external_updated_at IS NOT NULL
        ON CONFLICT (row_id) DO NOTHING`);
    }
  }
}
