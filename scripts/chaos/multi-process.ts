import { Checks, Figures, log, scenario, sleep, tmpDir } from './lib/harness';
import { startBackend } from './lib/redis';
import { createChaosDb } from './lib/pg';
import { appEnv, attachCallPolicy, chaosClock, createTenantWithSandbox } from './lib/fixtures';
import { AppProcess, LogLine } from '../../src/common/app-process';
import { waitForQuiet } from '../../src/queues/quiescence';
import { death, startScheduler, startWorker } from './lib/procs';
import { CASE_ACTIONS, PMS_SYNC } from './lib/queues';
import { callState, startFakeTwilio, twilioEnv } from './lib/calls';
import { stuckState } from './lib/sync';
import { seedCases } from '../../test/fakes/twilio-scenario';

/**
 * chaos:multi-process: two worker processes and two schedulers (cron every 2 s) on the same queues and
 * database, with manual syncs piled on the same connections. No job runs in two places at once
 * (from the workers' own job started/ended log lines), one sync per connection at a time (sync_runs
 * intervals never overlap), every due case enqueued once per slot (one scheduler job id per case,
 * one interaction, zero duplicate dials: no case dialed twice, every Twilio call matched to its
 * interaction).
 */
export async function runMultiProcess(checks: Checks, figures: Figures, opts: { cases: number; connections: number; label: string }): Promise<void> {
  const clock = chaosClock();
  const backend = await startBackend(opts.label);
  const db = await createChaosDb(opts.label);
  const logDir = tmpDir(opts.label);
  const twilio = await startFakeTwilio();
  twilio.script({ kind: 'slow-response', ms: 150 }, { times: 1_000_000 });
  const day = clock.zone;

  const conns = [];
  for (let i = 0; i < opts.connections; i++) conns.push(await createTenantWithSandbox(db.pool, { seed: 7 + i, leases: 400, pageSize: 100, pageDelayMs: 30 }, `Tenant ${i}`));
  await db.pool.query(`UPDATE tenants SET timezone = $1`, [day.zone]);
  // the cases the schedulers must call: in the first tenant, in New York, where the scenario's clock reads 11:00
  const caseIds = await seedCases(db.pool, conns[0].tenantId, day, opts.cases, 0);
  await attachCallPolicy(db.pool, conns[0].tenantId);

  const env = {
    ...appEnv(
      twilioEnv(twilio, {
        WORKER_CONCURRENCY: '10',
        SCHEDULER_ENABLED: 'true',
        SCHEDULER_CRON: '*/2 * * * * *',
        SCHEDULER_LIMIT: '100000',
        SCHEDULER_PER_TENANT_LIMIT: '100000',
        SYNC_INTERVAL_HOURS: '1',
      }),
    ),
    ...db.env,
    ...backend.env,
    ...clock.env,
  };
  const workers: AppProcess[] = [startWorker(env, 'worker-a', logDir), startWorker(env, 'worker-b', logDir)];
  await Promise.all(workers.map((w) => w.waitForMsg('worker ready', 60000)));
  const sync = backend.queue(PMS_SYNC);
  const calls = backend.queue(CASE_ACTIONS);
  // manual syncs piled on the same connections (as a user clicking "sync" repeatedly)
  for (const c of conns) {
    for (let k = 0; k < 3; k++) {
      await sync.add('sync', { connectionId: c.connectionId, tenantId: c.tenantId, trigger: 'manual' }, { jobId: `manual-${c.connectionId}-${k}`, attempts: 6, backoff: { type: 'fixed', delay: 1500 } });
    }
  }
  const schedulers: AppProcess[] = [startScheduler(env, [], 'scheduler-a', logDir), startScheduler(env, [], 'scheduler-b', logDir)];
  await Promise.all(schedulers.map((s) => s.waitForMsg('scheduler started', 60000)));
  // let both schedulers run several passes (every 2 s) over the same minute slots
  await sleep(12000);
  for (const s of schedulers) await s.stop(15000);
  await Promise.race([Promise.all([waitForQuiet(sync, 300000), waitForQuiet(calls, 300000)]), ...workers.map(death)]);
  await sleep(500);

  // 1. no job ran in two places at once
  const intervals = new Map<string, { w: string; start: number; end: number }[]>();
  let overlapping = 0;
  let jobRuns = 0;
  for (const w of workers) {
    const open = new Map<string, number>();
    for (const l of w.lines as LogLine[]) {
      const id = l.jobId ? `${l.queue}/${l.jobId}` : undefined;
      if (!id) continue;
      const t = Date.parse(String(l.time));
      if (l.msg === 'job started') open.set(id, t);
      // a sync that found its connection busy ends its run with 'job delayed' (it waits in the delayed set)
      else if ((l.msg === 'job completed' || l.msg === 'job failed' || l.msg === 'job delayed: it waits without using an attempt') && open.has(id)) {
        const arr = intervals.get(id) ?? [];
        arr.push({ w: w.label, start: open.get(id)!, end: t });
        intervals.set(id, arr);
        open.delete(id);
        jobRuns++;
      }
    }
    for (const [id, start] of open) {
      const arr = intervals.get(id) ?? [];
      arr.push({ w: w.label, start, end: Number.MAX_SAFE_INTEGER });
      intervals.set(id, arr);
    }
  }
  for (const arr of intervals.values()) {
    arr.sort((a, b) => a.start - b.start);
    for (let i = 1; i < arr.length; i++) if (arr[i].start < arr[i - 1].end) overlapping++;
  }
  const byWorker = workers.map((w) => w.lines.filter((l) => l.msg === 'job started').length);

  // 2. one sync per connection at a time
  const overlaps = (
    await db.pool.query(
      `SELECT count(*)::int AS n FROM sync_runs a JOIN sync_runs b ON a.pms_connection_id = b.pms_connection_id AND a.id < b.id
       WHERE tstzrange(a.started_at, coalesce(a.finished_at, 'infinity')) && tstzrange(b.started_at, coalesce(b.finished_at, 'infinity'))`,
    )
  ).rows[0].n as number;
  const runs = (await db.pool.query(`SELECT status, count(*)::int AS n FROM sync_runs GROUP BY status ORDER BY status`)).rows;
  const syncJobs = await sync.getJobCounts('completed', 'failed');

  // 3. every due case enqueued once per slot, called once
  const callJobs = await calls.getJobs(['completed', 'failed', 'wait', 'active', 'delayed'], 0, -1);
  const perCase = new Map<string, number>();
  for (const j of callJobs) if (j.name === 'CALL_CASE') perCase.set(j.data.caseId, (perCase.get(j.data.caseId) ?? 0) + 1);
  const enqueuedTwice = [...perCase.values()].filter((n) => n > 1).length;
  const notEnqueued = caseIds.filter((id) => !perCase.has(id)).length;
  const st = await callState(db.pool, conns[0].tenantId, caseIds);
  // Dials per debt case: every call Twilio created is matched to its interaction by SID. The syncs
  // create callable cases too (tenant 0 has a call policy); their sandbox phones are fictional 555-01xx
  // numbers that several debtors share, so a number dialed twice is not by itself a double call:
  // a case dialed twice is. The seeded cases have one number each, checked by number as well.
  const sids = twilio.calls.map((c) => c.sid);
  const perCaseDials = (
    await db.pool.query(
      `SELECT count(DISTINCT debt_case_id)::int AS cases, count(*)::int AS matched,
              coalesce(sum(n - 1) FILTER (WHERE n > 1), 0)::int AS dup
       FROM (SELECT debt_case_id, count(*) AS n FROM interaction_logs WHERE provider_ref = ANY($1::text[]) GROUP BY debt_case_id) x`,
      [sids],
    )
  ).rows[0] as { cases: number; matched: number; dup: number };
  const seededPhones = new Set(
    (await db.pool.query(`SELECT d.phone FROM debt_cases c JOIN debtors d ON d.id = c.debtor_id WHERE c.id = ANY($1::uuid[])`, [caseIds])).rows.map((r) => r.phone as string),
  );
  const seededDupDials = [...twilio.dialsPerTo().entries()].filter(([to, n]) => seededPhones.has(to) && n > 1).reduce((k, [, n]) => k + n - 1, 0);
  const stuck = await stuckState(db.pool);
  const schedPasses = schedulers.reduce((n, s) => n + s.lines.filter((l) => /pass|claimed|enqueued/i.test(String(l.msg ?? ''))).length, 0);
  log(`scheduler lines: ${schedulers.map((s) => s.raw.slice(-2).join(' | ').slice(0, 300)).join(' || ')}`);

  figures.workers = workers.length;
  figures.schedulers = schedulers.length;
  figures.job_runs = jobRuns;
  figures.jobs_per_worker = byWorker.join('/');
  figures.concurrent_duplicate_runs = overlapping;
  figures.sync_runs = runs.map((r) => `${r.status}:${r.n}`).join(',');
  figures.sync_run_overlaps = overlaps;
  figures.sync_jobs = `${syncJobs.completed}ok/${syncJobs.failed}failed`;
  figures.due_cases = caseIds.length;
  figures.call_jobs = perCase.size;
  figures.enqueued_twice = enqueuedTwice;
  figures.dials = twilio.calls.length;
  figures.dialed_cases = perCaseDials.cases;
  figures.cases_dialed_twice = perCaseDials.dup;
  figures.seeded_numbers_dialed_twice = seededDupDials;
  figures.scheduler_log_lines = schedPasses;

  checks.check(overlapping === 0, `no job runs in two places at once (${overlapping} overlapping runs)`);
  checks.check(byWorker.every((n) => n > 0), `both workers took jobs (${byWorker.join('/')})`);
  checks.check(overlaps === 0, `one sync per connection at a time (${overlaps} overlapping sync_runs)`);
  checks.check(runs.some((r) => r.status === 'completed'), 'syncs ran');
  checks.check(enqueuedTwice === 0, `every due case enqueued once (${enqueuedTwice} twice)`);
  checks.check(notEnqueued === 0, `every due case enqueued (${notEnqueued} missing)`);
  checks.check(perCaseDials.matched === sids.length, `every Twilio call has its interaction (${perCaseDials.matched}/${sids.length})`);
  checks.check(perCaseDials.dup === 0, `zero duplicate dials: no case dialed twice (${perCaseDials.dup})`);
  checks.check(seededDupDials === 0, `no seeded number dialed twice (${seededDupDials})`);
  checks.check(st.notExactlyOne === 0, `one call interaction per due case (${st.notExactlyOne} differ)`);
  checks.check(stuck.stuckRuns === 0 && stuck.syncingConnections === 0, `nothing stuck (${JSON.stringify(stuck)})`);
  checks.check(workers.every((w) => w.alive), 'workers alive');
}

if (require.main === module) {
  const name = `${process.env.CHAOS_REDIS === 'cluster' ? 'cluster-' : ''}multi-process`;
  scenario(name, 15 * 60000, (checks, figures) => runMultiProcess(checks, figures, { cases: Number(process.env.CHAOS_MP_CASES ?? 300), connections: 3, label: name }));
}
