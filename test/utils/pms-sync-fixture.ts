import { Queue } from 'bullmq';
import { createTestDatabase, TestDatabase } from './db';
import { baseEnv } from './env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from './processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from './queues';
import { AGING_POLICIES, insertConnection, insertTenant } from './seed';

/**
 * The shared setup of the connector end-to-end files: a fake PMS server started on loopback, a
 * database and queue prefix of their own, the built worker pointed at the fake, and helpers to add
 * a connection (tenant + flow policies + encrypted credentials), run a `sync` job through the real
 * queue and read rows back. Call at the top level of a test file; it registers beforeAll/afterAll.
 */
/** "Not soft-deleted" for a row of `table` (soft deletes are the workers' own records). */
export const NOT_DELETED = (table: string) => `NOT EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = ${table}.id)`;

export interface FakeServer {
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
}

export interface SyncedConnection {
  tenantId: string;
  connectionId: string;
}

export interface PmsSyncFixture {
  connection(credentials: unknown): Promise<SyncedConnection>;
  /** Adds a `sync` job for the connection (trigger manual) and waits for its end. */
  sync(c: SyncedConnection, extra?: Record<string, unknown>, attempts?: number): Promise<{ state: string; job: Awaited<ReturnType<typeof waitForJobEnd>>; result: any }>;
  rows(sql: string, params: unknown[]): Promise<any[]>;
  /** Rows of a canonical table for the connection, optionally filtered by a SQL condition. */
  count(table: string, connectionId: string, where?: string): Promise<number>;
}

export function pmsSyncFixture(o: {
  fake: FakeServer;
  /** softwares.key of the connector */
  software: string;
  /** tenant name of the connections */
  label: string;
  /** job id prefix */
  jobPrefix: string;
  /** extra worker env, read once the fake listens (its base URL, page size) */
  workerEnv: () => Record<string, string>;
}): PmsSyncFixture {
  let db: TestDatabase;
  let prefix: string;
  let queue: Queue;
  let worker: AppProcess;
  let jobSeq = 0;

  beforeAll(async () => {
    await o.fake.start();
    db = await createTestDatabase();
    prefix = testPrefix();
    queue = testQueue('pms-sync', prefix);
    worker = startWorker(baseEnv(db.name, prefix, o.workerEnv()));
    await worker.waitForMsg('worker ready', 30000);
  });

  afterAll(async () => {
    await worker?.stop();
    await queue?.close();
    if (prefix) await cleanPrefix(prefix);
    await db?.drop();
    await o.fake.stop();
  });

  const rows = async (sql: string, params: unknown[]) => (await db.pool.query(sql, params)).rows;

  return {
    rows,
    async connection(credentials) {
      const tenantId = await insertTenant(db.pool, o.label, AGING_POLICIES);
      return { tenantId, connectionId: await insertConnection(db.pool, { tenantId, software: o.software, credentials }) };
    },
    async sync(c, extra = {}, attempts = 1) {
      const job = await queue.add(
        'sync',
        { connectionId: c.connectionId, tenantId: c.tenantId, trigger: 'manual', ...extra },
        { jobId: `${o.jobPrefix}-${++jobSeq}`, attempts, backoff: { type: 'fixed', delay: 200 } },
      );
      const done = await waitForJobEnd(queue, job.id!, 100000);
      return { state: await done.getState(), job: done, result: done.returnvalue as any };
    },
    async count(table, connectionId, where = 'true') {
      return (await rows(`SELECT count(*)::int AS n FROM ${table} WHERE pms_connection_id = $1 AND ${where}`, [connectionId]))[0].n;
    },
  };
}
