import { Job, Queue } from 'bullmq';
import { Checks, Figures, log, scenario, sleep, tmpDir } from './lib/harness';
import { startBackend } from './lib/redis';
import { createChaosDb } from './lib/pg';
import { appEnv, createCases, createTenantWithSandbox } from './lib/fixtures';
import { rssKb, startWorker } from './lib/procs';
import { sampleBadJobs } from './lib/malformed';
import { CASE_ACTIONS, PMS_SYNC, waitJobsFinished } from './lib/queues';
import { startDialCounter } from './lib/dial-counter';

/**
 * chaos:flood: 10,000 malformed jobs (fast-check) interleaved with valid ones, in waves. Every
 * valid job completes; every invalid one fails once (attemptsMade 1) with its reason; the worker
 * never dies and its RSS stays flat (last-quarter average within 1.3x of the first quarter, after
 * the warm-up waves).
 */
export async function runFlood(checks: Checks, figures: Figures, opts: { invalid: number; waves: number; seed: number; label: string }): Promise<void> {
  const backend = await startBackend(opts.label);
  const db = await createChaosDb(opts.label);
  const logDir = tmpDir(opts.label);
  const dials = await startDialCounter();

  // Valid jobs that really complete: build-new-cases on a connection that has no synced data yet,
  // and CALL_CASE for cases the call rules hold back (not approved, debtor on do-not-call).
  const { tenantId, connectionId } = await createTenantWithSandbox(db.pool, { seed: 7, leases: 1 });
  const heldCases = await createCases(db.pool, tenantId, 20, { approval: 'EXCLUDED', doNotCall: true });

  const worker = startWorker({ ...appEnv({ TWILIO_API_BASE_URL: dials.url, CALLS_DRY_RUN: 'false', WORKER_CONCURRENCY: '8' }), ...db.env, ...backend.env }, 'worker', logDir);
  await worker.waitForMsg('worker ready', 60000);

  const queues: Record<string, Queue> = { [PMS_SYNC]: backend.queue(PMS_SYNC), [CASE_ACTIONS]: backend.queue(CASE_ACTIONS) };
  const bad = sampleBadJobs(opts.invalid, opts.seed);
  const perWave = Math.ceil(bad.length / opts.waves);
  const validPerWave = Math.max(2, Math.round(perWave / 10));

  const rss: { wave: number; kb: number }[] = [];
  let wave = 0;
  let sampling = true;
  const sampler = (async () => {
    for (let i = 0; sampling && i < 100000; i++) {
      const kb = rssKb(worker);
      if (kb) rss.push({ wave, kb });
      await sleep(100);
    }
  })();

  const kinds = new Map<string, number>();
  const pickupMs: number[] = [];
  let validDone = 0;
  let invalidOk = 0;
  let validTotal = 0;
  const failures: string[] = [];
  const jobOpts = { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: false, removeOnFail: false } as const;

  for (wave = 0; wave < opts.waves; wave++) {
    const slice = bad.slice(wave * perWave, (wave + 1) * perWave);
    type Item = { queue: string; name: string; data: unknown; id: string; expect?: string; kind: string };
    const items: Item[] = slice.map((b, i) => ({ queue: b.queue, name: b.name, data: b.data, id: `bad-${wave}-${i}`, expect: b.expect, kind: b.kind }));
    for (let i = 0; i < validPerWave; i++) {
      if (i % 2 === 0) items.push({ queue: PMS_SYNC, name: 'build-new-cases', data: { connectionId, tenantId }, id: `ok-${wave}-${i}`, kind: 'valid' });
      else items.push({ queue: CASE_ACTIONS, name: 'CALL_CASE', data: { tenantId, caseId: heldCases[i % heldCases.length] }, id: `ok-${wave}-${i}`, kind: 'valid' });
    }
    // interleave: deterministic shuffle
    for (let i = items.length - 1; i > 0; i--) {
      const j = (i * 7919 + wave * 104729) % (i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    for (const q of [PMS_SYNC, CASE_ACTIONS]) {
      const mine = items.filter((x) => x.queue === q);
      for (let k = 0; k < mine.length; k += 250) {
        await queues[q].addBulk(mine.slice(k, k + 250).map((x) => ({ name: x.name, data: x.data, opts: { ...jobOpts, jobId: x.id } })));
      }
    }
    validTotal += items.filter((x) => !x.expect).length;
    for (const q of [PMS_SYNC, CASE_ACTIONS]) {
      const mine = items.filter((x) => x.queue === q);
      const done = await waitJobsFinished(queues[q], mine.map((x) => x.id), 180000);
      for (const x of mine) {
        const job = done.get(x.id) as Job;
        const state = await job.getState();
        if (job.processedOn && job.timestamp) pickupMs.push(job.processedOn - job.timestamp);
        kinds.set(x.kind, (kinds.get(x.kind) ?? 0) + 1);
        if (!x.expect) {
          if (state === 'completed') validDone++;
          else failures.push(`valid ${x.name} ${x.id} ended ${state}: ${String(job.failedReason).slice(0, 200)}`);
        } else {
          const reason = String(job.failedReason ?? '');
          if (state === 'failed' && job.attemptsMade === 1 && reason.includes(x.expect) && reason.includes(`job ${x.id} `)) invalidOk++;
          else failures.push(`invalid ${x.kind} ${JSON.stringify(x.name).slice(0, 60)} ${x.id}: state=${state} attemptsMade=${job.attemptsMade} reason=${JSON.stringify(reason.slice(0, 160))} expected "${x.expect}"`);
        }
      }
      // keep Redis small between waves
      await queues[q].clean(0, 0, 'completed');
      await queues[q].clean(0, 0, 'failed');
    }
    log(`wave ${wave}: ${items.length} jobs, rss ${rssKb(worker)} kB`);
  }
  sampling = false;
  await sampler;

  // RSS: drop the warm-up waves (the first 30%: V8 grows the heap to its working size there),
  // compare the last quarter of the samples with the first quarter.
  const warmup = Math.max(1, Math.floor((opts.waves * 3) / 10));
  const steady = rss.filter((s) => s.wave >= warmup).map((s) => s.kb);
  const q = Math.max(1, Math.floor(steady.length / 4));
  const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  const first = avg(steady.slice(0, q));
  const last = avg(steady.slice(-q));
  const ratio = first > 0 ? last / first : 0;

  figures.invalid = bad.length;
  figures.valid = validTotal;
  figures.valid_completed = validDone;
  figures.invalid_failed_once = invalidOk;
  figures.unknown_names = (kinds.get('unknown-name') ?? 0) + (kinds.get('other-queue-name') ?? 0);
  figures.unsupported = kinds.get('unsupported') ?? 0;
  figures.rss_first_mb = Math.round(first / 1024);
  figures.rss_last_mb = Math.round(last / 1024);
  figures.rss_ratio = Number(ratio.toFixed(2));
  pickupMs.sort((a, b) => a - b);
  figures.pickup_p50_ms = pickupMs[Math.floor(pickupMs.length / 2)] ?? -1;
  figures.pickup_max_ms = pickupMs[pickupMs.length - 1] ?? -1;
  figures.dials = dials.count();
  figures.worker_alive = worker.alive;

  checks.check(validDone === validTotal, `every valid job completes (${validDone}/${validTotal})`);
  checks.check(invalidOk === bad.length, `every invalid job fails once with its reason (${invalidOk}/${bad.length})`);
  for (const f of failures.slice(0, 8)) checks.check(false, f);
  checks.check(worker.alive, 'worker still running after the flood');
  checks.check(steady.length >= 8, `enough RSS samples (${steady.length})`);
  checks.check(ratio > 0 && ratio <= 1.3, `worker RSS flat: last-quarter ${Math.round(last)} kB within 1.3x of first-quarter ${Math.round(first)} kB`);
  checks.check(dials.count() === 0, `held-back CALL_CASE jobs never reach Twilio (requests ${dials.count()})`);
  const crashes = worker.lines.filter((l) => /uncaught|unhandled/i.test(String(l.msg ?? ''))).length;
  checks.check(crashes === 0, `no uncaught errors in the worker log (${crashes})`);
}

if (require.main === module) {
  const invalid = Number(process.env.CHAOS_FLOOD_INVALID ?? 10000);
  scenario(process.env.CHAOS_REDIS === 'cluster' ? 'cluster-flood' : 'flood', 15 * 60000, (checks, figures) =>
    runFlood(checks, figures, { invalid, waves: 10, seed: Number(process.env.CHAOS_SEED ?? 20261128), label: 'flood' }),
  );
}
