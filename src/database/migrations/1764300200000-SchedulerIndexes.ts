import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the scheduler's claim and checks need (issue 4), so that none of them scans debt_cases or
 * interaction_logs:
 * - ix_debt_cases_sched_due: per tenant, the cases in NEW/IN_PROGRESS by due time (null = -infinity,
 *   i.e. first); the claim walks it per tenant with a LIMIT.
 * - ix_interaction_logs_calls_open: CALL rows still queued/in_progress, by age: the 5-minute stale
 *   check (RECONCILE_CALLS) and "a call in progress" per case.
 *
 * Built CONCURRENTLY (outside a transaction) so a live API database keeps taking writes; an invalid
 * index left by an interrupted build is dropped and built again. Idempotent.
 */
const INDEXES: [name: string, ddl: string][] = [
  [
    'ix_debt_cases_sched_due',
    `ON debt_cases (tenant_id, (coalesce(next_action_at, '-infinity'::timestamptz)), id) WHERE status IN ('NEW', 'IN_PROGRESS')`,
  ],
  [
    'ix_interaction_logs_calls_open',
    `ON interaction_logs ((coalesce(started_at, created_at)), debt_case_id) WHERE type = 'CALL' AND status IN ('queued', 'in_progress')`,
  ],
];

export class SchedulerIndexes1764300200000 implements MigrationInterface {
  name = 'SchedulerIndexes1764300200000';
  transaction = false as const;

  async up(db: QueryRunner): Promise<void> {
    for (const [name, ddl] of INDEXES) {
      const invalid = await db.query(
        `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relname = $1 AND n.nspname = current_schema() AND NOT i.indisvalid`,
        [name],
      );
      if (invalid.length > 0) await db.query(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`);
      await db.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "${name}" ${ddl}`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) await db.query(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`);
  }
}
