/**
 * Benchmark of CALL_CASE dialing (docs/benchmarks.md).
 *
 *   npm run bench:calls -- [jobs=2000] [cps=50] [workers=2]
 *
 * Two built worker processes (dist/main-worker.js) drain <jobs> CALL_CASE jobs against the fake
 * Twilio server with TWILIO_CPS=<cps>. Prints the achieved calls/s, the busiest one-second window
 * (sliding, and per calendar second), duplicate dials (per number at Twilio, and per case in
 * Postgres) and the time to drain. Targets: >= 90% of the cap, never above it, zero duplicates;
 * the exit code is 1 when one is missed.
 *
 * It uses its own freshly migrated database and its own queue prefix, both removed at the end.
 * Debtors are placed in a time zone where it is daytime now (the call rules are not relaxed).
 * Postgres: DB_HOST/DB_PORT/DB_USER/DB_PASSWORD; Redis: REDIS_URL.
 */
import { Client, Pool } from 'pg';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import { prepareScratchDatabase } from '../src/database/scratch-database';
import { deleteKeysWithPrefix, redisOptionsFromUrl } from '../src/queues/redis-connection';
import { FakeTwilioServer } from '../test/fakes/twilio-server';
import { daytimeZone, seedCases, seedTenant } from '../test/fakes/twilio-scenario';
import { AppProcess } from '../src/common/app-process';
import { startWorker } from '../test/utils/processes';
import { maxInWindow } from '../test/utils/windows';

const args = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
const JOBS = args[0] ?? 2000;
const CPS = args[1] ?? 50;
const WORKERS = args[2] ?? 2;
const PG = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD ?? '',
};
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function admin(sql: string): Promise<void> {
  const c = new Client({ ...PG, database: 'postgres' });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function cleanPrefix(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL);
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
}

/** user + system CPU time of a process (Linux /proc), ms; null elsewhere. */
function processCpuMs(pid: number | undefined): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(parts[11]) + Number(parts[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const dbName = `mw_bench_calls_${Date.now().toString(36)}`;
  const prefix = `bench-calls-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const twilio = new FakeTwilioServer();
  const workers: AppProcess[] = [];
  let queue: Queue | null = null;
  let pool: Pool | null = null;
  await admin(`CREATE DATABASE "${dbName}"`);
  try {
    await prepareScratchDatabase({ DB_HOST: PG.host, DB_PORT: PG.port, DB_NAME: dbName, DB_USER: PG.user, DB_PASSWORD: PG.password, DB_SSL: false, DB_POOL_SIZE: 2 });
    pool = new Pool({ ...PG, database: dbName, max: 4 });
    const zone = daytimeZone();
    const tenantId = await seedTenant(pool, zone.zone);
    const caseIds = await seedCases(pool, tenantId, zone, JOBS);
    await twilio.start();

    const env: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn', // per-job info lines would cost more CPU than the dials on a small host
      DB_HOST: PG.host,
      DB_PORT: String(PG.port),
      DB_USER: PG.user,
      DB_PASSWORD: PG.password,
      DB_NAME: dbName,
      DB_POOL_SIZE: '20',
      REDIS_URL,
      BULLMQ_PREFIX: prefix,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM_NUMBER: '+15005550006',
      TWILIO_VOICE_URL: 'https://api.mordecai.test/voice/twiml',
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_CPS: String(CPS),
      CALL_CONTEXT_HMAC_SECRET: 'bench-secret',
      WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? String(Math.min(100, Math.max(10, Math.ceil(CPS / WORKERS) + 10))),
      SCHEDULER_ENABLED: 'false',
    };
    for (let i = 0; i < WORKERS; i++) workers.push(startWorker(env));
    queue = new Queue('case-actions', { connection: redisOptionsFromUrl(REDIS_URL), prefix });
    // Ready when every worker process has its BullMQ worker connected (logs are at warn).
    const readyBy = Date.now() + 60000;
    while ((await queue.getWorkersCount()) < WORKERS) {
      for (const w of workers) if (w.child.exitCode !== null) throw new Error(`a worker exited at start-up:\n${w.raw.slice(-10).join('\n')}`);
      if (Date.now() > readyBy) throw new Error('workers not ready within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const cpuAtReady = workers.map((w) => processCpuMs(w.child.pid));
    console.log(`bench:calls  ${JOBS} CALL_CASE jobs, TWILIO_CPS=${CPS}, ${WORKERS} worker processes (concurrency ${env.WORKER_CONCURRENCY} each), debtors in ${zone.zone}`);
    const t0 = Date.now();
    for (let i = 0; i < caseIds.length; i += 500) {
      await queue.addBulk(
        caseIds.slice(i, i + 500).map((caseId, k) => ({ name: 'CALL_CASE', data: { tenantId, caseId }, opts: { jobId: `bench-${i + k}`, attempts: 3, backoff: { type: 'exponential', delay: 2000 } } })),
      );
    }
    // Completed jobs are trimmed by retention (removeOnComplete), so wait for an empty queue instead.
    for (;;) {
      const c = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      if (c.wait + c.active + c.delayed + c.prioritized === 0) break;
      if (Date.now() - t0 > JOBS * (1000 / CPS) * 3 + 120000) throw new Error(`not drained in time: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const drainMs = Date.now() - t0;
    const cpuMs = workers.map((w, i) => {
      const end = processCpuMs(w.child.pid);
      return end === null || cpuAtReady[i] === null ? null : end - (cpuAtReady[i] as number);
    });
    const counts = await queue.getJobCounts('failed');

    const times = twilio.calls.map((c) => c.dateCreated.getTime()).sort((a, b) => a - b);
    const spanS = (times[times.length - 1] - times[0]) / 1000;
    const achieved = spanS > 0 ? (times.length - 1) / spanS : times.length;
    const busiestSliding = twilio.busiestWindow();
    const perSecond = [...twilio.dialsPerSecond().values()];
    const busiestCalendar = Math.max(...perSecond);
    const dupTwilio = twilio.duplicateDials();
    const dupDb = Number(
      (await pool.query(`SELECT coalesce(sum(n - 1), 0) AS d FROM (SELECT count(*) AS n FROM interaction_logs WHERE tenant_id = $1 AND provider_ref IS NOT NULL GROUP BY debt_case_id) x`, [tenantId])).rows[0].d,
    );
    const placed = Number((await pool.query(`SELECT count(*) AS n FROM interaction_logs WHERE tenant_id = $1 AND status = 'in_progress'`, [tenantId])).rows[0].n);

    // The same, by the worker's clock right before each request (what the limiter controls); the
    // fake's arrival times add the host's scheduling jitter on top.
    const sent = (await pool.query(`SELECT (evidence->>'dialedAt')::timestamptz AS t FROM worker_interactions WHERE tenant_id = $1 AND evidence ? 'dialedAt'`, [tenantId])).rows.map(
      (r: { t: Date }) => r.t.getTime(),
    );
    const busiestSent = maxInWindow(sent);

    const okRate = achieved >= 0.9 * CPS;
    const okCap = busiestSliding <= CPS;
    const okDup = dupTwilio === 0 && dupDb === 0 && twilio.calls.length === JOBS && counts.failed === 0;
    const pct = (100 * achieved) / CPS;
    console.log('');
    console.log(`jobs failed                    ${counts.failed}`);
    console.log(`calls created at Twilio        ${twilio.calls.length} (interactions in_progress: ${placed})`);
    console.log(`achieved calls/s               ${achieved.toFixed(2)} (${pct.toFixed(1)}% of cap ${CPS}; first to last dial ${spanS.toFixed(2)} s)  ${okRate ? 'OK' : 'MISSED (>= 90%)'}`);
    console.log(`busiest 1-s window (sliding)   ${busiestSliding} as received by the fake Twilio  ${okCap ? 'OK' : `ABOVE CAP ${CPS}`}`);
    console.log(`                               ${busiestSent} by dial time on the workers (the limiter's view)`);
    console.log(`busiest calendar second        ${busiestCalendar}`);
    console.log(`duplicate dials                ${dupTwilio} at Twilio (per number), ${dupDb} in Postgres (per case)  ${okDup ? 'OK' : 'MISSED'}`);
    console.log(`time to drain                  ${(drainMs / 1000).toFixed(2)} s (enqueue to last job done)`);
    const cpuTotal = cpuMs.reduce<number>((a, b) => a + (b ?? 0), 0);
    if (cpuMs.every((x) => x !== null)) console.log(`worker CPU                     ${(cpuTotal / 1000).toFixed(1)} s in ${WORKERS} processes after start-up, ${(cpuTotal / JOBS).toFixed(1)} ms per call`);
    console.log(`host load average              ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
    return okRate && okCap && okDup ? 0 : 1;
  } finally {
    for (const w of workers) await w.stop(30000).catch(() => undefined);
    await queue?.close().catch(() => undefined);
    await twilio.stop().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await cleanPrefix(prefix).catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
