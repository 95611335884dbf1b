import { Queue, Worker } from 'bullmq';
import { redisOptionsFromUrl } from '../../src/queues/redis-connection';
import { cliFixture, expectCode } from '../utils/cli-fixture';
import { baseEnv, TEST_REDIS_URL } from '../utils/env';
import { runCli } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue } from '../utils/queues';

/**
 * The operator CLI as a process, queue side: call (the API's on-demand job), schedule --dry-run,
 * status and retry-failed, against real Postgres and Redis. (Split from cli-commands.e2e-spec.ts
 * so the files run in parallel.)
 */

jest.setTimeout(120000);

const cli = cliFixture();

async function newCase(tenant: string): Promise<string> {
  const d = await cli.pool.query(`INSERT INTO debtors (id, created_at, updated_at, tenant_id, full_name, phone) VALUES (gen_random_uuid(), now(), now(), $1, 'Pat Doe', '+12125550123') RETURNING id`, [tenant]);
  const c = await cli.pool.query(
    `INSERT INTO debt_cases (id, created_at, updated_at, tenant_id, debtor_id, amount_due_cents, currency, days_past_due, status) VALUES (gen_random_uuid(), now(), now(), $1, $2, 12345, 'USD', 20, 'NEW') RETURNING id`,
    [tenant, d.rows[0].id],
  );
  return c.rows[0].id as string;
}

describe('schedule --dry-run', () => {
  it("prints the scheduler's report and changes nothing", async () => {
    const t = await cli.newTenant('Scheduled');
    const p = await cli.pool.query(
      `INSERT INTO flow_policies (id, created_at, updated_at, tenant_id, name, min_days_past_due, max_days_past_due, channels, is_active) VALUES (gen_random_uuid(), now(), now(), $1, 'All', 1, NULL, '{"call":true}', true) RETURNING id`,
      [t],
    );
    const caseIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await newCase(t);
      await cli.pool.query('UPDATE debt_cases SET flow_policy_id = $2 WHERE id = $1', [id, p.rows[0].id]);
      caseIds.push(id);
    }
    const snapshot = async () => (await cli.pool.query('SELECT id, next_action_at, meta, updated_at FROM debt_cases WHERE tenant_id = $1 ORDER BY id', [t])).rows;
    const before = await snapshot();

    const j = await runCli(['schedule', '--dry-run', '--json'], { ...cli.env, SCHEDULER_TENANT_ID: t });
    expectCode(j, 0);
    const report = JSON.parse(j.stdout);
    expect(report).toMatchObject({ kind: 'scheduler-run', dryRun: true });
    expect(report.calls.selected).toBe(3);
    expect(report.calls.called + report.calls.held).toBe(3);
    const listed = [...(report.calls.calls ?? []), ...(report.calls.holds ?? [])].map((c: { caseId: string }) => c.caseId).sort();
    expect(listed).toEqual([...caseIds].sort());

    const h = await runCli(['schedule', '--dry-run'], { ...cli.env, SCHEDULER_TENANT_ID: t });
    expectCode(h, 0);
    expect(h.stdout).toContain('scheduler dry run (nothing enqueued, nothing changed)');
    expect(h.stdout).toMatch(new RegExp(`calls: 3 due case\\(s\\) selected, ${report.calls.called} call\\(s\\) would be enqueued, ${report.calls.held} held back`));
    for (const id of caseIds) expect(h.stdout).toContain(id);

    expect(await snapshot()).toEqual(before);
    expect(await cli.caseActions.getWaitingCount()).toBe(0);
    expect(await cli.caseActions.getDelayedCount()).toBe(0);
  });
});

describe('call', () => {
  it("enqueues the API's on-demand CALL_CASE job", async () => {
    const caseId = await newCase(cli.tenantId);
    const before = Date.now();
    const r = await runCli(['call', caseId, '--json'], cli.env);
    expectCode(r, 0);
    const out = JSON.parse(r.stdout);
    const m = new RegExp(`^CALL_CASE-on-demand-${caseId}-(\\d+)$`).exec(out.jobId);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(before);
    const job = (await cli.caseActions.getJob(out.jobId))!;
    expect(job.name).toBe('CALL_CASE');
    expect(job.data).toEqual({ tenantId: cli.tenantId, caseId });
    expect(job.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 2000, jitter: 0.2 }, removeOnComplete: { age: 86400, count: 1000 }, removeOnFail: { age: 14 * 86400, count: 5000 } });
    const w = await runCli(['call', caseId], { ...cli.env, WORKER_ATTEMPTS: '5' });
    const id2 = /job (\S+)$/m.exec(w.stdout)![1];
    expect((await cli.caseActions.getJob(id2))!.opts.attempts).toBe(5);
    await cli.caseActions.obliterate({ force: true });
  });
});

describe('status and retry-failed', () => {
  let prefix2: string;
  let env2: Record<string, string>;
  let q1: Queue;
  let q2: Queue;
  let runConnections: string[] = [];

  beforeAll(async () => {
    prefix2 = testPrefix();
    env2 = baseEnv(cli.db.name, prefix2);
    q1 = testQueue('pms-sync', prefix2);
    q2 = testQueue('case-actions', prefix2);
    // three failed jobs (sync, CALL_CASE x2) and one waiting, made by a throwaway in-test worker
    await q1.add('sync', { connectionId: '00000000-0000-4000-8000-000000000001', tenantId: cli.tenantId }, { jobId: 'f-sync', attempts: 1 });
    await q2.add('CALL_CASE', { tenantId: cli.tenantId, caseId: '00000000-0000-4000-8000-000000000002' }, { jobId: 'f-call-1', attempts: 1 });
    await q2.add('CALL_CASE', { tenantId: cli.tenantId, caseId: '00000000-0000-4000-8000-000000000003' }, { jobId: 'f-call-2', attempts: 1 });
    await q2.add('SYNC_CALL_SUMMARY', { tenantId: cli.tenantId, callSid: `CA${'0'.repeat(32)}` }, { jobId: 'f-summary', attempts: 1 });
    const failing = (name: string) =>
      new Worker(
        name,
        async (job) => {
          throw new Error(`boom ${job.id}: simulated failure`);
        },
        { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix: prefix2, autorun: true },
      );
    const workers = [failing('pms-sync'), failing('case-actions')];
    const end = Date.now() + 20000;
    while (Date.now() < end) {
      const n = (await q1.getFailedCount()) + (await q2.getFailedCount());
      if (n === 4) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(workers.map((w) => w.close()));
    await q2.add('SYNC_CALL_SUMMARY', { tenantId: cli.tenantId, callSid: `CA${'1'.repeat(32)}` }, { jobId: 'w-summary' });
    // sync runs to show: two of one connection (the latest is the failed one), one of another
    const conns: string[] = [];
    for (const name of ['Runs A', 'Runs B']) {
      const t = await cli.newTenant(name);
      const c = await cli.pool.query(`INSERT INTO pms_connections (id, created_at, updated_at, tenant_id, software_id, status) SELECT gen_random_uuid(), now(), now(), $1, id, 'connected' FROM softwares WHERE key = 'sandbox' RETURNING id`, [t]);
      conns.push(c.rows[0].id);
    }
    await cli.pool.query(
      `INSERT INTO sync_runs (id, created_at, updated_at, pms_connection_id, status, trigger, triggered_at, started_at, finished_at, stats, error_message) VALUES
         (gen_random_uuid(), now(), now(), $1, 'completed', 'manual', now() - interval '2 hours', now() - interval '2 hours', now() - interval '2 hours' + interval '3 seconds', '{"tables":{"leases":{"received":5}}}', NULL),
         (gen_random_uuid(), now(), now(), $1, 'failed', 'scheduled', now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour' + interval '1 second', '{}', 'sandbox /v1/leases?page=0 returned HTTP 500'),
         (gen_random_uuid(), now(), now(), $2, 'completed', 'manual', now() - interval '3 hours', now() - interval '3 hours', now() - interval '3 hours' + interval '90 seconds', '{"tables":{"leases":{"received":7},"charges":{"received":30}}}', NULL)`,
      conns,
    );
    runConnections = conns;
  });

  afterAll(async () => {
    await q1?.close();
    await q2?.close();
    await cleanPrefix(prefix2);
  });

  it('status shows queue counts, the last sync run per connection, and failed jobs with reasons', async () => {
    const r = await runCli(['status'], env2);
    expectCode(r, 0);
    expect(r.stdout).toMatch(/^pms-sync\s+0\s+0\s+0\s+0\s+0\s+0\s+1\b/m);
    expect(r.stdout).toMatch(/^case-actions\s+1\s+0\s+0\s+0\s+0\s+0\s+3\b/m);
    expect(r.stdout).toContain('boom f-sync: simulated failure');
    expect(r.stdout).toContain('boom f-call-2: simulated failure');
    const j = JSON.parse((await runCli(['status', '--json'], env2)).stdout);
    expect(j.queues['case-actions']).toMatchObject({ waiting: 1, failed: 3 });
    expect(j.failedJobs.map((f: { id: string }) => f.id).sort()).toEqual(['f-call-1', 'f-call-2', 'f-summary', 'f-sync']);
    // one line per connection: its latest run
    expect(j.lastSyncRuns.map((x: { connection_id: string; status: string }) => [x.connection_id, x.status]).sort()).toEqual(
      [[runConnections[0], 'failed'], [runConnections[1], 'completed']].sort(),
    );
    expect(r.stdout).toMatch(new RegExp(`^${runConnections[0]}\\s+sandbox\\s+connected\\s+failed\\s+scheduled\\s+\\S+\\s+1\\.0 s\\s+0\\s+sandbox /v1/leases\\?page=0 returned HTTP 500$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^${runConnections[1]}\\s+sandbox\\s+connected\\s+completed\\s+manual\\s+\\S+\\s+1 min 30 s\\s+37\\s+-$`, 'm'));
  });

  it('retry-failed --queue --name moves only those failed jobs back to waiting', async () => {
    const r = await runCli(['retry-failed', '--queue', 'case-actions', '--name', 'CALL_CASE'], env2);
    expectCode(r, 0);
    expect(r.stdout).toContain('case-actions: retried 2 failed job(s) named CALL_CASE');
    expect(await q2.getJobState('f-call-1')).toBe('waiting');
    expect(await q2.getJobState('f-call-2')).toBe('waiting');
    expect(await q2.getJobState('f-summary')).toBe('failed');
    expect(await q1.getJobState('f-sync')).toBe('failed');
    const all = await runCli(['retry-failed', '--json'], env2);
    expectCode(all, 0);
    expect(JSON.parse(all.stdout)).toEqual({ 'pms-sync': { retried: 1, skipped: 0, errors: [] }, 'case-actions': { retried: 1, skipped: 0, errors: [] } });
    expect(await q1.getJobState('f-sync')).toBe('waiting');
    expect(await q2.getFailedCount()).toBe(0);
  });
});
