import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ConnectionContext, PmsConnector, PulledPage, PullOptions } from '../../src/connectors/connector.types';
import { SandboxConnector } from '../../src/connectors/sandbox/sandbox.connector';
import { createStandaloneSync } from '../../src/pms-sync/standalone';
import { SyncRunner } from '../../src/pms-sync/sync-runner.service';
import { SyncInterruptedError } from '../../src/pms-sync/sync.types';
import { createTestDatabase, openDataSource, TestDatabase } from '../utils/db';
import { TEST_ENCRYPTION_KEY } from '../utils/env';
import { insertConnection, insertTenant } from '../utils/seed';

/**
 * The shutdown signal in the runner itself (in process, real Postgres): whichever way a connector
 * reacts to it (its stream ends early, or its request fails), the run stops at a page boundary,
 * stays open (pending, not failed; the connection not in error), nothing is soft-deleted, and the
 * same job resumes it to exactly the state and counts of an uninterrupted run.
 */

jest.setTimeout(60000);

const CREDS = { seed: 3, leases: 240, pageSize: 40 };
let db: TestDatabase;
let pool: Pool;
let ds: DataSource;

/**
 * The sandbox behind a slow PMS (200 ms per page) that reacts to the signal while it waits for a
 * page: its stream ends ('end'), or its request fails like an aborted HTTP request ('fail').
 */
class SlowPms implements PmsConnector {
  readonly key = 'sandbox';
  readonly supportsIncremental = false;
  private readonly inner = new SandboxConnector();
  constructor(private readonly onAbort: 'end' | 'fail') {}
  testConnection(ctx: ConnectionContext) {
    return this.inner.testConnection(ctx);
  }
  pullFull(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage> {
    const inner = this.inner.pullFull({ ...ctx, signal: undefined }, opts);
    const onAbort = this.onAbort;
    return (async function* () {
      for await (const page of inner) {
        const aborted = await new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(false), 200);
          ctx.signal?.addEventListener('abort', () => {
            clearTimeout(t);
            resolve(true);
          });
        });
        if (aborted && onAbort === 'end') return;
        if (aborted) throw Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
        yield page;
      }
    })();
  }
  pullIncremental(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage> {
    return this.pullFull(ctx, opts);
  }
}

async function connection(): Promise<{ tenantId: string; connectionId: string }> {
  const tenantId = await insertTenant(pool, 'abort');
  return { tenantId, connectionId: await insertConnection(pool, { tenantId, credentials: CREDS }) };
}

function runnerWith(connector?: PmsConnector): SyncRunner {
  return createStandaloneSync(ds, { CREDENTIALS_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }, connector ? [connector] : undefined).runner;
}

async function tableState(connectionId: string): Promise<Record<string, number>> {
  const n = async (sql: string) => Number((await pool.query(sql, [connectionId])).rows[0].n);
  return {
    debtors: await n(`SELECT count(*) AS n FROM pms_debtors WHERE pms_connection_id = $1 AND NOT EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = id)`),
    deletedDebtors: await n(`SELECT count(*) AS n FROM pms_debtors WHERE pms_connection_id = $1 AND EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = id)`),
    contacts: await n(`SELECT count(*) AS n FROM pms_debtor_contacts k JOIN pms_debtors d ON d.id = k.pms_debtor_id WHERE d.pms_connection_id = $1`),
    leases: await n(`SELECT count(*) AS n FROM pms_leases WHERE pms_connection_id = $1 AND NOT EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = id)`),
    deletedLeases: await n(`SELECT count(*) AS n FROM pms_leases WHERE pms_connection_id = $1 AND EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = id)`),
    charges: await n(`SELECT count(*) AS n FROM ar_charges WHERE pms_connection_id = $1`),
    chargeCents: await n(`SELECT coalesce(sum(amount_cents), 0) AS n FROM ar_charges WHERE pms_connection_id = $1`),
    payments: await n(`SELECT count(*) AS n FROM ar_payments WHERE pms_connection_id = $1`),
    agingTotal: await n(`SELECT coalesce(sum(total_cents), 0) AS n FROM ar_aging_snapshots WHERE pms_connection_id = $1`),
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
  ds = await openDataSource(db.name);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

describe.each([
  ['its stream ends early', new SlowPms('end')],
  ['its request fails', new SlowPms('fail')],
])('a sync aborted while the connector pulls (%s)', (_how, connector) => {
  it('stops at a page boundary, stays resumable, and the same job resumes it to the uninterrupted state', async () => {
    const c = await connection();
    const clean = await connection();
    const runner = runnerWith(connector);
    const ac = new AbortController();
    let pages = 0;
    const jobId = `abort-${Math.random().toString(36).slice(2)}`;
    const first = runner.run({
      ...c,
      jobId,
      signal: ac.signal,
      progress: (p) => {
        // abort once 8 pages are committed (in the leases stream, before any charge), while the
        // connector waits for the next page
        if (p.step === 'pull' && ++pages === 8) setTimeout(() => ac.abort(), 50);
      },
    });
    await expect(first).rejects.toBeInstanceOf(SyncInterruptedError);

    const run = (await pool.query(`SELECT status, step, checkpoint, stats, error_message FROM sync_runs r LEFT JOIN worker_sync_runs w ON w.sync_run_id = r.id WHERE r.pms_connection_id = $1`, [c.connectionId])).rows[0];
    expect(run).toMatchObject({ status: 'pending', step: 'interrupted', error_message: null });
    expect(run.stats.pages).toBe(8);
    expect(run.checkpoint.pullComplete).toBeUndefined();
    expect(run.stats.tables.charges).toBeUndefined();
    const conn = (await pool.query(`SELECT status, last_error FROM pms_connections WHERE id = $1`, [c.connectionId])).rows[0];
    expect(conn).toEqual({ status: 'syncing', last_error: null });
    const mid = await tableState(c.connectionId);
    expect(mid.deletedDebtors + mid.deletedLeases).toBe(0); // an interrupted pull never soft-deletes
    expect(mid.charges).toBe(0);

    const resumed = await runnerWith().run({ ...c, jobId }); // the same job (id), at full speed
    expect(resumed.resumed).toBe(true);
    const reference = await runnerWith().run({ ...clean, jobId: `${jobId}-clean` });
    expect(await tableState(c.connectionId)).toEqual(await tableState(clean.connectionId));
    expect(resumed.counts).toEqual(reference.counts);
    expect((await pool.query(`SELECT status FROM sync_runs WHERE pms_connection_id = $1`, [c.connectionId])).rows).toEqual([{ status: 'completed' }]);
    expect((await pool.query(`SELECT status FROM pms_connections WHERE id = $1`, [c.connectionId])).rows[0].status).toBe('connected');
  });
});
