import { ChildProcess, spawn } from 'child_process';
import { createServer } from 'net';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, waitForJobEnd } from '../utils/queues';
import { insertConnection, insertTenant } from '../utils/seed';

/**
 * The worker's opt-in operator HTTP: /health, /metrics, the Bull Board dashboard. One worker runs
 * on a redis-server of its own (started and killed here, never the machine's shared Redis) so that
 * /health can be seen turning 503 when Redis stops.
 */

jest.setTimeout(120000);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10000);
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return child;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function metricValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    const parts = inside.split(',');
    if (want.every((w) => parts.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

let db: TestDatabase;
let pool: Pool;
let prefix: string;
let redis: ChildProcess | undefined;
let redisPort: number;
let port: number;
let worker: AppProcess | undefined;
let queue: Queue;
let tenantId: string;
let connectionId: string;
const AUTH = `Basic ${Buffer.from('ops:s3cret pass').toString('base64')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
  prefix = testPrefix();
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  port = await freePort();
  tenantId = await insertTenant(pool, 'Ops tenant');
  connectionId = await insertConnection(pool, { tenantId, credentials: { seed: 5, leases: 30 } });
  const env = baseEnv(db.name, prefix, {
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    METRICS_PORT: String(port),
    DASHBOARD_USER: 'ops',
    DASHBOARD_PASSWORD: 's3cret pass',
    WORKER_SHUTDOWN_TIMEOUT_MS: '5000',
  });
  worker = startWorker(env);
  await worker.waitForMsg('worker ready', 60000);
  await worker.waitForMsg('operator http listening', 10000);
  queue = new Queue('pms-sync', { connection: { host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: null }, prefix });
});

afterAll(async () => {
  await queue?.close().catch(() => undefined);
  await worker?.stop();
  if (redis && redis.exitCode === null) redis.kill('SIGKILL');
  await db?.drop();
});

describe('operator http (METRICS_PORT set)', () => {
  it('GET /health is 200 with every check ok', async () => {
    const r = await get(`http://127.0.0.1:${port}/health`);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.status).toBe('ok');
    expect(body.checks.redis.ok).toBe(true);
    expect(body.checks.postgres.ok).toBe(true);
    expect(body.checks.workers.queues.map((q: { name: string }) => q.name).sort()).toEqual(['automation-maintenance', 'case-actions', 'collection-tick', 'pms-sync']);
    expect(body.checks.workers.queues.every((q: { running: boolean }) => q.running)).toBe(true);
  });

  it('GET /metrics counts a completed job, its duration, queue depth and the rows it synced', async () => {
    const before = await get(`http://127.0.0.1:${port}/metrics`);
    expect(before.status).toBe(200);
    expect(before.headers.get('content-type')).toContain('text/plain');
    expect(metricValue(before.body, 'mordecai_jobs_total', { queue: 'pms-sync', name: 'sync', outcome: 'completed' })).toBeUndefined();

    const job = await queue.add('sync', { connectionId, tenantId, trigger: 'manual' }, { jobId: 'ops-sync-1', attempts: 1 });
    const done = await waitForJobEnd(queue, job.id!, 60000);
    expect(await done.getState()).toBe('completed');
    await new Promise((r) => setTimeout(r, 5500)); // the database-derived series are cached for 5 s

    const m = (await get(`http://127.0.0.1:${port}/metrics`)).body;
    expect(metricValue(m, 'mordecai_jobs_total', { queue: 'pms-sync', name: 'sync', outcome: 'completed' })).toBe(1);
    expect(metricValue(m, 'mordecai_job_duration_seconds_count', { queue: 'pms-sync', name: 'sync', outcome: 'completed' })).toBe(1);
    expect(metricValue(m, 'mordecai_job_duration_seconds_sum', { queue: 'pms-sync', name: 'sync', outcome: 'completed' })).toBeGreaterThan(0);
    expect(metricValue(m, 'mordecai_queue_jobs', { queue: 'pms-sync', state: 'completed' })).toBe(1);
    expect(metricValue(m, 'mordecai_queue_jobs', { queue: 'case-actions', state: 'waiting' })).toBe(0);
    const { rows } = await pool.query(`SELECT stats FROM sync_runs WHERE pms_connection_id = $1 AND status = 'completed'`, [connectionId]);
    expect(rows).toHaveLength(1);
    const leases = rows[0].stats.tables.leases;
    expect(metricValue(m, 'mordecai_sync_rows', { connection_id: connectionId, table: 'leases', kind: 'received' })).toBe(leases.received);
    expect(metricValue(m, 'mordecai_sync_rows', { connection_id: connectionId, table: 'leases', kind: 'created' })).toBe(leases.created);
    expect(m).toContain('# TYPE mordecai_calls gauge');
    expect(m).toContain('# TYPE mordecai_calls_held gauge');
    expect(metricValue(m, 'mordecai_metrics_source_up', { source: 'redis' })).toBe(1);
  });

  it('calls by outcome and held-back cases by rule come from interaction_logs and debt_cases.meta.callHold', async () => {
    const d = await pool.query(`INSERT INTO debtors (id, created_at, updated_at, tenant_id, full_name) VALUES (gen_random_uuid(), now(), now(), $1, 'A') RETURNING id`, [tenantId]);
    const mk = async (meta: object) =>
      (await pool.query(`INSERT INTO debt_cases (id, created_at, updated_at, tenant_id, debtor_id, amount_due_cents, days_past_due, status, meta) VALUES (gen_random_uuid(), now(), now(), $1, $2, 100, 10, 'NEW', $3) RETURNING id`, [tenantId, d.rows[0].id, JSON.stringify(meta)])).rows[0].id;
    const c1 = await mk({ callHold: { reason: 'OUTSIDE_CALLING_WINDOW' } });
    await mk({ callHold: { reason: 'OUTSIDE_CALLING_WINDOW' } });
    await mk({ callHold: { reason: 'DO_NOT_CALL' } });
    await mk({});
    for (const [status, outcome] of [['completed', 'PROMISE_TO_PAY'], ['completed', 'NO_ANSWER'], ['completed', 'NO_ANSWER'], ['failed', null]]) {
      await pool.query(`INSERT INTO interaction_logs (id, created_at, updated_at, tenant_id, debt_case_id, debtor_id, type, direction, status, outcome) VALUES (gen_random_uuid(), now(), now(), $1, $2, $3, 'CALL', 'OUTBOUND', $4, $5)`, [tenantId, c1, d.rows[0].id, status, outcome]);
    }
    await new Promise((r) => setTimeout(r, 5500));
    const m = (await get(`http://127.0.0.1:${port}/metrics`)).body;
    expect(metricValue(m, 'mordecai_calls_held', { reason: 'OUTSIDE_CALLING_WINDOW' })).toBe(2);
    expect(metricValue(m, 'mordecai_calls_held', { reason: 'DO_NOT_CALL' })).toBe(1);
    expect(metricValue(m, 'mordecai_calls', { outcome: 'NO_ANSWER', status: 'completed' })).toBe(2);
    expect(metricValue(m, 'mordecai_calls', { outcome: 'PROMISE_TO_PAY', status: 'completed' })).toBe(1);
    expect(metricValue(m, 'mordecai_calls', { outcome: 'NONE', status: 'failed' })).toBe(1);
  });

  it('the dashboard refuses requests without (or with wrong) credentials and serves both queues with them', async () => {
    const none = await get(`http://127.0.0.1:${port}/dashboard/`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Basic realm=');
    const wrong = await get(`http://127.0.0.1:${port}/dashboard/`, { authorization: `Basic ${Buffer.from('ops:nope').toString('base64')}` });
    expect(wrong.status).toBe(401);
    const api = await get(`http://127.0.0.1:${port}/dashboard/api/queues`);
    expect(api.status).toBe(401);

    const page = await get(`http://127.0.0.1:${port}/dashboard/`, { authorization: AUTH });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    const queues = await get(`http://127.0.0.1:${port}/dashboard/api/queues`, { authorization: AUTH });
    expect(queues.status).toBe(200);
    expect(JSON.parse(queues.body).queues.map((q: { name: string }) => q.name).sort()).toEqual(['automation-maintenance', 'case-actions', 'collection-tick', 'pms-sync']);
  });

  it('unknown paths are 404', async () => {
    expect((await get(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
  });

  it('GET /health turns 503 when Redis stops', async () => {
    redis!.kill('SIGKILL');
    await new Promise((r) => redis!.once('exit', r));
    let last: { status: number; body: string } | undefined;
    const end = Date.now() + 15000;
    while (Date.now() < end) {
      last = await get(`http://127.0.0.1:${port}/health`);
      if (last.status === 503) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(last!.status).toBe(503);
    const body = JSON.parse(last!.body);
    expect(body.status).toBe('unavailable');
    expect(body.checks.redis.ok).toBe(false);
    expect(body.checks.postgres.ok).toBe(true);
    // /metrics still answers: queue depth is left out and the source marked down
    const m = await get(`http://127.0.0.1:${port}/metrics`);
    expect(m.status).toBe(200);
    expect(metricValue(m.body, 'mordecai_metrics_source_up', { source: 'redis' })).toBe(0);
    expect(metricValue(m.body, 'mordecai_metrics_source_up', { source: 'postgres' })).toBe(1);
    expect(metricValue(m.body, 'mordecai_queue_jobs', { queue: 'pms-sync', state: 'completed' })).toBeUndefined();
    expect(metricValue(m.body, 'mordecai_jobs_total', { queue: 'pms-sync', name: 'sync', outcome: 'completed' })).toBe(1);
  });
});

describe('operator http off or without a dashboard', () => {
  it('without DASHBOARD_USER/PASSWORD there is no dashboard route (404); without METRICS_PORT no port at all', async () => {
    const p2 = testPrefix();
    const port2 = await freePort();
    const w = startWorker(baseEnv(db.name, p2, { METRICS_PORT: String(port2), DASHBOARD_USER: 'ops', WORKER_SHUTDOWN_TIMEOUT_MS: '5000' }));
    const w3 = startWorker(baseEnv(db.name, p2, { WORKER_SHUTDOWN_TIMEOUT_MS: '5000' }));
    try {
      await w.waitForMsg('worker ready', 60000);
      await w.waitForMsg('operator http listening', 10000);
      expect((await get(`http://127.0.0.1:${port2}/dashboard/`)).status).toBe(404);
      expect((await get(`http://127.0.0.1:${port2}/dashboard/`, { authorization: AUTH })).status).toBe(404);
      expect((await get(`http://127.0.0.1:${port2}/health`)).status).toBe(200);
      await w3.waitForMsg('worker ready', 60000);
      expect(w3.lines.some((l) => String(l.msg ?? '').includes('operator http'))).toBe(false);
    } finally {
      await w.stop();
      await w3.stop();
      await cleanPrefix(p2);
    }
    // closed on shutdown: the port is free again
    await expect(fetch(`http://127.0.0.1:${port2}/health`)).rejects.toThrow();
    expect(w.lines.some((l) => l.msg === 'operator http closed')).toBe(true);
  });
});

