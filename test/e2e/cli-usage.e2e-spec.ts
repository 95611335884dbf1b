import { cliFixture, expectCode } from '../utils/cli-fixture';
import { runCli } from '../utils/processes';

/**
 * The operator CLI's help and exit codes (dist/cli.js as a process): 0 ok, 1 failure, 2 usage,
 * 78 bad configuration. (Split from cli-commands.e2e-spec.ts so the two files run in parallel.)
 */

jest.setTimeout(120000);

const cli = cliFixture();

describe('help and exit codes', () => {
  it('--help lists every command and the exit codes, fast and without services', async () => {
    const started = Date.now();
    const r = await runCli(['--help'], { DB_PORT: '1', REDIS_URL: 'redis://127.0.0.1:1' });
    expectCode(r, 0);
    for (const c of ['migrate', 'connection', 'sync', 'call', 'schedule', 'status', 'retry-failed', 'demo']) expect(r.stdout).toMatch(new RegExp(`\\n  ${c}\\b`));
    expect(r.stdout).toContain('78  bad configuration');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([['migrate'], ['connection', 'add'], ['connection', 'test'], ['connection', 'list'], ['sync'], ['call'], ['schedule'], ['status'], ['retry-failed'], ['demo']])(
    '%s %s --help exits 0 without a database',
    async (...cmd: string[]) => {
      const args = cmd.filter((c) => typeof c === 'string');
      const r = await runCli([...args, '--help'], { DB_PORT: '1', REDIS_URL: 'redis://127.0.0.1:1' });
      expectCode(r, 0);
      expect(r.stdout).toContain(`Usage: mordecai ${args.join(' ')}`);
    },
  );

  it.each([
    [['bogus']],
    [['sync']],
    [['sync', 'not-a-uuid']],
    [['sync', '00000000-0000-4000-8000-000000000001', '--steps', 'everything']],
    [['connection', 'add', '--tenant', '00000000-0000-4000-8000-000000000001', '--software', 'yardi', '--credentials', '{}']],
    [['connection', 'add', '--tenant', '00000000-0000-4000-8000-000000000001', '--software', 'sandbox', '--credentials', 'not json']],
    [['connection', 'add', '--software', 'sandbox', '--credentials', '{}']],
    [['retry-failed', '--queue', 'nope']],
    [['status', '--failed', '0']],
  ])('bad usage %j exits 2 and writes nothing', async (args: string[]) => {
    const r = await runCli(args, cli.env);
    expectCode(r, 2);
    expect(r.stderr).toMatch(/error/);
  });

  it('unknown ids are usage errors (exit 2)', async () => {
    const missing = '00000000-0000-4000-8000-00000000dead';
    for (const args of [['sync', missing], ['call', missing], ['connection', 'test', missing]]) {
      const r = await runCli(args, cli.env);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain('does not exist');
    }
    const r = await runCli(['connection', 'add', '--tenant', missing, '--software', 'sandbox', '--credentials', '{"seed":1}'], cli.env);
    expectCode(r, 2);
    expect(r.stderr).toContain(`tenant ${missing} does not exist`);
  });

  it('bad configuration exits 78 naming the variable', async () => {
    const r = await runCli(['status'], { ...cli.env, DB_PORT: 'abc' });
    expectCode(r, 78);
    expect(r.stderr).toContain('DB_PORT');
    const k = await runCli(['connection', 'add', '--tenant', cli.tenantId, '--software', 'sandbox', '--credentials', '{"seed":1}'], { ...cli.env, CREDENTIALS_ENCRYPTION_KEY: 'c2hvcnQ=' });
    expectCode(k, 78);
    expect(k.stderr).toContain('CREDENTIALS_ENCRYPTION_KEY');
    const { rows } = await cli.pool.query('SELECT count(*)::int AS n FROM pms_connections WHERE tenant_id = $1', [cli.tenantId]);
    expect(rows[0].n).toBe(0);
  });

  it('unreachable services fail with exit 1 and a clear message', async () => {
    const r = await runCli(['status'], { ...cli.env, REDIS_URL: 'redis://127.0.0.1:1' });
    expectCode(r, 1);
    expect(r.stderr).toContain('Redis is unreachable at redis://127.0.0.1:1');
    const p = await runCli(['status'], { ...cli.env, DB_PORT: '1' });
    expectCode(p, 1);
    expect(p.stderr).toContain('Postgres is unreachable at');
  });

  it('the failed commands above wrote nothing and enqueued nothing', async () => {
    const { rows } = await cli.pool.query('SELECT count(*)::int AS n FROM pms_connections');
    expect(rows[0].n).toBe(0);
    for (const q of [cli.pmsSync, cli.caseActions]) {
      const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized');
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    }
  });

  it('migrate is idempotent', async () => {
    const r = await runCli(['migrate'], cli.env);
    expectCode(r, 0);
    expect(r.stdout).toContain('database is up to date');
  });
});

