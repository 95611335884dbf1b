/**
 * npm run bench:scheduler
 *
 * Builds, in a temporary database of its own (dropped at the end), 1M debt cases over 50 tenants
 * with realistic time zones (debtor zones, property states/postal codes, area codes) and interaction
 * history (2M calls over 30 days, conversations, disputes), 5% of the cases due. Then prints:
 * - the latency of one claim of 500 (SCHEDULER_LIMIT 500, 10 per tenant), median of 10: the real
 *   scheduler pass is run; the claim is its first statement, the fair selection that takes the cases
 *   with FOR UPDATE SKIP LOCKED (a concurrent scheduler skips them until this pass commits). The
 *   rest of the pass, in the same transaction, is printed beside it: the rule inputs of the claimed
 *   cases, the one decision write (next_action_at + meta.callHold), the commit, and the whole pass;
 * - a sequential scan of debt_cases in the same run (index scans disabled, the old scheduler's due
 *   filter), median of 5: one backend's Seq Scan, as the claim is one backend's statement (a statement
 *   that locks rows never runs in parallel); the parallel scan is printed beside it;
 * - their ratio (target <= 5%), the ratio of the whole pass's SQL (for information), and the query
 *   plans of the claim and of the rule inputs (target: no Seq Scan on debt_cases or interaction_logs).
 *   Exit code 1 when a target is missed.
 * Connection: DB_HOST, DB_PORT, DB_USER, DB_PASSWORD (defaults 127.0.0.1:5432 postgres). Options:
 * BENCH_CASES (default 1000000), BENCH_TENANTS (50), BENCH_KEEP_DB=1 keeps the database,
 * BENCH_REUSE_DB=<name> measures again on a database a previous run kept (no build; kept).
 */
import { Client } from 'pg';
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { prepareScratchDatabase } from '../src/database/scratch-database';
import { runCallPass, CallPassConfig } from '../src/scheduler/call-scheduler';
import { SchedulerRepository } from '../src/scheduler/scheduler.repository';
import { CALL_RULE_INPUTS_SQL } from '../src/calls/rules/call-rules.queries';
import { callRuleInputParams } from '../src/calls/rules/call-rules.queries';

const { claimDueCases: CLAIM_DUE_CASES_SQL, applyClaim: APPLY_CLAIM_SQL } = SchedulerRepository.benchSql;

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 50);
const conn = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD ?? '',
};
const reuse = process.env.BENCH_REUSE_DB;
const dbName = reuse ?? `mw_bench_sched_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
const log = (s: string) => process.stdout.write(`${s}\n`);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  const r = await fn();
  log(`  ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return r;
}

/** The data set, set-based with generate_series. Ids derive from the row number (md5 -> uuid). */
/** The column's own type (the API's ENUMs are named differently in its two schema variants). */
async function typeOf(c: Client, table: string, column: string): Promise<string> {
  const r = await c.query(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2`, [table, column]);
  return r.rows[0].t as string;
}

async function build(c: Client): Promise<void> {
  const caseStatus = await typeOf(c, 'debt_cases', 'status');
  const direction = await typeOf(c, 'interaction_logs', 'direction');
  const outcome = await typeOf(c, 'interaction_logs', 'outcome');
  const disputeStatus = await typeOf(c, 'case_disputes', 'status');
  await c.query('SET synchronous_commit = off');
  // bulk load without per-row foreign-key triggers (a throwaway database; the data is consistent by construction)
  await c.query('SET session_replication_role = replica');
  // secondary indexes of the big tables are dropped during the load and rebuilt after it (much faster)
  const BIG = ['pms_debtors', 'pms_leases', 'debtors', 'debt_cases', 'interaction_logs'];
  const indexes = (
    await c.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
      [BIG],
    )
  ).rows as { indexname: string; indexdef: string }[];
  for (const ix of indexes) await c.query(`DROP INDEX "${ix.indexname}"`);
  const zones = `ARRAY['America/New_York','America/Chicago','America/Denver','America/Los_Angeles','America/Phoenix','America/Anchorage','Pacific/Honolulu','America/Detroit']`;
  // (state, postal code, area code) triples, some in states split across zones
  const places = `ARRAY['NY|10001|212','NY|14201|716','CA|90001|213','CA|94103|415','TX|75001|214','TX|79901|915','TX|77002|713','FL|33101|305','FL|32501|850','IL|60601|312','CO|80202|303','AZ|85001|602','WA|98101|206','GA|30301|404','OH|43215|614','MI|48201|313','IN|46204|317','KY|40202|502','TN|37201|615','OR|97201|503','ID|83702|208','NV|89101|702','NE|68102|402','KS|66101|913','ND|58102|701']`;
  await timed('tenants, policies, connections', async () => {
    await c.query(`INSERT INTO tenants (created_at, updated_at, id, name, timezone) SELECT now(), now(), md5('t'||i)::uuid, 'Tenant '||i, (${zones})[1 + i % 4] FROM generate_series(1, $1) i`, [TENANTS]);
    await c.query(
      `INSERT INTO flow_policies (created_at, updated_at, id, tenant_id, name, min_days_past_due, channels, is_active)
       SELECT now(), now(), md5('fp'||i||'-'||k)::uuid, md5('t'||i)::uuid, 'policy '||k, 0,
              CASE WHEN k = 1 THEN '{"call":true,"sms":false}'::jsonb ELSE '{"call":false,"sms":true}'::jsonb END, true
       FROM generate_series(1, $1) i, generate_series(1, 2) k`,
      [TENANTS],
    );
    await c.query(`INSERT INTO softwares (created_at, updated_at, id, key, name, category, auth_type) VALUES (now(), now(), md5('sw')::uuid, 'bench-pms', 'Bench PMS', 'property_manager', 'none') ON CONFLICT (key) DO NOTHING`);
    await c.query(
      `INSERT INTO pms_connections (created_at, updated_at, id, tenant_id, software_id, status, sync_state)
       SELECT now(), now(), md5('c'||i)::uuid, md5('t'||i)::uuid, (SELECT id FROM softwares WHERE key = 'bench-pms'), 'connected',
              jsonb_build_object('lastSuccessfulRunAt', (now() - (i % 12) * interval '1 hour')::text)
       FROM generate_series(1, $1) i`,
      [TENANTS],
    );
    await c.query(
      `INSERT INTO pms_properties (created_at, updated_at, id, tenant_id, pms_connection_id, external_id, name, address)
       SELECT now(), now(), md5('p'||i)::uuid, md5('t'||(1 + i % $1))::uuid, md5('c'||(1 + i % $1))::uuid, 'p'||i, 'Property '||i,
              jsonb_build_object('state', split_part(pl, '|', 1), 'postalCode', split_part(pl, '|', 2))
       FROM generate_series(1, $1 * 100) i, LATERAL (SELECT (${places})[1 + (i * 7) % 25] AS pl) x`,
      [TENANTS],
    );
  });
  await timed(`pms_debtors + pms_leases (${CASES})`, async () => {
    await c.query(
      `INSERT INTO pms_debtors (created_at, updated_at, id, tenant_id, pms_connection_id, external_id, display_name, do_not_call, do_not_contact, timezone)
       SELECT now(), now(), md5('pd'||i)::uuid, md5('t'||(1 + i % $2))::uuid, md5('c'||(1 + i % $2))::uuid, 'd'||i, 'Debtor '||i,
              i % 97 = 0, i % 89 = 0, CASE WHEN i % 5 = 0 THEN (${zones})[1 + i % 8] END
       FROM generate_series(1, $1) i`,
      [CASES, TENANTS],
    );
    await c.query(
      `INSERT INTO pms_leases (created_at, updated_at, id, tenant_id, pms_connection_id, external_id, pms_debtor_id, pms_property_id)
       SELECT now(), now(), md5('l'||i)::uuid, md5('t'||(1 + i % $2))::uuid, md5('c'||(1 + i % $2))::uuid, 'l'||i, md5('pd'||i)::uuid,
              md5('p'||(1 + i % ($2 * 100)))::uuid
       FROM generate_series(1, $1) i`,
      [CASES, TENANTS],
    );
  });
  await timed(`debtors (${CASES})`, () =>
    c.query(
      `WITH d AS (
         INSERT INTO debtors (created_at, updated_at, id, tenant_id, external_ref, full_name, phone, metadata)
         SELECT now(), now(), md5('db'||i)::uuid, md5('t'||(1 + i % $2))::uuid, 'pms:'||i, 'Debtor '||i,
                CASE WHEN i % 53 = 0 THEN '12345' ELSE '+1' || split_part((${places})[1 + (i * 11) % 25], '|', 3) || (2000000 + i % 7999999)::text END,
                jsonb_build_object('pms_debtor_id', md5('pd'||i)::uuid)
         FROM generate_series(1, $1) i
         RETURNING 1)
       INSERT INTO worker_debtor_flags (debtor_id, tenant_id, do_not_call, timezone)
       SELECT md5('db'||i)::uuid, md5('t'||(1 + i % $2))::uuid, i % 101 = 0, CASE WHEN i % 7 = 0 THEN (${zones})[1 + i % 8] END
       FROM generate_series(1, $1) i WHERE i % 101 = 0 OR i % 7 = 0`,
      [CASES, TENANTS],
    ),
  );
  await timed(`debt_cases (${CASES}, 5% due)`, () =>
    c.query(
      `INSERT INTO debt_cases (created_at, updated_at, id, tenant_id, debtor_id, flow_policy_id, pms_lease_id, amount_due_cents, days_past_due, status,
                               next_action_at, approval_status, meta, external_key)
       SELECT now(), now(), md5('case'||i)::uuid, md5('t'||(1 + i % $2))::uuid, md5('db'||i)::uuid,
              md5('fp'||(1 + i % $2)||'-'||CASE WHEN due OR i % 4 <> 0 THEN 1 ELSE 2 END)::uuid,
              md5('l'||i)::uuid, CASE WHEN i % 211 = 0 THEN 0 ELSE 5000 + (i * 37) % 400000 END, (i % 120),
              (CASE WHEN due THEN (ARRAY['NEW','IN_PROGRESS'])[1 + i % 2]
                   ELSE (ARRAY['NEW','IN_PROGRESS','IN_PROGRESS','CONTACTED','PROMISE_TO_PAY','NO_ANSWER','PAID','REFUSED'])[1 + (i / 20) % 8] END)::${caseStatus},
              CASE WHEN due THEN CASE WHEN i % 3 = 0 THEN NULL ELSE now() - ((i % 1000) * interval '1 minute') END
                   ELSE now() + (1 + (i % 43200)) * interval '1 minute' END,
              CASE WHEN i % 37 = 0 THEN 'PENDING_APPROVAL' ELSE 'APPROVED' END,
              CASE WHEN i % 401 = 0 THEN '{"source":"demo-ui"}'::jsonb WHEN i % 307 = 0 THEN '{"reconciliation":{"mismatch":true}}'::jsonb ELSE '{}'::jsonb END,
              'bench:'||i
       FROM generate_series(1, $1) i, LATERAL (SELECT (i / $2) % 20 = 0 AS due) x`,
      [CASES, TENANTS],
    ),
  );
  await timed(`interaction_logs (${2 * CASES} calls over 30 days)`, () =>
    c.query(
      `INSERT INTO interaction_logs (id, updated_at, tenant_id, debt_case_id, debtor_id, type, direction, channel_provider, provider_ref, status, outcome, started_at, ended_at, created_at)
       SELECT gen_random_uuid(), now(), md5('t'||(1 + k % $2))::uuid, md5('case'||k)::uuid, md5('db'||k)::uuid, 'CALL',
              (CASE WHEN i % 50 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END)::${direction}, 'twilio', 'CA' || md5('il'||i),
              CASE WHEN i % 500 = 0 THEN 'in_progress' WHEN i % 41 = 0 THEN 'failed' ELSE 'completed' END,
              ((ARRAY['NO_ANSWER','VOICEMAIL','NO_ANSWER','CONNECTED','FAILED','PROMISE_TO_PAY','NO_ANSWER','VOICEMAIL','REFUSED','CALLBACK_REQUESTED'])[1 + i % 10])::${outcome},
              at, at + interval '2 minutes', at
       FROM generate_series(1, $1 * 2) i,
            LATERAL (SELECT 1 + (i::bigint * 7919) % $1 AS k, now() - ((i::bigint * 104729) % 2592000) * interval '1 second' AS at) x`,
      [CASES, TENANTS],
    ),
  );
  await timed('case_disputes (1%)', () =>
    c.query(
      `INSERT INTO case_disputes (id, created_at, updated_at, debt_case_id, tenant_id, status, reason)
       SELECT gen_random_uuid(), now(), now(), md5('case'||i)::uuid, md5('t'||(1 + i % $2))::uuid,
              ((ARRAY['OPEN','WAITING_TENANT','WAITING_DEBTOR','RESOLVED','CLOSED'])[1 + i % 5])::${disputeStatus}, 'OTHER'
       FROM generate_series(1, $1, 100) i`,
      [CASES, TENANTS],
    ),
  );
  await c.query('SET session_replication_role = origin');
  await timed(`rebuild ${indexes.length} secondary indexes`, async () => {
    await c.query("SET maintenance_work_mem = '256MB'");
    for (const ix of indexes) await c.query(ix.indexdef);
  });
  await timed('VACUUM ANALYZE + CHECKPOINT', async () => {
    await c.query('VACUUM ANALYZE');
    await c.query('CHECKPOINT');
  });
}

const badScans = (plan: string) => plan.split('\n').filter((l) => /Seq Scan on (debt_cases|interaction_logs)\b/.test(l));

async function main(): Promise<number> {
  const admin = new Client({ ...conn, database: 'postgres' });
  await admin.connect();
  if (!reuse) await admin.query(`CREATE DATABASE "${dbName}"`);
  let c: Client | undefined;
  let ds: DataSource | undefined;
  try {
    log(`bench:scheduler: database ${dbName}, ${CASES} debt cases over ${TENANTS} tenants`);
    await prepareScratchDatabase({ DB_HOST: conn.host, DB_PORT: conn.port, DB_NAME: dbName, DB_USER: conn.user, DB_PASSWORD: conn.password, DB_SSL: false, DB_POOL_SIZE: 2 });
    c = new Client({ ...conn, database: dbName });
    await c.connect();
    const client = c;
    if (reuse) {
      log(`reusing the data of ${dbName} (cases claimed by earlier runs are no longer due)`);
      await client.query('VACUUM ANALYZE debt_cases');
    } else {
      log('building data:');
      await build(client);
    }
    const [{ due }] = (await client.query(`SELECT count(*)::int AS due FROM debt_cases WHERE status IN ('NEW','IN_PROGRESS') AND coalesce(next_action_at, '-infinity') <= now()`)).rows;
    log(`  due cases (status NEW/IN_PROGRESS, next_action_at null or past): ${due}`);

    const cfg: CallPassConfig = { limit: 500, perTenantLimit: 10, cooldownMinutes: 360, includeDemoCases: false, tenantId: null };
    let sqlMs = 0; // time spent in the pass's SQL statements (claim, rule inputs, decision write, commit)
    const parts: Record<string, number[]> = { claim: [], 'rule inputs': [], 'decision write': [], 'begin+commit': [] };
    let current: Record<string, number> = {};
    const partOf = (sql: string) =>
      sql === CLAIM_DUE_CASES_SQL ? 'claim' : sql === CALL_RULE_INPUTS_SQL ? 'rule inputs' : sql === APPLY_CLAIM_SQL ? 'decision write' : 'begin+commit';
    // The pass runs on a data source of its own, as the scheduler's; each statement is timed (a
    // pass's statements run one after another on its transaction's connection).
    ds = await new DataSource(dataSourceOptions({ DB_HOST: conn.host, DB_PORT: conn.port, DB_NAME: dbName, DB_USER: conn.user, DB_PASSWORD: conn.password, DB_SSL: false, DB_POOL_SIZE: 2 }, 'mordecai-bench-scheduler')).initialize();
    let started = 0n;
    ds.subscribers.push({
      beforeQuery: () => {
        started = process.hrtime.bigint();
      },
      afterQuery: (e) => {
        const d = Number(process.hrtime.bigint() - started) / 1e6;
        sqlMs += d;
        current[partOf(e.query)] = (current[partOf(e.query)] ?? 0) + d;
      },
    });
    const db = ds;
    const scheduler = new SchedulerRepository(db);

    // Plans first (EXPLAIN ANALYZE runs the statements: inside a rolled-back transaction)
    const now = new Date();
    await client.query('BEGIN');
    const claimPlan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${CLAIM_DUE_CASES_SQL}`, [now.toISOString(), false, 10, 500, null])).rows.map((r) => r['QUERY PLAN']).join('\n');
    const ids = (await client.query(CLAIM_DUE_CASES_SQL, [now.toISOString(), false, 10, 500, null])).rows.map((r) => r.id as string);
    const inputsPlan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${CALL_RULE_INPUTS_SQL}`, callRuleInputParams(ids, now))).rows.map((r) => r['QUERY PLAN']).join('\n');
    const later = new Date(now.getTime() + 6 * 3600_000).toISOString();
    const writePlan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${APPLY_CLAIM_SQL}`, [ids, ids.map(() => later), ids.map(() => null)])).rows.map((r) => r['QUERY PLAN']).join('\n');
    await client.query('ROLLBACK');

    // warm-up, then 10 claims of 500
    await runCallPass({ now: new Date(), cfg, dryRun: false, db, scheduler, enqueue: async () => undefined });
    const passSql: number[] = [];
    const passes: number[] = [];
    const results: { selected: number; called: number; held: number; heldByReason: Record<string, number> }[] = [];
    for (let i = 0; i < 10; i++) {
      const t = process.hrtime.bigint();
      sqlMs = 0;
      current = {};
      const r = await runCallPass({ now: new Date(), cfg, dryRun: false, db, scheduler, enqueue: async () => undefined });
      passes.push(Number(process.hrtime.bigint() - t) / 1e6);
      passSql.push(sqlMs);
      for (const k of Object.keys(parts)) parts[k].push(current[k] ?? 0);
      results.push(r as never);
    }

    // sequential scan of debt_cases in the same run: the due filter of the old scheduler, index scans off.
    // The baseline is one backend's Seq Scan, as the claim runs in one backend (a statement that locks
    // rows never gets parallel workers); the parallel scan Postgres would pick here is printed beside it.
    await client.query('SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off');
    const seqSql = `SELECT count(*) FROM debt_cases WHERE status IN ('NEW','IN_PROGRESS') AND coalesce(next_action_at, '-infinity'::timestamptz) <= now()`;
    const scan = async (parallel: boolean) => {
      await client.query(`SET max_parallel_workers_per_gather = ${parallel ? 2 : 0}`);
      const plan = (await client.query(`EXPLAIN ${seqSql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      await client.query(seqSql);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = process.hrtime.bigint();
        await client.query(seqSql);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      return { plan, times };
    };
    const single = await scan(false);
    const parallel = await scan(true);
    const seqs = single.times;
    const seqPlan = single.plan;
    await client.query('RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan; RESET max_parallel_workers_per_gather');

    const claims = parts.claim;
    const claimMed = median(claims);
    const seqMed = median(seqs);
    const ratio = claimMed / seqMed;
    const passSqlMed = median(passSql);
    const bad = [...badScans(claimPlan), ...badScans(inputsPlan), ...badScans(writePlan)];
    log('');
    log(`claim of 500 (fair selection + FOR UPDATE SKIP LOCKED, one statement): median ${ms(claimMed)} of 10 [${claims.map((x) => x.toFixed(1)).join(', ')}]`);
    log(`  the pass's SQL, medians: ${Object.entries(parts).map(([k, v]) => `${k} ${ms(median(v))}`).join(', ')}; all of it ${ms(passSqlMed)}`);
    log(`  whole pass incl. the rule decisions in TypeScript: median ${ms(median(passes))} of 10`);
    log(`  per claim: selected ${results.map((r) => r.selected).join('/')}, called ${results.map((r) => r.called).join('/')}`);
    log(`  held by reason (last claim): ${JSON.stringify(results[results.length - 1].heldByReason)}`);
    const parMed = median(parallel.times);
    const isSeq = / Seq Scan on debt_cases/.test(seqPlan) && !/Parallel/.test(seqPlan);
    log(`sequential scan of debt_cases, one backend (${isSeq ? 'Seq Scan' : 'NOT a plain Seq Scan?'}): median ${ms(seqMed)} of 5 [${seqs.map((x) => x.toFixed(0)).join(', ')}]`);
    log(`  the same with 2 parallel workers (${/Parallel Seq Scan on debt_cases/.test(parallel.plan) ? 'Parallel Seq Scan' : 'no parallel plan'}): median ${ms(parMed)} of 5; claim / parallel scan ${((claimMed / parMed) * 100).toFixed(2)}%`);
    log(`ratio claim / seq scan: ${(ratio * 100).toFixed(2)}% (target <= 5%) ${ratio <= 0.05 ? 'OK' : 'MISSED'}`);
    log(`ratio whole pass SQL / seq scan (for information): ${((passSqlMed / seqMed) * 100).toFixed(1)}%`);
    log(`Seq Scan on debt_cases / interaction_logs in the pass's plans (claim, rule inputs, decision write): ${bad.length === 0 ? 'none (OK)' : bad.join('; ')}`);
    log('\nplan: scheduler.claim_due_cases');
    log(claimPlan);
    log('\nplan: call_rules.inputs_for_cases (500 cases)');
    log(inputsPlan);
    log('\nplan: scheduler.apply_claim (500 cases)');
    log(writePlan);
    return ratio <= 0.05 && bad.length === 0 ? 0 : 1;
  } finally {
    await ds?.destroy();
    await c?.end();
    if (process.env.BENCH_KEEP_DB === '1' || reuse) log(`kept database ${dbName}`);
    else await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench:scheduler failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
