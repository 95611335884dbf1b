import { decryptCredentials } from '../../src/common/credentials-crypto';
import { cliFixture, expectCode } from '../utils/cli-fixture';
import { TEST_ENCRYPTION_KEY } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { runCli, startWorker } from '../utils/processes';
import { insertConnection } from '../utils/seed';

/**
 * The operator CLI run as a process (dist/cli.js) against real Postgres and Redis: what it writes
 * to the database, what it enqueues (exactly the API's jobs), its output, and its exit codes.
 */

jest.setTimeout(120000);

const cli = cliFixture();

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('connections', () => {
  let connectionId: string;

  it('connection add with a failing test saves the connection as error, prints its id and exits 1', async () => {
    const t = await cli.newTenant('Failing tenant');
    const r = await runCli(['connection', 'add', '--tenant', t, '--software', 'sandbox', '--credentials', '{"seed":"not a number"}'], cli.env);
    expectCode(r, 1);
    const id = r.stdout.trim().split('\n').pop()!;
    expect(id).toMatch(UUID_RE);
    const { rows } = await cli.pool.query('SELECT status, last_error FROM pms_connections WHERE id = $1', [id]);
    expect(rows[0].status).toBe('error');
    expect(rows[0].last_error.message).toMatch(/seed/);
    expect(rows[0].last_error.code).toBe('BAD_CREDENTIALS');
    // fixing the credentials updates the same connection (one per tenant and software)
    const fixed = await runCli(['connection', 'add', '--tenant', t, '--software', 'sandbox', '--credentials', '{"seed":3,"leases":10}', '--json'], cli.env);
    expectCode(fixed, 0);
    const out = JSON.parse(fixed.stdout);
    expect(out).toMatchObject({ id, created: false, status: 'connected' });
    const after = await cli.pool.query('SELECT status, last_error FROM pms_connections WHERE id = $1', [id]);
    expect(after.rows[0]).toEqual({ status: 'connected', last_error: null });
  });

  it('connection add encrypts exactly as the API does, tests through the registry and inserts the row', async () => {
    const creds = { seed: 7, leases: 40 };
    const r = await runCli(['connection', 'add', '--tenant', cli.tenantId, '--software', 'sandbox', '--credentials', JSON.stringify(creds)], cli.env);
    expectCode(r, 0);
    connectionId = r.stdout.trim().split('\n').pop()!;
    expect(connectionId).toMatch(UUID_RE);
    expect(r.stdout).toContain('connection test: ok');
    const { rows } = await cli.pool.query(
      `SELECT c.tenant_id, c.status, c.credentials, c.external_account_id, c.last_error, s.key FROM pms_connections c JOIN softwares s ON s.id = c.software_id WHERE c.id = $1`,
      [connectionId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenant_id: cli.tenantId, status: 'connected', key: 'sandbox', external_account_id: 'sandbox-7', last_error: null });
    expect(Object.keys(rows[0].credentials).sort()).toEqual(['authTag', 'cipher', 'iv', 'v']);
    expect(rows[0].credentials.v).toBe(1);
    expect(JSON.stringify(rows[0].credentials)).not.toContain('leases');
    expect(decryptCredentials(rows[0].credentials, TEST_ENCRYPTION_KEY)).toEqual(creds);
  });

  it('connection test decrypts and tests the stored credentials; a wrong key is reported (exit 1)', async () => {
    const ok = await runCli(['connection', 'test', connectionId], cli.env);
    expectCode(ok, 0);
    expect(ok.stdout).toContain('(sandbox): ok');
    const t = await cli.newTenant('Other key');
    const other = await insertConnection(cli.pool, { tenantId: t, credentials: { seed: 1 }, key: Buffer.alloc(32, 9).toString('base64') });
    const bad = await runCli(['connection', 'test', other], cli.env);
    expectCode(bad, 1);
    expect(bad.stderr).toContain('authentication failed');
  });

  it('connection list shows the connections', async () => {
    const r = await runCli(['connection', 'list', '--json'], cli.env);
    expectCode(r, 0);
    const list = JSON.parse(r.stdout) as { id: string; software: string; status: string }[];
    expect(list.find((c) => c.id === connectionId)).toMatchObject({ software: 'sandbox', status: 'connected' });
    const text = await runCli(['connection', 'list', '--tenant', cli.tenantId], cli.env);
    expect(text.stdout).toContain(connectionId);
    expect(text.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('sync enqueues the API job (name, payload, attempts, first retry delay)', async () => {
    const r = await runCli(['sync', connectionId], cli.env);
    expectCode(r, 0);
    const jobId = /as job (\S+)/.exec(r.stdout)![1];
    const job = (await cli.pmsSync.getJob(jobId))!;
    expect(job.name).toBe('sync');
    expect(job.data).toEqual({ connectionId, tenantId: cli.tenantId, trigger: 'manual', steps: null, idempotencyKey: expect.stringMatching(/^cli-[0-9a-f-]{36}$/) });
    // the API's attempts and first delay; our retries are jittered (shorter by up to 20%)
    expect(job.opts).toMatchObject({ attempts: 2, backoff: { type: 'exponential', delay: 5000, jitter: 0.2 } });

    const s = await runCli(['sync', connectionId, '--steps', 'charges,payments', '--steps', 'balances_aging', '--json'], cli.env);
    expectCode(s, 0);
    const out = JSON.parse(s.stdout);
    const job2 = (await cli.pmsSync.getJob(out.jobId))!;
    expect(job2.data.steps).toEqual(['charges', 'payments', 'balances_aging']);
    expect(job2.data.idempotencyKey).not.toBe(job.data.idempotencyKey);
    expect(await cli.pmsSync.getWaitingCount()).toBe(2);
    await cli.pmsSync.obliterate({ force: true });
  });

  it('sync --wait follows the job and prints the run summary from sync_runs.stats', async () => {
    let worker: AppProcess | undefined;
    try {
      worker = startWorker(cli.env);
      await worker.waitForMsg('worker ready', 60000);
      const r = await runCli(['sync', connectionId, '--wait'], cli.env, 90000);
      expect(r.stderr).toBe('');
      expectCode(r, 0);
      // not a TTY: plain progress lines, then the summary
      expect(r.stdout).toMatch(/^sync: (waiting|active|completed)/m);
      expect(r.stdout).toMatch(/sync run [0-9a-f-]{36}: completed/);
      expect(r.stdout).toContain('rows per table:');
      const { rows } = await cli.pool.query(`SELECT status, stats FROM sync_runs WHERE pms_connection_id = $1 AND idempotency_key LIKE 'cli-%'`, [connectionId]);
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe('completed');
      // the printed figures are the run's stats
      const t = rows[0].stats.tables;
      expect(r.stdout).toMatch(/^table\s+received\s+created\s+updated\s+unchanged\s+stale\s+skipped\s+missingRelations$/m);
      for (const table of ['debtors', 'leases', 'charges', 'payments']) {
        const c = t[table];
        expect(r.stdout).toMatch(new RegExp(`^${table}\\s+${c.received}\\s+${c.created}\\s+${c.updated}\\s+${c.unchanged}\\s+${c.stale}\\s+${c.skipped}\\s+${c.missingRelations}$`, 'm'));
      }
      const missing = Object.entries(rows[0].stats.missingRelations as Record<string, { count: number }>).map(([k, v]) => `${k}: ${v.count}`);
      expect(missing.length).toBeGreaterThan(0); // the sandbox emits a few orphans on purpose
      expect(r.stdout).toContain(`missing relations: ${missing.join(', ')}`);
      const leases = await cli.pool.query('SELECT count(*)::int AS n FROM pms_leases WHERE pms_connection_id = $1', [connectionId]);
      expect(leases.rows[0].n).toBe(40);
    } finally {
      await worker?.stop();
    }
  });
});

describe('sync failures', () => {
  it('sync --wait on a failing PMS ends with the failed run and exit 1', async () => {
    const t = await cli.newTenant('Failing PMS');
    const failing = await insertConnection(cli.pool, { tenantId: t, credentials: { seed: 2, leases: 20, failAt: { stream: 'leases', page: 0, status: 500 } } });
    let worker: AppProcess | undefined;
    try {
      worker = startWorker(cli.env);
      await worker.waitForMsg('worker ready', 60000);
      const r = await runCli(['sync', failing, '--wait'], cli.env, 90000);
      expectCode(r, 1);
      expect(r.stdout).toMatch(/sync run [0-9a-f-]{36}: failed/);
      expect(r.stdout).toMatch(/job \S+ failed: .*500/);
      const run = await cli.pool.query(`SELECT status, error_message FROM sync_runs WHERE pms_connection_id = $1`, [failing]);
      expect(run.rows).toHaveLength(1);
      expect(run.rows[0].status).toBe('failed');
      expect(r.stdout).toContain(`error: ${run.rows[0].error_message}`);
    } finally {
      await worker?.stop();
    }
  });

  it('a disabled connection is not synced (exit 1, nothing enqueued)', async () => {
    const t = await cli.newTenant('Disabled');
    const disabled = await insertConnection(cli.pool, { tenantId: t, status: 'disabled' });
    const before = await cli.pmsSync.getWaitingCount();
    const r = await runCli(['sync', disabled], cli.env);
    expectCode(r, 1);
    expect(r.stderr).toContain('is disabled');
    expect(await cli.pmsSync.getWaitingCount()).toBe(before);
  });
});
