/**
 * npm run bench:tick
 *
 * Builds, in a temporary database of its own (dropped at the end), 50 tenants each with one active
 * automation (strategy, one stage with call + SMS + email, SMS and email templates) and 100,000 due
 * case states over them (2,000 per automation), set-based with generate_series. Then, on the same data
 * in the same run, at the same instant:
 * - one tick of this project's engine (CollectionTickEngine: set-based claim in batches with FOR
 *   UPDATE SKIP LOCKED, the call-rule inputs of a batch in one query, one INSERT of events and one
 *   UPDATE of states per batch);
 * - the API's approach: per automation the due states, then per state one query (its open disputes)
 *   and one insert per event plus one update of the state, as its tick does through Sequelize (its
 *   cap of 100 states per automation lifted, so both do the same work).
 * Both send their jobs to the same sink: counted in memory by default (the figure is the engine's
 * database work), or added to a throwaway BullMQ prefix with BENCH_REDIS=1 (addBulk per batch for the
 * engine, one add per job for the API, as each does).
 * Prints both durations, states per second and the ratio (target >= 20x); exit code 1 when missed.
 * The per-state approach runs for at most BENCH_API_SECONDS (120); when cut, its time for all the states
 * is extrapolated from its rate (its work per state does not change with the state).
 * Options: BENCH_STATES (100000), BENCH_AUTOMATIONS (50), BENCH_KEEP_DB=1. Connection: TEST_DB_* / DB_*.
 */
import { randomBytes } from 'crypto';
import { Pool } from 'pg';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { prepareScratchDatabase } from '../src/database/scratch-database';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { CollectionTickEngine } from '../src/collections/collection-tick.engine';
import { ActionRow } from '../src/collections/tick-decision';
import { deleteKeysWithPrefix, redisOptionsFromUrl } from '../src/queues/redis-connection';
import { ensureApiCollectionsTables } from '../test/e2e/collections-fixture';
import { admin, PG } from './lib/admin-pg';

const STATES = Number(process.env.BENCH_STATES ?? 100_000);
const AUTOMATIONS = Number(process.env.BENCH_AUTOMATIONS ?? 50);
const PER = Math.ceil(STATES / AUTOMATIONS);
const REDIS = process.env.BENCH_REDIS === '1';
/** The per-state approach is slow: it runs for at most this long, and its rate is extrapolated. */
const API_BUDGET_MS = Number(process.env.BENCH_API_SECONDS ?? 120) * 1000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Wednesday 18:00 UTC: daytime in every US mainland zone the phones below belong to
const AT = new Date('2026-12-02T18:00:00.000Z');
const dbName = `mw_bench_tick_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
const log = (s: string) => process.stdout.write(`${s}\n`);

async function build(pool: Pool): Promise<void> {
  await ensureApiCollectionsTables(pool);
  const t = Date.now();
  // area codes of New York, Chicago, Denver, Los Angeles
  await pool.query(`INSERT INTO tenants (id, name, timezone, created_at, updated_at) SELECT md5('t'||i)::uuid, 'Tenant '||i, 'America/New_York', now(), now() FROM generate_series(1, $1) i`, [AUTOMATIONS]);
  await pool.query(
    `INSERT INTO collection_strategies (id, tenant_id, name, is_active, global_rules, max_attempts_per_week, cooldown_hours, allowed_time_window, stop_on_promise, stop_on_payment, created_at, updated_at)
     SELECT md5('s'||i)::uuid, md5('t'||i)::uuid, 'Strategy '||i, true, '{}', 5, 24, '08:00-20:00', true, true, now(), now() FROM generate_series(1, $1) i`,
    [AUTOMATIONS],
  );
  await pool.query(
    `INSERT INTO collection_stages (id, strategy_id, name, min_days_past_due, max_days_past_due, channels, messaging_config, tone, rules, is_active, created_at, updated_at)
     SELECT md5('st'||i)::uuid, md5('s'||i)::uuid, 'All', 0, null, '{"call":true,"sms":true,"email":true}', '{}', 'professional', '{}', true, now(), now() FROM generate_series(1, $1) i`,
    [AUTOMATIONS],
  );
  await pool.query(
    `INSERT INTO tenant_message_templates (id, tenant_id, channel, name, body_text, is_active, created_at, updated_at)
     SELECT md5('tpl'||i||ch)::uuid, md5('t'||i)::uuid, ch, ch||' template', 'Hello', true, now(), now() FROM generate_series(1, $1) i, unnest(ARRAY['sms','email']) ch`,
    [AUTOMATIONS],
  );
  await pool.query(
    `INSERT INTO collection_automations (id, tenant_id, pms_connection_id, strategy_id, status, started_at, stats, approval_mode, approval_rules, created_at, updated_at)
     SELECT md5('a'||i)::uuid, md5('t'||i)::uuid, null, md5('s'||i)::uuid, 'active', now(), '{}', 'AUTO', '{}', now(), now() FROM generate_series(1, $1) i`,
    [AUTOMATIONS],
  );
  await pool.query(
    `INSERT INTO debtors (id, tenant_id, full_name, email, phone, metadata, created_at, updated_at)
     SELECT md5('d'||n)::uuid, md5('t'||(1 + n % $2))::uuid, 'Debtor '||n, 'd'||n||'@example.com',
            '+1' || (ARRAY['212','312','303','213'])[1 + n % 4] || '234' || lpad((n % 10000)::text, 4, '0'), '{}', now(), now()
     FROM generate_series(0, $1 - 1) n`,
    [STATES, AUTOMATIONS],
  );
  await pool.query(
    `INSERT INTO debt_cases (id, tenant_id, debtor_id, amount_due_cents, currency, days_past_due, status, approval_status, meta, created_at, updated_at)
     SELECT md5('c'||n)::uuid, md5('t'||(1 + n % $2))::uuid, md5('d'||n)::uuid, 50000 + n % 1000, 'USD', 10 + n % 100, 'NEW', 'APPROVED', '{}', now(), now()
     FROM generate_series(0, $1 - 1) n`,
    [STATES, AUTOMATIONS],
  );
  await pool.query(
    `INSERT INTO case_automation_state (id, debt_case_id, automation_id, strategy_id, current_stage_id, status, next_action_at, attempts_week_count, meta, created_at, updated_at)
     SELECT md5('cas'||n)::uuid, md5('c'||n)::uuid, md5('a'||(1 + n % $2))::uuid, md5('s'||(1 + n % $2))::uuid, md5('st'||(1 + n % $2))::uuid,
            'active', $3::timestamptz - make_interval(mins => 1 + n % 600), 0, '{}', now(), now()
     FROM generate_series(0, $1 - 1) n`,
    [STATES, AUTOMATIONS, AT.toISOString()],
  );
  await pool.query('ANALYZE');
  log(`  data: ${STATES} due states in ${AUTOMATIONS} automations built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function reset(pool: Pool): Promise<void> {
  await pool.query(`DELETE FROM collection_events`);
  await pool.query(
    `UPDATE case_automation_state SET next_action_at = $1::timestamptz - interval '1 minute', last_attempt_at = null, attempts_week_count = 0, last_outcome = null, last_outcome_at = null`,
    [AT.toISOString()],
  );
  await pool.query('VACUUM ANALYZE case_automation_state');
}

/** The API's tick, per state: its statements, in autocommit as Sequelize runs them outside a transaction. */
async function apiApproach(pool: Pool, sink: { one(a: ActionRow): Promise<void> }, budgetMs: number): Promise<{ states: number; jobs: number; complete: boolean }> {
  const started = Date.now();
  let states = 0;
  let jobs = 0;
  const automations = (await pool.query(`SELECT a.id, a.tenant_id, s.cooldown_hours FROM collection_automations a JOIN collection_strategies s ON s.id = a.strategy_id WHERE a.status = 'active'`)).rows;
  for (const a of automations) {
    const due = (
      await pool.query(
        `SELECT cas.id, cas.debt_case_id, cas.attempts_week_count, cas.last_attempt_at, d.approval_status, st.channels, st.id AS stage_id
         FROM case_automation_state cas JOIN debt_cases d ON d.id = cas.debt_case_id LEFT JOIN debtors db ON db.id = d.debtor_id
         LEFT JOIN collection_stages st ON st.id = cas.current_stage_id
         WHERE cas.automation_id = $1 AND cas.status = 'active' AND cas.next_action_at IS NOT NULL AND cas.next_action_at <= $2`,
        [a.id, AT.toISOString()],
      )
    ).rows;
    for (const s of due) {
      if (Date.now() - started > budgetMs) return { states, jobs, complete: false };
      // one query per state: its open disputes
      const disputes = (await pool.query(`SELECT count(*)::int AS n FROM case_disputes WHERE debt_case_id = $1 AND status = 'OPEN'`, [s.debt_case_id])).rows[0].n;
      if (disputes > 0 || s.approval_status !== 'APPROVED') continue;
      const outcomes: string[] = [];
      for (const [ch, name] of [
        ['call', 'CALL_CASE'],
        ['sms', 'SMS_CASE'],
        ['email', 'EMAIL_CASE'],
      ] as const) {
        if (s.channels?.[ch] !== true) continue;
        if (ch !== 'call') {
          await pool.query(`SELECT id FROM tenant_message_templates WHERE tenant_id = $1 AND channel IN ($2::text, upper($2::text)) AND is_active = true ORDER BY created_at LIMIT 1`, [a.tenant_id, ch]);
        }
        const jobId = `${name}-${s.id}-api`;
        await sink.one({ name, jobId, payload: { tenantId: a.tenant_id, caseId: s.debt_case_id, automationId: a.id, stateId: s.id } });
        jobs++;
        outcomes.push(`${ch}_queued`);
        // one insert per event
        await pool.query(`INSERT INTO collection_events (id, automation_id, debt_case_id, channel, event_type, payload, created_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, now())`, [
          a.id,
          s.debt_case_id,
          ch,
          `${ch}_queued`,
          JSON.stringify({ jobId }),
        ]);
      }
      await pool.query(
        `UPDATE case_automation_state SET last_attempt_at = $2, next_action_at = $3, attempts_week_count = $4, last_outcome = $5, last_outcome_at = $2, updated_at = now() WHERE id = $1`,
        [s.id, AT.toISOString(), new Date(AT.getTime() + (a.cooldown_hours ?? 24) * 3600_000).toISOString(), (s.attempts_week_count ?? 0) + 1, outcomes.join(',')],
      );
      states++;
    }
    await pool.query(`UPDATE collection_automations SET last_evaluated_at = $2, next_tick_at = $3, updated_at = now() WHERE id = $1`, [a.id, AT.toISOString(), new Date(AT.getTime() + 900_000).toISOString()]);
  }
  return { states, jobs, complete: true };
}

async function main(): Promise<void> {
  log(`bench:tick: ${STATES} due states in ${AUTOMATIONS} automations (${PER} each), call + SMS + email per state; jobs ${REDIS ? 'added to Redis' : 'counted in memory'}`);
  log(`  database ${dbName} on ${PG.host}:${PG.port}`);
  await admin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  const pool = new Pool({ ...PG, database: dbName, max: 4 });
  const prefix = `mw-bench-tick-${randomBytes(3).toString('hex')}`;
  const queue = REDIS ? new Queue('case-actions', { connection: redisOptionsFromUrl(REDIS_URL), prefix }) : null;
  let failed = false;
  let ds: DataSource | undefined;
  try {
    await prepareScratchDatabase({ DB_HOST: PG.host, DB_PORT: PG.port, DB_NAME: dbName, DB_USER: PG.user, DB_PASSWORD: PG.password, DB_SSL: false, DB_POOL_SIZE: 2 });
    await build(pool);
    // the engine runs on a TypeORM data source, as in the worker
    ds = await new DataSource(dataSourceOptions({ DB_HOST: PG.host, DB_PORT: PG.port, DB_NAME: dbName, DB_USER: PG.user, DB_PASSWORD: PG.password, DB_SSL: false, DB_POOL_SIZE: 4 }, 'mordecai-bench-tick')).initialize();

    let engineJobs = 0;
    const engine = new CollectionTickEngine(
      ds,
      async (actions) => {
        engineJobs += actions.length;
        if (queue) await queue.addBulk(actions.map((a) => ({ name: a.name, data: a.payload, opts: { jobId: a.jobId } })));
      },
      { batchSize: 2000, budgetMs: 30 * 60_000 },
    );
    await reset(pool);
    const t1 = Date.now();
    const r = await engine.run(AT);
    const ours = Date.now() - t1;
    log(`  engine: ${r.claimed} states claimed, ${r.dispatched} dispatched, ${engineJobs} jobs, ${r.events} events in ${r.batches} batches: ${(ours / 1000).toFixed(2)} s (${Math.round(r.claimed / (ours / 1000))} states/s)`);
    log(`    phases (ms): ${JSON.stringify(r.phasesMs)}`);
    if (r.dispatched !== STATES) {
      log(`  MISSED: the engine dispatched ${r.dispatched} of ${STATES} due states (skipped: ${JSON.stringify(r.skipped)})`);
      failed = true;
    }

    await reset(pool);
    const t2 = Date.now();
    const api = await apiApproach(pool, { one: async (a) => void (queue ? await queue.add(a.name, a.payload, { jobId: a.jobId }) : undefined) }, API_BUDGET_MS);
    const measured = Date.now() - t2;
    // per-state work is the same for every state: a run cut by the budget is extrapolated to all of them
    const theirs = api.complete ? measured : (measured / api.states) * r.claimed;
    log(
      `  API approach (query + insert per state): ${api.states} states, ${api.jobs} jobs in ${(measured / 1000).toFixed(2)} s (${(api.states / (measured / 1000)).toFixed(0)} states/s)` +
        (api.complete ? '' : `; stopped by BENCH_API_SECONDS, ${r.claimed} states would take ${(theirs / 1000).toFixed(0)} s`),
    );

    const ratio = theirs / ours;
    log(`  ratio: ${ratio.toFixed(1)}x (target >= 20x) ${ratio >= 20 ? 'OK' : 'MISSED'}`);
    if (ratio < 20) failed = true;
  } finally {
    await ds?.destroy();
    await pool.end();
    if (queue) {
      await queue.close();
      const redis = new IORedis(REDIS_URL);
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
    }
    if (process.env.BENCH_KEEP_DB === '1') log(`  kept database ${dbName}`);
    else await admin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
