import { Checks, Figures, log, scenario, sleep, tmpDir, waitUntil } from './lib/harness';
import { startBackend } from './lib/redis';
import { createChaosDb, terminateAppConnections } from './lib/pg';
import { appEnv, createCases, createTenantWithSandbox } from './lib/fixtures';
import { death, startWorker } from './lib/procs';
import { CASE_ACTIONS, PMS_SYNC, waitJobsFinished } from './lib/queues';
import { compareChecksums, enqueueSync, rowsSoFar, stuckState, syncChecksums, totalRows } from './lib/sync';
import { startDialCounter } from './lib/dial-counter';

/**
 * chaos:redis-restart and chaos:pg-terminate: Redis (our own instance) restarted mid-run, and every Postgres connection of the
 * worker terminated mid-run. The worker must reconnect by itself (same process, no restart), the
 * sync and a batch of other jobs must finish, and the synced data must equal an uninterrupted run.
 */
export async function runFaults(checks: Checks, figures: Figures, opts: { fault: 'redis' | 'pg' | 'both'; leases: number; label: string }): Promise<void> {
  const backend = await startBackend(opts.label);
  const db = await createChaosDb(opts.label);
  const logDir = tmpDir(opts.label);
  const dials = await startDialCounter();
  const creds = { seed: 7, leases: opts.leases, pageSize: 500, pageDelayMs: 15 };
  const A = await createTenantWithSandbox(db.pool, creds, 'Baseline');
  const B = await createTenantWithSandbox(db.pool, creds, 'Faulted');
  // held-back cases live in a third tenant, so they never count in A's or B's checksums
  const C = await createTenantWithSandbox(db.pool, { seed: 1, leases: 1 }, 'Held');
  const held = await createCases(db.pool, C.tenantId, 10, { approval: 'EXCLUDED', doNotCall: true });

  const worker = startWorker({ ...appEnv({ TWILIO_API_BASE_URL: dials.url }), ...db.env, ...backend.env }, 'worker', logDir);
  await worker.waitForMsg('worker ready', 60000);
  const pid = worker.child.pid;
  const sync = backend.queue(PMS_SYNC);
  const calls = backend.queue(CASE_ACTIONS);

  // 1. the uninterrupted run
  await enqueueSync(sync, A.tenantId, A.connectionId, 'sync-baseline');
  const tBase = Date.now();
  const base = (await waitJobsFinished(sync, ['sync-baseline'], 600000)).get('sync-baseline')!;
  figures.baseline_s = Number(((Date.now() - tBase) / 1000).toFixed(1));
  if ((await base.getState()) !== 'completed') throw new Error(`baseline sync failed: ${base.failedReason}`);
  const sumA = await syncChecksums(db.pool, A.tenantId, A.connectionId);
  log(`baseline done: ${JSON.stringify(sumA)}`);
  const baseRows = totalRows(sumA);

  // 2. the same sync, plus a batch of other jobs, with the faults in the middle
  await enqueueSync(sync, B.tenantId, B.connectionId, 'sync-faulted');
  const extraIds: { q: 'sync' | 'calls'; id: string }[] = [];
  const jobOpts = { attempts: 3, backoff: { type: 'exponential' as const, delay: 1000 }, removeOnComplete: false, removeOnFail: false };
  for (let i = 0; i < 200; i++) {
    const id = `held-call-${i}`;
    await calls.add('CALL_CASE', { tenantId: C.tenantId, caseId: held[i % held.length] }, { ...jobOpts, jobId: id });
    extraIds.push({ q: 'calls', id });
  }
  const charges = sumA.ar_charges?.rows ?? 0;
  await waitUntil('the faulted sync to be a fifth of the way', async () => (await rowsSoFar(db.pool, B.connectionId)) > Math.max(100, charges / 5), 300000, 100);
  const rowsAtFault = await rowsSoFar(db.pool, B.connectionId);
  log(`fault at ${rowsAtFault} rows`);
  // more jobs enqueued around the fault
  for (let i = 0; i < 50; i++) {
    const id = `build-${i}`;
    await sync.add('build-new-cases', { connectionId: C.connectionId, tenantId: C.tenantId }, { ...jobOpts, jobId: id });
    extraIds.push({ q: 'sync', id });
  }
  let terminated = 0;
  const t0 = Date.now();
  if (opts.fault === 'redis' || opts.fault === 'both') {
    log('restarting redis');
    await backend.restart();
  }
  if (opts.fault === 'pg' || opts.fault === 'both') {
    for (let i = 0; i < 3; i++) {
      terminated += await terminateAppConnections(db);
      await sleep(700);
    }
  }
  const faultMs = Date.now() - t0;
  for (let i = 0; i < 50; i++) {
    const id = `after-${i}`;
    await calls.add('CALL_CASE', { tenantId: C.tenantId, caseId: held[i % held.length] }, { ...jobOpts, jobId: id });
    extraIds.push({ q: 'calls', id });
  }

  log(`fault done in ${faultMs} ms; waiting for the faulted sync`);
  const faulted = (await Promise.race([waitJobsFinished(sync, ['sync-faulted'], 600000), death(worker)])).get('sync-faulted')!;
  log('faulted sync finished');
  const syncState = await faulted.getState();
  const doneSync = await waitJobsFinished(sync, extraIds.filter((x) => x.q === 'sync').map((x) => x.id), 180000);
  const doneCalls = await waitJobsFinished(calls, extraIds.filter((x) => x.q === 'calls').map((x) => x.id), 180000);
  let extraCompleted = 0;
  for (const j of [...doneSync.values(), ...doneCalls.values()]) if ((await j.getState()) === 'completed') extraCompleted++;

  const sumB = await syncChecksums(db.pool, B.tenantId, B.connectionId);
  const diffs = compareChecksums(sumA, sumB);
  const stuck = await stuckState(db.pool);
  const runs = (await db.pool.query(`SELECT status, count(*)::int AS n FROM sync_runs WHERE pms_connection_id = $1 GROUP BY status`, [B.connectionId])).rows;
  const conn = (await db.pool.query(`SELECT status FROM pms_connections WHERE id = $1`, [B.connectionId])).rows[0];
  const reconnectLogs = worker.lines.filter((l) => /reconnect|ECONNREFUSED|terminat|Connection terminated/i.test(JSON.stringify(l))).length;

  figures.fault = opts.fault;
  figures.rows = baseRows;
  figures.rows_at_fault = rowsAtFault;
  if (opts.fault !== 'pg') figures.redis_down_ms = faultMs;
  if (opts.fault !== 'redis') figures.pg_backends_terminated = terminated;
  figures.sync = syncState;
  figures.sync_attempts = faulted.attemptsMade;
  figures.other_jobs_completed = `${extraCompleted}/${extraIds.length}`;
  figures.checksum_equal = diffs.length === 0;
  figures.stuck_runs = stuck.stuckRuns;
  figures.worker_restarts = worker.alive && worker.child.pid === pid ? 0 : 1;
  figures.error_log_lines = reconnectLogs;
  figures.dials = dials.count();

  checks.check(syncState === 'completed', `faulted sync completes (state ${syncState}: ${faulted.failedReason ?? ''})`);
  checks.check(extraCompleted === extraIds.length, `every other job completes (${extraCompleted}/${extraIds.length})`);
  checks.check(diffs.length === 0, `synced data equals the uninterrupted run: ${diffs.join('; ')}`);
  checks.check(stuck.stuckRuns === 0 && stuck.syncingConnections === 0, `nothing stuck: runs ${stuck.stuckRuns}, syncing connections ${stuck.syncingConnections}`);
  checks.check(conn?.status === 'connected', `connection back to connected (${conn?.status})`);
  checks.check(runs.some((r) => r.status === 'completed'), `a completed sync_run for the faulted connection (${JSON.stringify(runs)})`);
  checks.check(worker.alive && worker.child.pid === pid, 'the same worker process reconnected by itself (no crash, no restart)');
  if (opts.fault !== 'redis') checks.check(terminated > 0, `worker Postgres connections were terminated (${terminated})`);
  checks.check(dials.count() === 0, 'no dial');
}

if (require.main === module) {
  const fault = (process.env.CHAOS_FAULT ?? 'both') as 'redis' | 'pg' | 'both';
  const name = `${process.env.CHAOS_REDIS === 'cluster' ? 'cluster-' : ''}${fault === 'redis' ? 'redis-restart' : fault === 'pg' ? 'pg-terminate' : 'faults'}`;
  scenario(name, 15 * 60000, (checks, figures) => runFaults(checks, figures, { fault, leases: Number(process.env.CHAOS_FAULT_LEASES ?? 4000), label: name }));
}
