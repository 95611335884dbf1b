import { Queue } from 'bullmq';
import { createCipheriv, randomBytes } from 'crypto';
import { Pool } from 'pg';
import { encryptCredentials } from '../../src/common/credentials-crypto';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_ENCRYPTION_KEY } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { insertConnection, insertTenant } from '../utils/seed';

/** Every way a sync can fail cleanly: wrong tenant, each credentials error, a PMS failure. */

jest.setTimeout(120000);

let db: TestDatabase;
let pool: Pool;
let seq = 0;
const started: { worker: AppProcess; queue: Queue; prefix: string }[] = [];

const tenant = () => insertTenant(pool, `t${++seq}`);

/** A connection whose stored credentials are `stored` as given (encrypted by the caller, or malformed). */
const connection = (tenantId: string, stored: unknown) => insertConnection(pool, { tenantId, stored: stored === undefined ? null : stored });

async function worker(extra: Record<string, string> = {}) {
  const prefix = testPrefix();
  const w = startWorker(baseEnv(db.name, prefix, extra));
  const queue = testQueue('pms-sync', prefix);
  started.push({ worker: w, queue, prefix });
  await w.waitForMsg('worker ready', 30000);
  return { w, queue };
}

async function runSync(queue: Queue, data: Record<string, unknown>, attempts = 2) {
  const job = await queue.add('sync', data, { jobId: `fail-${++seq}`, attempts, backoff: { type: 'fixed', delay: 200 } });
  const done = await waitForJobEnd(queue, job.id!, 60000);
  return { state: await done.getState(), reason: done.failedReason, attemptsMade: done.attemptsMade };
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
});

afterAll(async () => {
  for (const s of started) {
    await s.worker.stop();
    await s.queue.close();
    await cleanPrefix(s.prefix);
  }
  await db?.drop();
});

describe('sync failures', () => {
  let main: { w: AppProcess; queue: Queue };
  beforeAll(async () => {
    main = await worker();
  });

  it('a tenant that does not own the connection fails without retry and touches nothing', async () => {
    const owner = await tenant();
    const other = await tenant();
    const c = await connection(owner, encryptCredentials({ seed: 1, leases: 5 }, TEST_ENCRYPTION_KEY));
    const r = await runSync(main.queue, { connectionId: c, tenantId: other });
    expect(r.state).toBe('failed');
    expect(r.attemptsMade).toBe(1);
    expect(r.reason).toBe(`PMS connection ${c} does not belong to tenant ${other}`);
    expect((await pool.query(`SELECT count(*)::int AS n FROM sync_runs WHERE pms_connection_id = $1`, [c])).rows[0].n).toBe(0);
    expect((await pool.query(`SELECT status FROM pms_connections WHERE id = $1`, [c])).rows[0].status).toBe('connected');
  });

  const key = Buffer.from(TEST_ENCRYPTION_KEY, 'base64');
  const good = () => encryptCredentials({ seed: 1, leases: 5 }, TEST_ENCRYPTION_KEY);
  const plaintextNotJson = () => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const cipher = Buffer.concat([c.update('not json {', 'utf8'), c.final()]);
    return { v: 1, iv: iv.toString('base64'), authTag: c.getAuthTag().toString('base64'), cipher: cipher.toString('base64') };
  };
  const cases: [string, () => unknown, RegExp][] = [
    ['wrong version', () => ({ ...good(), v: 2 }), /encrypted credentials version 2 is not supported \(expected 1\)/],
    ['missing part', () => ({ ...good(), iv: undefined }), /encrypted credentials are missing "iv"/],
    ['altered cipher (auth tag fails)', () => ({ ...good(), cipher: Buffer.from('tampered-bytes').toString('base64') }), /authentication failed/],
    ['plaintext is not JSON', plaintextNotJson, /decrypted credentials are not valid JSON/],
    ['no credentials at all', () => undefined, /encrypted credentials are missing or not an object/],
  ];
  it.each(cases)('credentials error: %s fails without retry with its own message, connection error', async (_name, make, message) => {
    const t = await tenant();
    const c = await connection(t, make());
    const r = await runSync(main.queue, { connectionId: c, tenantId: t });
    expect(r.state).toBe('failed');
    expect(r.attemptsMade).toBe(1);
    expect(r.reason).toMatch(message);
    const conn = (await pool.query(`SELECT status, last_error, sync_state FROM pms_connections WHERE id = $1`, [c])).rows[0];
    expect(conn.status).toBe('error');
    expect(conn.last_error.message).toMatch(message);
    expect(conn.sync_state.lastRunStatus).toBe('FAILED');
    const run = (await pool.query(`SELECT status, error_message FROM sync_runs WHERE pms_connection_id = $1`, [c])).rows;
    expect(run).toEqual([{ status: 'failed', error_message: expect.stringMatching(message) }]);
  });

  it('a PMS failure fails the run naming endpoint and status, sets the connection to error, keeps committed pages', async () => {
    const t = await tenant();
    const c = await connection(t, encryptCredentials({ seed: 3, leases: 100, pageSize: 50, failAt: { stream: 'charges', page: 2, status: 503 } }, TEST_ENCRYPTION_KEY));
    const r = await runSync(main.queue, { connectionId: c, tenantId: t }, 1);
    expect(r.state).toBe('failed');
    expect(r.reason).toBe('sandbox /v1/charges?page=2 returned HTTP 503');
    const conn = (await pool.query(`SELECT status, last_error FROM pms_connections WHERE id = $1`, [c])).rows[0];
    expect(conn.status).toBe('error');
    expect(conn.last_error.details).toMatchObject({ endpoint: '/v1/charges', status: 503, page: 2 });
    const run = (await pool.query(`SELECT status, error_details, checkpoint FROM sync_runs r LEFT JOIN worker_sync_runs w ON w.sync_run_id = r.id WHERE r.pms_connection_id = $1`, [c])).rows[0];
    expect(run.status).toBe('failed');
    expect(run.checkpoint.resume.charges).toEqual({ nextPage: 2 });
    // pages 0 and 1 of charges committed whole (each page atomically), nothing of page 2
    expect((await pool.query(`SELECT count(*)::int AS n FROM ar_charges WHERE pms_connection_id = $1`, [c])).rows[0].n).toBe(100); // 2 pages x 50 (the bad records of page 0 are skipped)
  });

  it('a PMS 4xx does not retry; a 5xx retries and the retry resumes the same run', async () => {
    const t = await tenant();
    const c = await connection(t, encryptCredentials({ seed: 3, leases: 20, failAt: { stream: 'leases', page: 0, status: 403 } }, TEST_ENCRYPTION_KEY));
    const r = await runSync(main.queue, { connectionId: c, tenantId: t }, 3);
    expect(r.state).toBe('failed');
    expect(r.attemptsMade).toBe(1);
    expect(r.reason).toBe('sandbox /v1/leases?page=0 returned HTTP 403');

    const c5 = await connection(await tenant(), encryptCredentials({ seed: 3, leases: 20, failAt: { stream: 'leases', page: 0, status: 500 } }, TEST_ENCRYPTION_KEY));
    const t5 = (await pool.query(`SELECT tenant_id FROM pms_connections WHERE id = $1`, [c5])).rows[0].tenant_id;
    const r5 = await runSync(main.queue, { connectionId: c5, tenantId: t5 }, 2);
    expect(r5.state).toBe('failed');
    expect(r5.attemptsMade).toBe(2);
    expect((await pool.query(`SELECT count(*)::int AS n FROM sync_runs WHERE pms_connection_id = $1`, [c5])).rows[0].n).toBe(1);
  });

  it('a missing or malformed CREDENTIALS_ENCRYPTION_KEY fails with its own message', async () => {
    const t = await tenant();
    const c = await connection(t, good());
    const noKey = await worker({ CREDENTIALS_ENCRYPTION_KEY: '' });
    const r1 = await runSync(noKey.queue, { connectionId: c, tenantId: t });
    expect(r1.state).toBe('failed');
    expect(r1.attemptsMade).toBe(1);
    expect(r1.reason).toMatch(/CREDENTIALS_ENCRYPTION_KEY is not set/);
    const badKey = await worker({ CREDENTIALS_ENCRYPTION_KEY: Buffer.alloc(16, 1).toString('base64') });
    const r2 = await runSync(badKey.queue, { connectionId: c, tenantId: t });
    expect(r2.reason).toMatch(/CREDENTIALS_ENCRYPTION_KEY must decode to 32 bytes/);
    const otherKey = await worker({ CREDENTIALS_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') });
    const r3 = await runSync(otherKey.queue, { connectionId: c, tenantId: t });
    expect(r3.reason).toMatch(/authentication failed \(wrong CREDENTIALS_ENCRYPTION_KEY/);
    for (const s of started) expect(s.worker.raw.join('\n')).not.toContain(TEST_ENCRYPTION_KEY);
  });
});
