/**
 * Idle Redis traffic of our worker + scheduler against a plain BullMQ Worker with default options.
 *
 *   npm run bench:redis-idle                 # 120 s per phase (builds first)
 *   npm run bench:redis-idle -- --seconds 30 # shorter
 *   options: --seconds N   idle time per phase (default 120)
 *            --redis-url U use this Redis instead of a private redis-server (it must be otherwise
 *                          idle: INFO commandstats counts every client, and nothing is subtracted)
 *            --max-per-min X  budget for ours: client commands/min, all together (default 3);
 *                          commands executed inside Lua scripts may reach 5x that
 *
 * By default the script starts its own redis-server on a free port (no persistence), so other
 * users of the machine's Redis cannot pollute the figures. Postgres: a fresh database, migrated,
 * dropped at the end (DB_HOST/DB_PORT/DB_USER/DB_PASSWORD of the environment, defaults local).
 *
 * Phase 1: dist/main-worker.js and dist/main-scheduler.js started; once both are ready,
 * CONFIG RESETSTAT; idle; INFO commandstats. Phase 2: the same for `new Worker(name, fn)` with
 * BullMQ's defaults on a scratch queue. Prints commands/min per command, totals and the ratio.
 * Exit 1 when ours exceeds the budget or a delayed job / job scheduler of ours is left in Redis.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import IORedis from 'ioredis';
import { Worker } from 'bullmq';
import { Client } from 'pg';
import { prepareScratchDatabase } from '../src/database/scratch-database';
import { redisOptionsFromUrl } from '../src/queues/redis-connection';

const ROOT = path.resolve(__dirname, '..');
/** Another build of the tree may be used (MW_DIST_DIR=.fdist), as in the e2e tests. */
const DIST = process.env.MW_DIST_DIR ?? 'dist';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const SECONDS = Number(arg('seconds') ?? 120);
const BUDGET = Number(arg('max-per-min') ?? 3);
if (!Number.isFinite(SECONDS) || SECONDS <= 0) throw new Error('--seconds must be a positive number');

const DB = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD ?? '',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => Promise<void> | void)[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

async function startOwnRedis(): Promise<string> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], {
    stdio: 'ignore',
  });
  cleanups.push(() => {
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const c = new IORedis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.ping();
      c.disconnect();
      return url;
    } catch {
      c.disconnect();
      await sleep(100);
    }
  }
  throw new Error('redis-server did not start (is it installed?)');
}

class Proc {
  readonly lines: string[] = [];
  readonly child: ChildProcess;
  constructor(script: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [path.join(ROOT, script)], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (b: Buffer) => this.lines.push(...b.toString().split('\n').filter(Boolean));
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
  }
  async waitFor(fragment: string, timeoutMs = 120000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!this.lines.some((l) => l.includes(fragment))) {
      if (this.child.exitCode !== null) throw new Error(`process exited (${this.child.exitCode}) before "${fragment}":\n${this.lines.slice(-10).join('\n')}`);
      if (Date.now() > end) throw new Error(`timed out waiting for "${fragment}":\n${this.lines.slice(-10).join('\n')}`);
      await sleep(100);
    }
  }
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.child.kill('SIGTERM');
    return exited;
  }
}

type Stats = Map<string, number>;
const OWN = new Set(['info', 'config', 'monitor', 'ping', 'zcard']); // the benchmark's own commands

async function commandStats(admin: IORedis): Promise<Stats> {
  const info = await admin.info('commandstats');
  const out: Stats = new Map();
  for (const line of info.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m && !OWN.has(m[1].split('|')[0])) out.set(m[1], Number(m[2]));
  }
  return out;
}

interface PhaseResult {
  /** INFO commandstats: every command Redis executed, including those run inside Lua scripts. */
  perMin: Stats;
  total: number;
  /** MONITOR: commands sent by clients (one EVALSHA counts once), what a per-request bill counts. */
  clientPerMin: Stats;
  clientTotal: number;
}

async function idle(admin: IORedis, label: string): Promise<PhaseResult> {
  const monitor = await admin.monitor(); // its own connection, closed below
  const client: Stats = new Map();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = String(args[0] ?? '').toLowerCase();
    if (source === 'lua' || OWN.has(name)) return;
    client.set(name, (client.get(name) ?? 0) + 1);
  });
  await admin.config('RESETSTAT');
  process.stdout.write(`${label}: idle for ${SECONDS} s ...\n`);
  await sleep(SECONDS * 1000);
  const stats = await commandStats(admin);
  monitor.disconnect();
  const rate = (m: Stats): Stats => new Map([...m].map(([k, v]) => [k, (v * 60) / SECONDS]));
  const sum = (m: Stats) => [...m.values()].reduce((a, b) => a + b, 0);
  const perMin = rate(stats);
  const clientPerMin = rate(client);
  return { perMin, total: sum(perMin), clientPerMin, clientTotal: sum(clientPerMin) };
}

function table(label: string, r: PhaseResult): string {
  const rows = (m: Stats) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `    ${k.padEnd(26)} ${v.toFixed(2).padStart(8)} /min`);
  const total = (t: number) => `    ${'TOTAL'.padEnd(26)} ${t.toFixed(2).padStart(8)} /min  (${(t * 60 * 24).toFixed(0)}/day)`;
  return [
    label,
    '  sent by clients (MONITOR; an EVALSHA counts once):',
    ...(r.clientPerMin.size ? rows(r.clientPerMin) : ['    (no commands)']),
    total(r.clientTotal),
    '  executed by Redis (INFO commandstats; includes commands inside Lua scripts):',
    ...(r.perMin.size ? rows(r.perMin) : ['    (no commands)']),
    total(r.total),
  ].join('\n');
}

async function main(): Promise<void> {
  for (const f of [`${DIST}/main-worker.js`, `${DIST}/main-scheduler.js`]) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run npm run build first`);
  }
  const redisUrl = arg('redis-url') ?? (await startOwnRedis());
  const admin = new IORedis(redisOptionsFromUrl(redisUrl));
  admin.on('error', () => undefined);
  cleanups.push(() => admin.disconnect());

  const dbName = `bench_idle_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const pg = new Client({ ...DB, database: 'postgres' });
  await pg.connect();
  await pg.query(`CREATE DATABASE "${dbName}"`);
  cleanups.push(async () => {
    await pg.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await pg.end();
  });
  await prepareScratchDatabase({ DB_HOST: DB.host, DB_PORT: DB.port, DB_NAME: dbName, DB_USER: DB.user, DB_PASSWORD: DB.password, DB_SSL: false, DB_POOL_SIZE: 2 });

  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DB_HOST: DB.host,
    DB_PORT: String(DB.port),
    DB_USER: DB.user,
    DB_PASSWORD: DB.password,
    DB_NAME: dbName,
    REDIS_URL: redisUrl,
    BULLMQ_PREFIX: prefix,
    CREDENTIALS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  // Our settings as deployed: anything WORKER_*/SCHEDULER_* in the caller's environment applies.
  for (const [k, v] of Object.entries(process.env)) if (/^(WORKER|SCHEDULER|SYNC)_/.test(k) && v !== undefined) env[k] = v;

  // Phase 1: ours.
  const worker = new Proc(`${DIST}/main-worker.js`, env);
  const scheduler = new Proc(`${DIST}/main-scheduler.js`, env);
  cleanups.push(async () => {
    await worker.stop();
    await scheduler.stop();
  });
  await worker.waitFor('worker ready');
  await scheduler.waitFor('scheduler started');
  await sleep(2000); // let start-up traffic settle
  const ours = await idle(admin, `ours (worker + scheduler, prefix ${prefix})`);
  const delayed = (await admin.zcard(`${prefix}:pms-sync:delayed`)) + (await admin.zcard(`${prefix}:case-actions:delayed`));
  const schedulers = (await admin.zcard(`${prefix}:pms-sync:repeat`)) + (await admin.zcard(`${prefix}:case-actions:repeat`));
  const wExit = await worker.stop();
  const sExit = await scheduler.stop();

  // Phase 2: a plain BullMQ Worker with default options on a scratch queue.
  const plainPrefix = `${prefix}-plain`;
  const plain = new Worker('scratch', async () => undefined, { connection: redisOptionsFromUrl(redisUrl), prefix: plainPrefix });
  await plain.waitUntilReady();
  await sleep(2000);
  const baseline = await idle(admin, 'plain BullMQ Worker, default options (1 queue)');
  await plain.close();

  const ratio = ours.clientTotal > 0 ? baseline.clientTotal / ours.clientTotal : Infinity;
  const report = [
    '',
    table(`ours: dist/main-worker.js + dist/main-scheduler.js (4 queues), ${SECONDS} s idle`, ours),
    table(`baseline: plain BullMQ Worker with defaults (1 queue), ${SECONDS} s idle`, baseline),
    `ratio baseline/ours (client commands): ${Number.isFinite(ratio) ? ratio.toFixed(1) : 'inf (ours sent none)'}x`,
    `note: with drainDelay ${process.env.WORKER_DRAIN_DELAY_SECONDS ?? 300} s and stalledInterval ${process.env.WORKER_STALLED_INTERVAL_MS ?? 300000} ms the busy queues have a ~5 min cycle and collection-tick / automation-maintenance 3x that (src/queues/worker-settings.ts); use --seconds 900 or more for a full-cycle figure`,
    `delayed jobs of ours left in Redis: ${delayed}; job schedulers: ${schedulers}`,
    `exit codes after SIGTERM: worker ${wExit}, scheduler ${sExit}`,
    `redis: ${arg('redis-url') ? 'given --redis-url (shared: nothing subtracted)' : 'private redis-server started by this script'}`,
  ].join('\n');
  process.stdout.write(`${report}\n`);

  const problems: string[] = [];
  if (ours.clientTotal > BUDGET) problems.push(`ours ${ours.clientTotal.toFixed(2)} client commands/min > budget ${BUDGET}`);
  if (ours.total > BUDGET * 5) problems.push(`ours ${ours.total.toFixed(2)} executed commands/min > ${BUDGET * 5}`);
  if (delayed > 0) problems.push(`${delayed} delayed job(s) of ours kept in Redis`);
  if (schedulers > 0) problems.push(`${schedulers} job scheduler(s) of ours kept in Redis`);
  if (wExit !== 0 || sExit !== 0) problems.push('a process did not exit 0 on SIGTERM');
  if (problems.length) {
    process.stdout.write(`FAIL: ${problems.join('; ')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`OK: ours within ${BUDGET} commands/min while idle\n`);
  }
}

main()
  .catch((err) => {
    process.stderr.write(`bench-redis-idle failed: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        /* best effort */
      }
    }
  });
