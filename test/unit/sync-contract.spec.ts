import { UnrecoverableError } from 'bullmq';
import { renderDemoReport } from '../../src/cli/demo/demo-report';
import { apiSyncLockKey, failedForGood, lockIdsOf } from '../../src/pms-sync/api-sync-lock';
import { buildResult, refreshResult } from '../../src/pms-sync/sync-jobs.handler';
import { CaseCounts } from '../../src/pms-sync/cases.service';
import { AGING_RISK_TIER } from '../../src/pms-sync/aging.sql';
import { RISK_TIERS, riskTier } from '../../src/pms-sync/risk-tier';

describe('risk tiers in the API words', () => {
  it.each([
    [-5, 'al_dia'],
    [0, 'al_dia'],
    [1, 'bajo'],
    [30, 'bajo'],
    [31, 'medio'],
    [60, 'medio'],
    [61, 'alto'],
    [90, 'alto'],
    [91, 'critico'],
    [400, 'critico'],
  ])('%i days past due is %s', (dpd, tier) => {
    expect(riskTier(dpd)).toBe(tier);
  });

  it('names the bad input', () => {
    expect(() => riskTier(Number.NaN)).toThrow('riskTier: days past due must be a finite number, got NaN');
  });

  it('the SQL writes the same words with the same thresholds', () => {
    expect(AGING_RISK_TIER).toContain("CASE WHEN a.days_past_due <= 0 THEN 'al_dia' WHEN a.days_past_due <= 30 THEN 'bajo' WHEN a.days_past_due <= 60 THEN 'medio'");
    expect(AGING_RISK_TIER).toContain("WHEN a.days_past_due <= 90 THEN 'alto' ELSE 'critico' END");
    expect([...RISK_TIERS]).toEqual(['al_dia', 'bajo', 'medio', 'alto', 'critico']);
  });
});

describe('the API sync lock', () => {
  it('is the plain key the API sets', () => {
    expect(apiSyncLockKey('t-1', 'c-1')).toBe('pms-sync:lock:t-1:c-1');
  });

  it('takes the ids from the payload only when both are strings without a colon', () => {
    expect(lockIdsOf({ tenantId: 't', connectionId: 'c', trigger: 'manual' })).toEqual({ tenantId: 't', connectionId: 'c' });
    expect(lockIdsOf({ tenantId: 't' })).toBeNull();
    expect(lockIdsOf({ tenantId: 1, connectionId: 'c' })).toBeNull();
    expect(lockIdsOf({ tenantId: 't:x', connectionId: 'c' })).toBeNull();
    expect(lockIdsOf({ tenantId: '', connectionId: 'c' })).toBeNull();
    expect(lockIdsOf(null)).toBeNull();
  });

  it('a failed job ends for good with no attempt left, an UnrecoverableError or once finished', () => {
    const job = (attemptsMade: number, attempts?: number, finishedOn?: number) => ({ attemptsMade, opts: { attempts }, finishedOn });
    expect(failedForGood(job(1, 2), new Error('x'))).toBe(false);
    expect(failedForGood(job(2, 2), new Error('x'))).toBe(true);
    expect(failedForGood(job(1, undefined), new Error('x'))).toBe(true);
    expect(failedForGood(job(1, 3), new UnrecoverableError('x'))).toBe(true);
    const named = new Error('x');
    named.name = 'UnrecoverableError';
    expect(failedForGood(job(1, 3), named)).toBe(true);
    expect(failedForGood(job(1, 3, Date.now()), new Error('x'))).toBe(true);
  });
});

describe('return values in the API shapes', () => {
  const counts = (o: Partial<CaseCounts>): CaseCounts => ({ created: 0, refreshed: 0, closedPaid: 0, reopened: 0, reconciliationHolds: 0, debtorsCreated: 0, debtorsRefreshed: 0, ...o });
  it('build', () => {
    expect(buildResult(counts({ created: 3 }))).toEqual({ created: 3, message: 'Created 3 new case(s).' });
    expect(buildResult(counts({ created: 0 }))).toEqual({ created: 0, message: 'No new cases to create.' });
  });

  it('refresh: every case looked at is updated; resolved are those closed at balance zero', () => {
    expect(refreshResult(counts({ refreshed: 2, closedPaid: 1, reopened: 1 }))).toEqual({ updated: 4, resolved: 1, message: 'Refreshed 4 case(s), 1 resolved (balance=0).' });
  });
});

describe('demo report: risk tiers in the API words', () => {
  const facts = (riskTiers?: { risk_tier: string | null; n: number }[]) => ({
    options: { seed: 1, leases: 7, live: false },
    dbName: 'd',
    kept: false,
    rows: {},
    syncMs: 1,
    aging: null,
    leaseBuckets: [],
    cases: [],
    riskTiers,
    calls: [],
    planned: 0,
    heldBySchedule: {},
    heldInDb: {},
    schedule: {},
    totalMs: 1,
  });

  it('lists the five tiers in the API order, zero where absent, then anything unexpected', () => {
    const text = renderDemoReport(
      facts([
        { risk_tier: 'critico', n: 4 },
        { risk_tier: 'al_dia', n: 1 },
        { risk_tier: null, n: 2 },
      ]),
    );
    expect(text).toContain('Leases by risk tier: al_dia 1, bajo 0, medio 0, alto 0, critico 4, (none) 2');
  });

  it('says nothing when the facts carry no tiers', () => {
    expect(renderDemoReport(facts())).not.toContain('risk tier');
  });
});
