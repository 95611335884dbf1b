import { randomBytes } from 'crypto';
import { Checks, Figures, log, scenario, sleep, tmpDir } from './lib/harness';
import { startBackend } from './lib/redis';
import { createChaosDb } from './lib/pg';
import { appEnv, attachCallPolicy, chaosClock, createTenantWithSandbox, SECRETS } from './lib/fixtures';
import { waitForQuiet } from '../../src/queues/quiescence';
import { allProcesses, death, startApp, startScheduler, startWorker } from './lib/procs';
import { CASE_ACTIONS, PMS_SYNC } from './lib/queues';
import { startFakeTwilio, twilioEnv } from './lib/calls';
import { seedCases, seedTenant } from '../../test/fakes/twilio-scenario';

/**
 * chaos:secrets: a full sync (added and run through the CLI, verbose) and calls (on demand through
 * the CLI, and by a scheduler pass), plus a failing sync and a Twilio error, all with known secret
 * values and LOG_LEVEL=debug; then every log line of every process (worker, scheduler, CLI stdout and
 * stderr) is searched for each secret and each full phone number. One hit fails the scenario.
 */
export async function runSecrets(checks: Checks, figures: Figures, opts: { label: string }): Promise<void> {
  const clock = chaosClock();
  const backend = await startBackend(opts.label);
  const db = await createChaosDb(opts.label);
  const logDir = tmpDir(opts.label);
  const twilio = await startFakeTwilio({ accountSid: SECRETS.twilioAccountSid, authToken: SECRETS.twilioAuthToken });
  const pmsSecret = `pms-secret-${randomBytes(12).toString('hex')}`;
  const env = { ...appEnv(twilioEnv(twilio, { LOG_LEVEL: 'debug' })), ...db.env, ...backend.env, ...clock.env };
  const day = clock.zone;
  const tenantId = await seedTenant(db.pool, day.zone);
  const cases = await seedCases(db.pool, tenantId, day, 12, 4321);
  await attachCallPolicy(db.pool, tenantId);

  const worker = startWorker(env, 'worker', logDir);
  await worker.waitForMsg('worker ready', 60000);
  const cli = async (args: string[]) => {
    const p = startApp(`cli-${args[0]}`, 'dist/cli.js', env, ['-v', ...args], logDir);
    const r = await Promise.race([p.exited, sleep(300000).then(() => ({ code: -1, signal: null }))]);
    return { code: r.code, out: p.raw.join('\n') };
  };

  // 1. a connection added through the CLI (credentials on the command line), synced with --wait
  const added = await cli(['connection', 'add', '--tenant', tenantId, '--software', 'sandbox', '--credentials', JSON.stringify({ seed: 11, leases: 300, pageSize: 100, apiSecret: pmsSecret }), '--json']);
  const connectionId = /"(?:connectionId|id)"\s*:\s*"([0-9a-f-]{36})"/.exec(added.out)?.[1];
  if (!connectionId) throw new Error(`connection add gave no id (exit ${added.code}): ${added.out.slice(-300)}`);
  const synced = await cli(['sync', connectionId, '--wait', '--json']);
  // a sync that fails on an auth error, with a secret in its credentials
  const failing = await createTenantWithSandbox(db.pool, { seed: 3, leases: 50, apiSecret: pmsSecret, failAt: { stream: 'charges', page: 0, status: 401 } }, 'Failing');
  await backend.queue(PMS_SYNC).add('sync', { connectionId: failing.connectionId, tenantId: failing.tenantId, trigger: 'manual' }, { attempts: 2, backoff: { type: 'fixed', delay: 500 } });

  // 2. calls: two on demand through the CLI (one answered by a Twilio error), the rest by a scheduler pass
  const phones = (await db.pool.query(`SELECT d.phone FROM debtors d JOIN debt_cases c ON c.debtor_id = d.id WHERE c.id = ANY($1::uuid[])`, [cases])).rows.map((r) => r.phone as string);
  twilio.script({ kind: 'error', status: 400, code: 21211, message: `The 'To' number ${phones[1]} is not a valid phone number.` }, { to: phones[1] });
  await cli(['call', cases[0]]);
  await cli(['call', cases[1]]);
  const sched = startScheduler({ ...env, SCHEDULER_PER_TENANT_LIMIT: '100', SYNC_INTERVAL_HOURS: '1' }, ['--once'], 'scheduler', logDir);
  await Promise.race([sched.exited, sleep(120000)]);
  await cli(['status']);
  await Promise.race([Promise.all([waitForQuiet(backend.queue(PMS_SYNC), 300000), waitForQuiet(backend.queue(CASE_ACTIONS), 300000)]), death(worker)]);
  await sleep(300);
  await worker.stop(20000);

  // 3. the secrets and phone numbers to look for
  const keyHex = Buffer.from(SECRETS.encryptionKey, 'base64').toString('hex');
  const secrets: { kind: string; value: string | RegExp }[] = [
    { kind: 'CREDENTIALS_ENCRYPTION_KEY', value: SECRETS.encryptionKey },
    { kind: 'CREDENTIALS_ENCRYPTION_KEY(hex)', value: keyHex },
    { kind: 'TWILIO_AUTH_TOKEN', value: SECRETS.twilioAuthToken },
    { kind: 'CALL_CONTEXT_HMAC_SECRET', value: SECRETS.hmacSecret },
    { kind: 'PMS credential', value: pmsSecret },
  ];
  const pmsPhones = (await db.pool.query(`SELECT DISTINCT phone FROM pms_debtors WHERE phone IS NOT NULL AND length(regexp_replace(phone, '\\D', '', 'g')) >= 10`)).rows.map((r) => r.phone as string);
  const allPhones = [...new Set([...phones, ...pmsPhones])];
  for (const p of allPhones) {
    const digits = p.replace(/\D/g, '');
    const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    secrets.push({ kind: 'phone', value: p });
    secrets.push({ kind: 'phone', value: new RegExp(`(?<!\\d)\\+?1?${national}(?!\\d)`) });
  }
  let lines = 0;
  const leaks = new Map<string, number>();
  const samples: string[] = [];
  for (const p of allProcesses()) {
    for (const raw of p.raw) {
      lines++;
      for (const s of secrets) {
        const hit = typeof s.value === 'string' ? raw.includes(s.value) : s.value.test(raw);
        if (hit) {
          const key = `${s.kind}@${p.label}`;
          leaks.set(key, (leaks.get(key) ?? 0) + 1);
          if (samples.length < 3) samples.push(`${key}: ${raw.slice(0, 200).replace(typeof s.value === 'string' ? s.value : s.value, '<SECRET>')}`);
        }
      }
    }
  }
  const runs = (await db.pool.query(`SELECT status, count(*)::int AS n FROM sync_runs GROUP BY status ORDER BY status`)).rows;
  log(`leak samples: ${samples.join(' || ')}`);

  figures.processes = allProcesses().length;
  figures.log_lines = lines;
  figures.secrets_checked = secrets.length;
  figures.phones_checked = allPhones.length;
  figures.sync_runs = runs.map((r) => `${r.status}:${r.n}`).join(',');
  figures.dials = twilio.calls.length;
  figures.twilio_errors = twilio.dialRequests().length - twilio.calls.length;
  figures.leaks = [...leaks.values()].reduce((a, b) => a + b, 0);
  if (leaks.size) figures.leaked = [...leaks.keys()].join(',');

  checks.check(synced.code === 0, `the CLI sync completed (exit ${synced.code})`);
  checks.check(runs.some((r) => r.status === 'completed') && runs.some((r) => r.status === 'failed'), `a completed and a failed sync ran (${JSON.stringify(runs)})`);
  checks.check(twilio.calls.length >= 2, `calls were placed (${twilio.calls.length})`);
  checks.check(lines > 100, `enough log lines were searched (${lines})`);
  checks.check(leaks.size === 0, `no secret or full phone number in any log line (${[...leaks].map(([k, n]) => `${k}x${n}`).join(', ')}); ${samples.join(' || ')}`);
}

if (require.main === module) {
  const name = `${process.env.CHAOS_REDIS === 'cluster' ? 'cluster-' : ''}secrets`;
  scenario(name, 15 * 60000, (checks, figures) => runSecrets(checks, figures, { label: name }));
}
