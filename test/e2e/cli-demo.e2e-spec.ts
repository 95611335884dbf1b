import IORedis from 'ioredis';
import { adminClient } from '../utils/db';
import { baseEnv, TEST_REDIS_URL } from '../utils/env';
import { runCli } from '../utils/processes';

/**
 * `mordecai demo` (what `npm run demo` runs after building) from nothing: its own database and
 * queue prefix, migrations, sandbox data through the real worker, the scheduler once, the report;
 * then it leaves nothing behind.
 */

jest.setTimeout(180000);

it('runs from an empty database to its report in under 2 minutes and cleans up after itself', async () => {
  const started = Date.now();
  // DB_NAME and BULLMQ_PREFIX from the environment are deliberately ignored by the demo
  const env = baseEnv('must_not_be_used', 'must-not-be-used', { LOG_LEVEL: 'info' });
  const r = await runCli(['demo', '--leases', '300'], env, 170000);
  const elapsed = Date.now() - started;
  if (r.code !== 0) throw new Error(`demo exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  expect(elapsed).toBeLessThan(120000);
  const out = r.stdout;

  const db = /database (mordecai_demo_\d{14}_[0-9a-f]{4}) on /.exec(out)![1];
  const prefix = /queue prefix (mordecai-demo-\d{14}-[0-9a-f]{4})/.exec(out)![1];
  expect(out).toContain('calls simulated (CALLS_DRY_RUN=true)');
  for (const step of ['1. migrated', '2. tenant', '3. worker started', '4. sync-full-flow: completed', '5. scheduler ran once', '6. calls processed']) expect(out).toContain(step);

  // rows synced per table: the sandbox's 300 leases and their charges
  expect(out).toMatch(/^ {2}pms_leases\s+300$/m);
  expect(out).toMatch(/^ {2}pms_units\s+300$/m);
  expect(out).toMatch(/^ {2}ar_charges\s+[1-9]\d*$/m);
  const cases = Number(/^ {2}debt_cases\s+(\d+)$/m.exec(out)![1]);
  expect(cases).toBeGreaterThan(0);

  // aging buckets
  expect(out).toMatch(/^Aging as of \d{4}-\d{2}-\d{2} \(total \$[\d,]+\.\d{2}\):$/m);
  for (const b of ['0-30 days', '31-60 days', '61-90 days', '90+ days']) expect(out).toMatch(new RegExp(`^ {2}${b.replace('+', '\\+')}\\s+\\$[\\d,]+\\.\\d{2}\\s+\\d+$`, 'm'));

  // cases by policy add up to the debt_cases rows
  expect(Number(/^Cases: (\d+) /m.exec(out)![1])).toBe(cases);
  // (leases that owe with nothing past due yet have a case and no policy: the policies start at 1 day)
  const byPolicy = [...out.matchAll(/^ {2}(?:(?:Early|Firm|Final) \(\S+ days\)|\(no policy\))\s+\S+\s+(\d+)\s+\$/gm)].reduce((a, m) => a + Number(m[1]), 0);
  expect(byPolicy).toBe(cases);

  // risk tiers in the API's words, adding up to the leases
  const tiers = /^Leases by risk tier: al_dia (\d+), bajo (\d+), medio (\d+), alto (\d+), critico (\d+)$/m.exec(out)!;
  expect(tiers).not.toBeNull();
  expect(tiers.slice(1).reduce((a, n) => a + Number(n), 0)).toBe(300);

  // calls planned + held = the cases the scheduler looked at (at most SCHEDULER_PER_TENANT_LIMIT=25)
  const calls = /^Calls: (\d+) planned by the scheduler, (\d+) simulated \(dry run\), (\d+) case\(s\) held back$/m.exec(out)!;
  const [planned, simulated, held] = [Number(calls[1]), Number(calls[2]), Number(calls[3])];
  expect(planned + held).toBeGreaterThan(0);
  expect(planned + held).toBeLessThanOrEqual(25);
  expect(simulated).toBeLessThanOrEqual(planned);
  if (held > 0) {
    const rules = [...out.matchAll(/^ {2}([A-Z_]+)\s+(\d+)$/gm)].reduce((a, m) => a + Number(m[2]), 0);
    expect(rules).toBe(held);
  }
  expect(out).toMatch(/^Finished in [\d.]+ s\.$/m);
  expect(out).toContain(`cleaned up: database ${db} dropped, queue prefix ${prefix} deleted`);

  // nothing left behind
  const admin = adminClient();
  await admin.connect();
  try {
    const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname = $1 OR datname = $2', [db, 'must_not_be_used']);
    expect(rows).toEqual([]);
  } finally {
    await admin.end();
  }
  const redis = new IORedis(TEST_REDIS_URL);
  try {
    const [, keys] = await redis.scan('0', 'MATCH', `${prefix}:*`, 'COUNT', 10000);
    expect(keys).toEqual([]);
    const [, other] = await redis.scan('0', 'MATCH', 'must-not-be-used:*', 'COUNT', 10000);
    expect(other).toEqual([]);
  } finally {
    redis.disconnect();
  }
});

it('fails fast with a clear message when Postgres or Redis is unreachable', async () => {
  const pg = await runCli(['demo'], baseEnv('x', 'x', { DB_PORT: '1' }), 30000);
  expect(pg.code).toBe(1);
  expect(pg.stderr).toContain('Postgres is unreachable at 127.0.0.1:1/postgres');
  const redis = await runCli(['demo'], baseEnv('x', 'x', { REDIS_URL: 'redis://127.0.0.1:1' }), 30000);
  expect(redis.code).toBe(1);
  expect(redis.stderr).toContain('Redis is unreachable at redis://127.0.0.1:1');
});
