import { Checks, Figures, log, scenario, sleep, tmpDir } from './lib/harness';
import { startBackend } from './lib/redis';
import { createChaosDb } from './lib/pg';
import { appEnv, createTenantWithSandbox } from './lib/fixtures';
import { AppProcess } from '../../src/common/app-process';
import { death, sigkill, startWorker } from './lib/procs';
import { PMS_SYNC, waitJobsFinished } from './lib/queues';
import { compareChecksums, enqueueSync, rowsSoFar, stuckState, syncChecksums, totalRows } from './lib/sync';
import { rng } from '../../src/connectors/sandbox/sandbox.portfolio';

/**
 * chaos:sync-kill: a sandbox sync of ~200k rows, the worker SIGKILLed at random moments
 * three times in a row (a fresh worker started after each kill); the final database must equal an
 * uninterrupted run of the same account (row counts and a checksum per table), with no sync_run
 * left pending/running and no connection left 'syncing'.
 */
export async function runSyncKill(checks: Checks, figures: Figures, opts: { leases: number; kills: number; label: string; seed: number }): Promise<void> {
  const backend = await startBackend(opts.label);
  const db = await createChaosDb(opts.label);
  const logDir = tmpDir(opts.label);
  const creds = { seed: 7, leases: opts.leases, pageSize: 1000 };
  const A = await createTenantWithSandbox(db.pool, creds, 'Baseline');
  const B = await createTenantWithSandbox(db.pool, creds, 'Killed');
  const env = { ...appEnv(), ...db.env, ...backend.env };
  const sync = backend.queue(PMS_SYNC);
  const random = rng(opts.seed, 0, 0); // kill timing, reproducible from the seed

  let worker: AppProcess = startWorker(env, 'worker-0', logDir);
  await worker.waitForMsg('worker ready', 60000);

  // the uninterrupted run
  const t0 = Date.now();
  await enqueueSync(sync, A.tenantId, A.connectionId, 'sync-baseline');
  const base = (await Promise.race([waitJobsFinished(sync, ['sync-baseline'], 1200000), death(worker)])).get('sync-baseline')!;
  if ((await base.getState()) !== 'completed') throw new Error(`baseline sync failed: ${base.failedReason}`);
  const baselineMs = Date.now() - t0;
  const sumA = await syncChecksums(db.pool, A.tenantId, A.connectionId);
  const target = rowsSoFarTotal(sumA);
  log(`baseline: ${totalRows(sumA)} rows in ${baselineMs} ms`);

  // the killed run: kill at random moments spread over the expected duration
  const t1 = Date.now();
  await enqueueSync(sync, B.tenantId, B.connectionId, 'sync-killed');
  const killedAt: number[] = [];
  for (let k = 0; k < opts.kills; k++) {
    // a random fraction of the remaining work, at least some progress since the last start
    const before = await rowsSoFar(db.pool, B.connectionId);
    const goal = Math.min(target - 1, before + Math.max(1, Math.floor((target - before) * (0.15 + random() * 0.5))));
    const until = Date.now() + 600000;
    let st = await sync.getJobState('sync-killed');
    while (Date.now() < until && st !== 'completed' && st !== 'failed' && (await rowsSoFar(db.pool, B.connectionId)) < goal) {
      await sleep(50 + Math.floor(random() * 100));
      st = await sync.getJobState('sync-killed');
    }
    if (st === 'completed' || st === 'failed') break;
    // sometimes kill right away, sometimes a little later (mid page, mid aging, mid commit)
    await sleep(Math.floor(random() * 400));
    const rows = await rowsSoFar(db.pool, B.connectionId);
    await sigkill(worker);
    killedAt.push(rows);
    log(`kill ${k + 1} at ${rows}/${target} rows`);
    worker = startWorker(env, `worker-${k + 1}`, logDir);
    await worker.waitForMsg('worker ready', 60000);
  }
  const killed = (await Promise.race([waitJobsFinished(sync, ['sync-killed'], 1200000), death(worker)])).get('sync-killed')!;
  const killedState = await killed.getState();
  const killedMs = Date.now() - t1;
  // give a just-restarted worker nothing to do: the queue must be quiet, nothing retried later
  await sleep(500);
  const sumB = await syncChecksums(db.pool, B.tenantId, B.connectionId);
  const diffs = compareChecksums(sumA, sumB);
  const stuck = await stuckState(db.pool);
  const runs = (await db.pool.query(`SELECT status, count(*)::int AS n FROM sync_runs WHERE pms_connection_id = $1 GROUP BY status ORDER BY status`, [B.connectionId])).rows;

  figures.kills = killedAt.length;
  figures.killed_at_rows = killedAt.join('/');
  figures.rows = totalRows(sumA);
  figures.baseline_s = Number((baselineMs / 1000).toFixed(1));
  figures.killed_run_s = Number((killedMs / 1000).toFixed(1));
  figures.sync = killedState;
  figures.checksum_equal = diffs.length === 0;
  figures.stuck_runs = stuck.stuckRuns;
  figures.syncing_connections = stuck.syncingConnections;
  figures.runs = runs.map((r) => `${r.status}:${r.n}`).join(',');

  checks.check(killedAt.length === opts.kills, `the worker was killed ${opts.kills} times mid-sync (${killedAt.length})`);
  checks.check(killedState === 'completed', `the killed sync completes (${killedState}: ${killed.failedReason ?? ''})`);
  checks.check(diffs.length === 0, `final data equals the uninterrupted run: ${diffs.join('; ')}`);
  checks.check(stuck.stuckRuns === 0, `no sync_run left pending/running (${stuck.stuckRuns})`);
  checks.check(stuck.syncingConnections === 0, `no connection left syncing (${stuck.syncingConnections})`);
}

/** What rowsSoFar() counts once the sync is complete (charges + leases + payments). */
function rowsSoFarTotal(s: Record<string, { rows: number }>): number {
  return (s.ar_charges?.rows ?? 0) + (s.pms_leases?.rows ?? 0) + (s.ar_payments?.rows ?? 0);
}

if (require.main === module) {
  const name = `${process.env.CHAOS_REDIS === 'cluster' ? 'cluster-' : ''}sync-kill`;
  // ~16 rows per sandbox lease (debtors, units, leases, 6 charges, ~3.3 payments, balances, aging, cases, debtors)
  const leases = Number(process.env.CHAOS_SYNC_LEASES ?? 12500);
  scenario(name, 40 * 60000, (checks, figures) => runSyncKill(checks, figures, { leases, kills: 3, label: name, seed: Number(process.env.CHAOS_SEED ?? Date.now()) }));
}
