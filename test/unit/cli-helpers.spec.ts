import { CommanderError } from 'commander';
import { ConfigValidationError } from '../../src/config/env.schema';
import { CredentialsError } from '../../src/common/credentials-crypto';
import { CommandFailed, exitCodeFor, UsageError } from '../../src/cli/exit-codes';
import { Queue } from 'bullmq';
import { followJob, readProgress } from '../../src/cli/progress';
import { missingRelations, renderSyncSummary, runDurationMs, tableCounts } from '../../src/cli/sync-summary';
import { heldByReason, plannedCalls, renderScheduleReport } from '../../src/cli/schedule-report';
import { manualSyncPayload } from '../../src/cli/commands/sync';
import { renderDemoReport } from '../../src/cli/demo/demo-report';
import { buildProgram } from '../../src/cli/program';
import { duration, money, table } from '../../src/cli/format';

describe('exit codes', () => {
  it.each([
    [new CommanderError(0, 'commander.helpDisplayed', ''), 0],
    [new CommanderError(1, 'commander.unknownCommand', ''), 2],
    [new CommanderError(1, 'commander.invalidArgument', ''), 2],
    [new CommanderError(1, 'commander.missingMandatoryOptionValue', ''), 2],
    [new ConfigValidationError(['DB_PORT: bad']), 78],
    [new CredentialsError('KEY_MISSING', 'x'), 78],
    [new CredentialsError('KEY_INVALID', 'x'), 78],
    [new CredentialsError('AUTH_FAILED', 'x'), 1],
    [new UsageError('x'), 2],
    [new CommandFailed('x'), 1],
    [new CommandFailed('x', 78), 78],
    [new Error('x'), 1],
  ])('%s -> %d', (err, code) => {
    expect(exitCodeFor(err)).toBe(code);
  });
});

describe('command parsing (no services touched)', () => {
  const parse = async (args: string[]) => {
    const p = buildProgram();
    p.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    for (const c of p.commands) c.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    try {
      await p.parseAsync(['node', 'mordecai', ...args]);
      return 0;
    } catch (err) {
      return exitCodeFor(err);
    }
  };
  it.each([
    [['--help'], 0],
    [['sync', '--help'], 0],
    [['nope'], 2],
    [['sync', 'x'], 2],
    [['sync', '00000000-0000-4000-8000-000000000001', '--steps', 'charges,bogus'], 2],
    [['sync', '00000000-0000-4000-8000-000000000001', '--timeout', '-1'], 2],
    [['connection', 'add', '--tenant', '00000000-0000-4000-8000-000000000001', '--software', 'sandbox', '--credentials', '[1]'], 2],
    [['connection', 'add', '--tenant', '00000000-0000-4000-8000-000000000001', '--software', 'appfolio', '--credentials', '{}'], 2],
    [['retry-failed', '--queue', 'x'], 2],
    [['demo', '--leases', '0'], 2],
  ])('%j exits %d', async (args, code) => {
    expect(await parse(args)).toBe(code);
  });
});

describe('sync payload', () => {
  it('is what the API enqueues for a manual sync', () => {
    const p = manualSyncPayload('c', 't', undefined, 'k');
    expect(p).toEqual({ connectionId: 'c', tenantId: 't', trigger: 'manual', steps: null, idempotencyKey: 'k' });
    expect(manualSyncPayload('c', 't', ['charges']).steps).toEqual(['charges']);
    expect(manualSyncPayload('c', 't', []).steps).toBeNull();
    expect(manualSyncPayload('c', 't', undefined).idempotencyKey).toMatch(/^cli-[0-9a-f-]{36}$/);
  });
});

describe('progress', () => {
  it('reads numbers, percentages and the sync engine step/stream reports', () => {
    expect(readProgress(42.4)).toMatchObject({ pct: 42 });
    expect(readProgress(140)).toMatchObject({ pct: 100 });
    expect(readProgress({ percent: 10, step: 'pull' })).toMatchObject({ pct: 10, label: 'pull' });
    expect(readProgress({ done: 1, total: 4 })).toMatchObject({ pct: 25 });
    const pull = readProgress({ step: 'pull', stream: 'charges', page: 3, pages: 9, received: 1500 });
    expect(pull).toEqual({ pct: 50, label: 'pull charges page 3 1500 received', phase: 'pull charges' });
    expect(readProgress({ step: 'cases' })).toMatchObject({ pct: 90, phase: 'cases' });
    expect(readProgress(null)).toEqual({ pct: null, label: '', phase: '' });
  });

  it('follows a job to its end in plain lines, and a completed job reads 100% done whatever its last report', async () => {
    const states = ['active', 'active', 'completed'];
    const progresses: unknown[] = [{ step: 'pull', stream: 'charges', page: 1, received: 10 }, { step: 'cases' }, { step: 'cases' }];
    let i = 0;
    // each read of the state moves the job on; the job read after it is a snapshot of that moment
    const queue = {
      getJobState: async () => states[Math.min(i++, states.length - 1)],
      getJob: async () => ({ progress: progresses[Math.min(i - 1, progresses.length - 1)], returnvalue: states[Math.min(i - 1, states.length - 1)] === 'completed' ? { done: true } : null }),
    } as unknown as Queue;
    const lines: string[] = [];
    const out = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const r = await followJob(queue, 'j1', { timeoutMs: 10_000, title: 'sync', out });
    expect(r.state).toBe('completed');
    // the job returned is the one read after the state said completed: its return value is there
    expect(r.job?.returnvalue).toEqual({ done: true });
    expect(lines).toEqual(['sync: active 50% pull charges page 1 10 received\n', 'sync: active 90% cases\n', 'sync: completed 100% done\n']);
  });
});

describe('sync summary', () => {
  const run = {
    id: 'r1',
    status: 'completed',
    trigger: 'manual',
    step: 'done',
    error_message: null,
    triggered_at: new Date('2026-01-01T00:00:00Z'),
    started_at: new Date('2026-01-01T00:00:00Z'),
    finished_at: new Date('2026-01-01T00:00:02.500Z'),
    stats: {
      tables: { leases: { received: 43, created: 40, updated: 0, unchanged: 0, stale: 0, skipped: 3, missingRelations: 1 }, weird: 'x' },
      missingRelations: { leases: { count: 3, sample: ['a'] }, debtors: ['x', 'y'], units: 0 },
    },
  };
  it('counts per table, missing relations and duration', () => {
    expect(tableCounts(run.stats)).toEqual({ leases: run.stats.tables.leases });
    expect(missingRelations(run.stats)).toEqual({ leases: 3, debtors: 2, units: 0 });
    expect(runDurationMs(run)).toBe(2500);
    expect(runDurationMs({ ...run, stats: { durationMs: 7 } })).toBe(7);
    const text = renderSyncSummary(run);
    expect(text).toContain('sync run r1: completed (step done), manual, duration 2.5 s');
    expect(text).toMatch(/^table\s+received\s+created\s+updated\s+unchanged\s+stale\s+skipped\s+missingRelations$/m);
    expect(text).toMatch(/^leases\s+43\s+40\s+0\s+0\s+0\s+3\s+1$/m);
    expect(text).toContain('missing relations: leases: 3, debtors: 2');
    expect(renderSyncSummary({ ...run, status: 'failed', stats: null, error_message: 'boom' })).toContain('error: boom\nmissing relations: none');
  });
});

describe('scheduler report', () => {
  const report = {
    kind: 'scheduler-run',
    at: '2026-01-01T15:00:00.000Z',
    dryRun: true,
    durationMs: 12,
    calls: {
      slot: '202601011500',
      dryRun: true,
      selected: 3,
      called: 1,
      held: 2,
      heldByReason: { OUTSIDE_CALLING_WINDOW: 1, DO_NOT_CALL: 1, INVALID_PHONE: 0 },
      calls: [{ caseId: 'c1', tenantId: 't', jobId: 'j1', timezones: [{ zone: 'America/Chicago', source: 'area_code', localTime: '2026-01-01T09:00:00.000-06:00' }] }],
      holds: [{ caseId: 'c2', tenantId: 't', reason: 'DO_NOT_CALL', detail: 'debtor is marked do_not_call', nextAllowedAt: null, nextActionAt: 'x' }],
    },
    collections: { tick: 'tick-1', hourly: 2, daily: 2, fullSyncs: ['c9'] },
    reconcile: { stale: false, submitted: false, jobId: null },
  } as const;
  it('renders selection, calls, holds by rule; finds planned and held', () => {
    expect(heldByReason(report as never)).toEqual({ OUTSIDE_CALLING_WINDOW: 1, DO_NOT_CALL: 1 });
    expect(plannedCalls(report as never)).toBe(1);
    const text = renderScheduleReport(report as never, true);
    expect(text).toContain('calls: 3 due case(s) selected, 1 call(s) would be enqueued, 2 held back');
    expect(text).toMatch(/^c1\s+t\s+j1\s+America\/Chicago 09:00$/m);
    expect(text).toMatch(/^c2\s+DO_NOT_CALL\s+-\s+debtor is marked do_not_call$/m);
    expect(text).toContain('maintenance: 2 hourly and 2 daily job(s) would be enqueued; 1 connection(s) due for a full sync (SYNC_INTERVAL_HOURS), run by their hourly job');
    expect(renderScheduleReport({ x: 1 } as never, false)).toBe('{\n  "x": 1\n}');
  });
});

describe('demo report', () => {
  it('shows rows, aging buckets, cases, calls and holds by rule', () => {
    const text = renderDemoReport({
      options: { seed: 7, leases: 10, live: false },
      dbName: 'd',
      kept: false,
      rows: { pms_leases: 10, debt_cases: 3 },
      syncMs: 1200,
      aging: { as_of_date: '2026-01-01', total_cents: '123456', bucket_0_30_cents: '100', bucket_31_60_cents: 200, bucket_61_90_cents: 0, bucket_90_plus_cents: '123156', currency: 'USD' },
      leaseBuckets: [{ bucket_label: '91_plus', n: 2, cents: '1' }],
      cases: [
        { policy: 'Early (1-30 days)', status: 'NEW', n: 1, cents: '100' },
        { policy: 'Final (61+ days)', status: 'NEW', n: 2, cents: '123156' },
      ],
      calls: [{ status: 'simulated', outcome: '-', n: 1 }],
      planned: 1,
      heldBySchedule: { OUTSIDE_CALLING_WINDOW: 2 },
      heldInDb: {},
      totalMs: 45000,
    });
    expect(text).toContain('Rows synced (sync-full-flow took 1.2 s):');
    expect(text).toMatch(/^ {2}pms_leases\s+10$/m);
    expect(text).toContain('Aging as of 2026-01-01 (total $1,234.56):');
    expect(text).toMatch(/^ {2}90\+ days\s+\$1,231\.56\s+2$/m);
    expect(text).toContain('Cases: 3 (by flow policy and status):');
    expect(text).toContain('Calls: 1 planned by the scheduler, 1 simulated (dry run), 2 case(s) held back');
    expect(text).toMatch(/^ {2}OUTSIDE_CALLING_WINDOW\s+2$/m);
    expect(text).toContain('Finished in 45.0 s.');
  });
});

describe('format', () => {
  it('tables, durations, money', () => {
    expect(table([])).toBe('(none)');
    expect(table([{ a: 1, b: null }, { a: 22, b: 'x' }])).toBe('a   b\n--  -\n1   -\n22  x');
    expect(duration(950)).toBe('950 ms');
    expect(duration(61500)).toBe('1 min 2 s');
    expect(duration(null)).toBe('-');
    expect(money('123456')).toBe('$1,234.56');
    expect(money(5, 'EUR')).toBe('EUR 0.05');
  });
});
