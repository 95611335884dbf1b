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
  // --at: a US weekday daytime instant, so calls, texts and emails are seen whatever hour the suite runs at
  const r = await runCli(['demo', '--leases', '300', '--at', '2026-12-01T17:00:00Z'], env, 170000);
  const elapsed = Date.now() - started;
  if (r.code !== 0) throw new Error(`demo exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  expect(elapsed).toBeLessThan(120000);
  const out = r.stdout;

  const db = /database (mordecai_demo_\d{14}_[0-9a-f]{4}) on /.exec(out)![1];
  const prefix = /queue prefix (mordecai-demo-\d{14}-[0-9a-f]{4})/.exec(out)![1];
  expect(out).toContain('calls simulated (CALLS_DRY_RUN=true)');
  for (const step of ['1. migrated', '2. tenant', '3. worker started', '4. sync-full-flow: completed', '5. scheduler ran once', '6. calls processed', '7. automation', '8. collection tick: completed', '9. calls, texts and emails of the tick processed']) {
    expect(out).toContain(step);
  }
  // the instant: the clocks were shifted to --at (a few seconds pass while the demo runs)
  const instant = /^Instant: (\S+) \(--at\)$/m.exec(out)![1];
  expect(new Date(instant).getTime() - Date.parse('2026-12-01T17:00:00Z')).toBeGreaterThanOrEqual(0);
  expect(new Date(instant).getTime() - Date.parse('2026-12-01T17:00:00Z')).toBeLessThan(60_000);

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
  const byPolicy = [...out.matchAll(/^ {2}(?:Early|Firm|Final) \(\S+ days\)\s+\S+\s+(\d+)\s+\$|^ {2}\(no policy\)\s+\S+\s+(\d+)\s+\$/gm)].reduce((a, m) => a + Number(m[1] ?? m[2]), 0);
  expect(byPolicy).toBe(cases);

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
  // the automation: every dispatched job is accounted for per channel (simulated + held + failed = jobs)
  const tick = /^ {2}tick at (\S+): (\d+) due, (\d+) dispatched \(([^)]*)\); not dispatched: (.*)$/m.exec(out);
  if (!tick) throw new Error(`no tick line in:\n${out}`);
  const jobsOf = (name: string) => Number(new RegExp(`(\\d+) ${name}`).exec(tick[4])?.[1] ?? 0);
  expect(Date.parse(tick[1]) - Date.parse('2026-12-01T17:00:00Z')).toBeLessThan(60_000);
  const enrolled = Number(/^ {2}(\d+) case\(s\) enrolled, (\d+) awaiting approval$/m.exec(out)![1]);
  expect(Number(tick[2])).toBe(enrolled);
  const perChannel = { CALL: jobsOf('CALL_CASE'), SMS: jobsOf('SMS_CASE'), EMAIL: jobsOf('EMAIL_CASE') };
  for (const [ch, jobs] of Object.entries(perChannel)) {
    const row = new RegExp(`^ {4}${ch}\\s+(\\d+)\\s+(\\d+)\\s+(.+?)\\s{2,}(.+)$`, 'm').exec(out)!;
    expect(Number(row[1])).toBe(jobs);
    const sum = (cell: string) => (cell.trim() === '-' ? 0 : cell.split(', ').reduce((a, x) => a + Number(x.split(' ').pop()), 0));
    expect(Number(row[2]) + sum(row[3]) + sum(row[4])).toBe(jobs);
  }
  expect(perChannel.SMS + perChannel.EMAIL).toBeGreaterThan(0);
  expect(out).toMatch(/^ {2}Example text:\n {4}.+\n {4}Reply STOP to opt out\.$/m);
  expect(out).toMatch(/^ {2}Email opt-out line: To stop receiving emails from Demo Property Management about this account, reply to this email with STOP\.$/m);
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

it('--at is refused with live calls and must be an ISO instant with a zone (exit 2, nothing created)', async () => {
  const live = await runCli(['demo', '--at', '2026-12-01T17:00:00Z', '--live-calls'], baseEnv('x', 'x'), 30000);
  expect(live.code).toBe(2);
  expect(live.stderr).toContain('--at cannot be used with --live-calls');
  const bad = await runCli(['demo', '--at', '2026-12-01 17:00'], baseEnv('x', 'x'), 30000);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain(`option '--at <instant>' argument '2026-12-01 17:00' is invalid. "2026-12-01 17:00" is not an ISO 8601 instant with a zone, e.g. 2026-12-01T17:00:00Z`);
});
