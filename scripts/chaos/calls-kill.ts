import { Checks, Figures, log, scenario, sleep, tmpDir } from './lib/harness';
import { startBackend } from './lib/redis';
import { createChaosDb } from './lib/pg';
import { appEnv, chaosClock } from './lib/fixtures';
import { AppProcess } from '../../src/common/app-process';
import { death, sigkill, startWorker } from './lib/procs';
import { CASE_ACTIONS, waitJobsFinished } from './lib/queues';
import { callState, startFakeTwilio, twilioEnv } from './lib/calls';
import { seedCases, seedTenant } from '../../test/fakes/twilio-scenario';
import { rng } from '../../src/connectors/sandbox/sandbox.portfolio';

/**
 * chaos:calls-kill: a batch of 1,000 CALL_CASE jobs against the fake Twilio, the worker
 * SIGKILLed three times at random moments (Twilio answers each create 300 ms late, so kills land
 * between "call created" and "SID saved"). Zero duplicate dials, one interaction per case, every job
 * done, and the outcome equals an uninterrupted batch of the same size.
 */
export async function runCallsKill(checks: Checks, figures: Figures, opts: { n: number; kills: number; label: string; seed: number }): Promise<void> {
  const clock = chaosClock();
  const backend = await startBackend(opts.label);
  const db = await createChaosDb(opts.label);
  const logDir = tmpDir(opts.label);
  const twilio = await startFakeTwilio();
  twilio.script({ kind: 'slow-response', ms: 300 }, { times: 1_000_000 });
  const day = clock.zone;
  const tenantA = await seedTenant(db.pool, day.zone);
  const tenantB = await seedTenant(db.pool, day.zone);
  const casesA = await seedCases(db.pool, tenantA, day, opts.n, 0);
  const casesB = await seedCases(db.pool, tenantB, day, opts.n, opts.n);
  const env = { ...appEnv(twilioEnv(twilio, { WORKER_CONCURRENCY: '20' })), ...db.env, ...backend.env, ...clock.env };
  const calls = backend.queue(CASE_ACTIONS);
  const jobOpts = { attempts: 3, backoff: { type: 'exponential' as const, delay: 2000 }, removeOnComplete: false, removeOnFail: false };
  const random = rng(opts.seed, 0, 0); // kill timing, reproducible from the seed

  let worker: AppProcess = startWorker(env, 'worker-0', logDir);
  await worker.waitForMsg('worker ready', 60000);

  // uninterrupted batch
  const t0 = Date.now();
  const idsA = casesA.map((_, i) => `base-${i}`);
  await calls.addBulk(casesA.map((caseId, i) => ({ name: 'CALL_CASE', data: { tenantId: tenantA, caseId }, opts: { ...jobOpts, jobId: idsA[i] } })));
  await Promise.race([waitJobsFinished(calls, idsA, 600000), death(worker)]);
  const baseMs = Date.now() - t0;
  const stateA = await callState(db.pool, tenantA);
  const dialsA = twilio.calls.length;
  log(`baseline: ${dialsA} dials in ${baseMs} ms`);

  // killed batch
  const idsB = casesB.map((_, i) => `killed-${i}`);
  await calls.addBulk(casesB.map((caseId, i) => ({ name: 'CALL_CASE', data: { tenantId: tenantB, caseId }, opts: { ...jobOpts, jobId: idsB[i] } })));
  const killedAt: number[] = [];
  for (let k = 0; k < opts.kills; k++) {
    const made = twilio.calls.length - dialsA;
    const goal = made + Math.max(5, Math.floor((opts.n - made) * (0.1 + random() * 0.3)));
    const until = Date.now() + 300000;
    while (Date.now() < until && twilio.calls.length - dialsA < Math.min(goal, opts.n - 1)) await sleep(10 + Math.floor(random() * 30));
    await sleep(Math.floor(random() * 250));
    killedAt.push(twilio.calls.length - dialsA);
    await sigkill(worker);
    log(`kill ${k + 1} after ${killedAt[k]} dials`);
    worker = startWorker(env, `worker-${k + 1}`, logDir);
    await worker.waitForMsg('worker ready', 60000);
  }
  const done = await Promise.race([waitJobsFinished(calls, idsB, 600000), death(worker)]);
  let completed = 0;
  const failedReasons = new Map<string, number>();
  for (const j of done.values()) {
    if ((await j.getState()) === 'completed') completed++;
    else failedReasons.set(String(j.failedReason).slice(0, 80), (failedReasons.get(String(j.failedReason).slice(0, 80)) ?? 0) + 1);
  }
  const stateB = await callState(db.pool, tenantB);
  const dialsB = twilio.calls.length - dialsA;
  const duplicates = twilio.duplicateDials();

  figures.calls = opts.n;
  figures.kills = killedAt.length;
  figures.killed_after_dials = killedAt.join('/');
  figures.dials = dialsB;
  figures.duplicate_dials = duplicates;
  figures.jobs_completed = completed;
  figures.interactions = stateB.interactions;
  figures.cases_without_exactly_one_call = stateB.notExactlyOne;
  figures.outcome_equal = stateA.md5 === stateB.md5;
  figures.baseline_s = Number((baseMs / 1000).toFixed(1));

  checks.check(killedAt.length === opts.kills, `killed ${opts.kills} times mid-batch (${killedAt.length})`);
  checks.check(duplicates === 0, `zero duplicate dials (fake Twilio saw ${duplicates})`);
  checks.check(completed === opts.n, `every CALL_CASE job completes (${completed}/${opts.n}; failures ${JSON.stringify([...failedReasons])})`);
  checks.check(stateB.notExactlyOne === 0, `exactly one call interaction per case (${stateB.notExactlyOne} cases differ)`);
  checks.check(dialsB === dialsA, `as many dials as the uninterrupted batch (${dialsB} vs ${dialsA})`);
  checks.check(stateA.md5 === stateB.md5 && stateA.interactions === stateB.interactions, `outcome equals the uninterrupted batch (interactions ${stateB.interactions} vs ${stateA.interactions})`);
}

if (require.main === module) {
  const name = `${process.env.CHAOS_REDIS === 'cluster' ? 'cluster-' : ''}calls-kill`;
  scenario(name, 30 * 60000, (checks, figures) =>
    runCallsKill(checks, figures, { n: Number(process.env.CHAOS_CALLS ?? 1000), kills: 3, label: name, seed: Number(process.env.CHAOS_SEED ?? Date.now()) }),
  );
}
