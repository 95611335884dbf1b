import { FakeRentvine, loadRentvineFixture } from '../fakes/rentvine-server';
import { NOT_DELETED, pmsSyncFixture } from '../utils/pms-sync-fixture';

/**
 * Rentvine end to end: the built worker syncs connections against the fake Rentvine through the
 * real queue. RENTVINE_API_URL=http://127.0.0.1:PORT/{account}/api/manager (the fake serves
 * accounts by path segment) and RENTVINE_PAGE_SIZE=2 so every list has several pages.
 */

jest.setTimeout(120000);

const fake = new FakeRentvine(loadRentvineFixture());
const { connection, sync, rows, count } = pmsSyncFixture({
  fake,
  software: 'rentvine',
  label: 'Rentvine E2E',
  jobPrefix: 'rv-e2e',
  workerEnv: () => ({ RENTVINE_API_URL: fake.apiUrl, RENTVINE_PAGE_SIZE: '2' }),
});
const CREDS = { account: 'acme', accessKey: 'rv-key', secret: 'rv-secret' };

describe('Rentvine sync through the queue', () => {
  let main: { tenantId: string; connectionId: string };

  it('a full sync writes exactly the expected canonical rows', async () => {
    main = await connection(CREDS);
    const r = await sync(main);
    expect(r.state).toBe('completed');
    const id = main.connectionId;
    expect(await count('pms_debtors', id)).toBe(6);
    expect(await count('pms_portfolios', id)).toBe(2);
    expect(await count('pms_properties', id, 'pms_portfolio_id IS NOT NULL')).toBe(2);
    expect(await count('pms_units', id, 'pms_property_id IS NOT NULL')).toBe(4);
    expect(await count('pms_leases', id)).toBe(5);
    expect(await count('ar_charges', id)).toBe(5);
    expect(await count('ar_payments', id, 'pms_lease_id IS NOT NULL')).toBe(4);
    const phones = (await rows(`SELECT phone FROM pms_debtors WHERE pms_connection_id = $1 AND phone IS NOT NULL ORDER BY phone`, [id])).map((x) => x.phone);
    expect(phones).toEqual(['+12165550100', '+12165550101', '+16145550123', '+16145550150', '+16145550160']);
    expect((await rows(`SELECT email FROM pms_debtors WHERE pms_connection_id = $1 AND external_id = '1010'`, [id]))[0].email).toBe('maria@example.com');
    const leases = await rows(`SELECT l.external_id, l.status, d.external_id AS debtor FROM pms_leases l JOIN pms_debtors d ON d.id = l.pms_debtor_id WHERE l.pms_connection_id = $1 ORDER BY 1`, [id]);
    expect(leases.map((l) => [l.external_id, l.status, l.debtor])).toEqual([
      ['205', 'active', '1007'],
      ['210', 'active', '1010'],
      ['211', 'ended', '1011'],
      ['212', 'pending', '1012'],
      ['213', 'active', '1013'],
    ]);
    const sums = (await rows(`SELECT sum(amount_cents)::bigint AS a, sum(open_amount_cents)::bigint AS o, min(due_date)::text AS d FROM ar_charges WHERE pms_connection_id = $1`, [id]))[0];
    expect([Number(sums.a), Number(sums.o), sums.d]).toEqual([359950, 209950, '2025-06-01']);
    const paid = await rows(`SELECT p.external_id, l.external_id AS lease, p.amount_cents FROM ar_payments p JOIN pms_leases l ON l.id = p.pms_lease_id WHERE p.pms_connection_id = $1 ORDER BY 1`, [id]);
    expect(paid.map((p) => [p.external_id, p.lease, Number(p.amount_cents)])).toEqual([
      ['80001', '205', 118900],
      ['80002', '211', 80000],
      ['80004', '213', 70000],
      ['80005', '210', 90000],
    ]);
    // aging from the open charges by due date (all over 90 days before today); PMS balances agree
    const snap = (await rows(`SELECT * FROM ar_aging_snapshots WHERE pms_connection_id = $1`, [id]))[0];
    expect([snap.total_cents, snap.bucket_0_30_cents, snap.bucket_31_60_cents, snap.bucket_61_90_cents, snap.bucket_90_plus_cents].map(Number)).toEqual([209950, 0, 0, 0, 209950]);
    expect(r.result.aging.mismatches).toBe(0);
    expect(Number((await rows(`SELECT sum(balance_cents) AS s FROM ar_balances WHERE pms_connection_id = $1`, [id]))[0].s)).toBe(209950);
    const cases = await rows(`SELECT l.external_id, c.amount_due_cents FROM debt_cases c JOIN pms_leases l ON l.id = c.pms_lease_id WHERE c.tenant_id = $1 ORDER BY 1`, [main.tenantId]);
    expect(cases.map((c) => [c.external_id, Number(c.amount_due_cents)])).toEqual([['205', 122400], ['211', 85050], ['213', 2500]]);
    // one pass over the export (3 pages of 2) for all the export streams
    expect(fake.seen('/leases/export')).toHaveLength(3);
    const state = (await rows(`SELECT status, sync_state FROM pms_connections WHERE id = $1`, [id]))[0];
    expect(state.status).toBe('connected');
    expect(state.sync_state).toMatchObject({ leasesSince: '2025-10-20T08:00:00.000Z', paymentsSince: '2025-10-03T14:00:00.000Z' });
  });

  it('an incremental sync fetches only what changed', async () => {
    const acme = fake.get('acme');
    const l205 = acme.exportItems.find((i) => i.lease.leaseID === '205')!;
    l205.lease.dateTimeModified = '2026-01-04 12:00:00';
    l205.unpaidCharges = l205.unpaidCharges.filter((c: any) => c.transactionID === 70690);
    l205.balances = { unpaidTotalAmount: 35, unpaidRentAmount: '0.00', pastDueTotalAmount: 35, pastDueRentAmount: '0.00' };
    const l210 = acme.exportItems.find((i) => i.lease.leaseID === '210')!;
    l210.lease.dateTimeModified = '2026-01-05 10:00:00';
    l210.unpaidCharges = [{ amount: 900, isRent: 1, amountPaid: 0, datePosted: '2026-01-01', accountName: 'Rent Income', description: 'Rents (01-2026)', transactionID: 72000, isOverdue: 1 }];
    l210.balances = { unpaidTotalAmount: 900, unpaidRentAmount: 900, pastDueTotalAmount: 900, pastDueRentAmount: 900 };
    const pay = JSON.parse(JSON.stringify(acme.payments[0]));
    Object.assign(pay.transaction, { transactionID: '80006', amount: '1189.00', datePosted: '2026-01-04', dateTimeModified: '2026-01-04 12:00:00' });
    acme.payments.push(pay);
    fake.resetLog();

    const r = await sync(main, { trigger: 'scheduled' });
    expect(r.state).toBe('completed');
    expect(r.result.mode).toBe('incremental');
    expect(r.result.counts.leases.received).toBe(3); // 205, 210, and 212 within the 14-hour overlap
    for (const q of fake.seen('/leases/export')) expect(q.query.get('dateTimeModifiedMin')).toMatch(/^(2025-10-19 18:00:00|2025-09-26 14:00:00)$/);
    expect(fake.seen('/accounting/transactions/search').every((q) => q.query.get('datePostedMin') === '2025-09-26')).toBe(true);
    expect(await count('ar_payments', main.connectionId)).toBe(5);
    expect(await count('ar_charges', main.connectionId)).toBe(6);
    expect(await count('pms_leases', main.connectionId, NOT_DELETED('pms_leases'))).toBe(5);
    const p = (await rows(`SELECT l.external_id FROM ar_payments p JOIN pms_leases l ON l.id = p.pms_lease_id WHERE p.pms_connection_id = $1 AND p.external_id = '80006'`, [main.connectionId]))[0];
    expect(p.external_id).toBe('205');
    const bal = await rows(`SELECT lease_external_id, balance_cents FROM pms_reported_balances WHERE pms_connection_id = $1 AND lease_external_id IN ('205', '210') ORDER BY 1`, [main.connectionId]);
    expect(bal.map((b) => [b.lease_external_id, Number(b.balance_cents)])).toEqual([['205', 3500], ['210', 90000]]);
  });

  it('malformed items are skipped and counted', async () => {
    const acme = fake.get('acme');
    const bad = JSON.parse(JSON.stringify(acme.exportItems[1]));
    bad.lease.leaseID = null;
    const odd = JSON.parse(JSON.stringify(acme.exportItems[1]));
    odd.lease.leaseID = '214';
    odd.unpaidCharges = [{ amount: 'ten', amountPaid: 0, datePosted: '2025-09-01', transactionID: 73000, isRent: 1 }];
    acme.exportItems.push(bad, odd);
    try {
      const r = await sync(main);
      expect(r.state).toBe('completed');
      const run = (await rows(`SELECT stats FROM sync_runs WHERE id = $1`, [r.result.runId]))[0];
      expect(run.stats.skippedReasons.leases).toEqual({ missing_id: 1 });
      expect(run.stats.skippedReasons.charges).toEqual({ invalid_amount: 1, missing_relation_id: 1 }); // the lease without id took its charge along
      expect(await count('pms_leases', main.connectionId, NOT_DELETED('pms_leases'))).toBe(6);
    } finally {
      acme.exportItems.splice(-2, 2);
    }
  });

  it('a 500 on page 3 fails the run naming the page with whole pages only; a retry completes', async () => {
    const c = await connection(CREDS);
    fake.addFault({ kind: 'status', status: 500, path: '/leases/export', page: 3, times: 6 });
    const r = await sync(c);
    expect(r.state).toBe('failed');
    expect(r.job.failedReason).toBe('Rentvine GET /leases/export page 3 failed: HTTP 500 after 6 attempts');
    const run = (await rows(`SELECT status, error_details FROM sync_runs WHERE pms_connection_id = $1`, [c.connectionId]))[0];
    expect(run).toMatchObject({ status: 'failed', error_details: { endpoint: '/leases/export', page: 3, status: 500 } });
    expect((await rows(`SELECT external_id FROM pms_debtors WHERE pms_connection_id = $1 ORDER BY 1`, [c.connectionId])).map((x) => x.external_id)).toEqual(['1007', '1008', '1010', '1011', '1012']); // tenants of pages 1 and 2, whole
    expect(await count('pms_leases', c.connectionId)).toBe(0);
    fake.clearFaults();
    fake.addFault({ kind: 'status', status: 500, path: '/leases/export', page: 3, times: 1 });
    const again = await sync(c);
    expect(again.state).toBe('completed');
    expect(await count('pms_leases', c.connectionId)).toBe(5);
  });

  it('bad credentials and an unknown account fail at once with clear messages', async () => {
    const c = await connection({ ...CREDS, secret: 'wrong' });
    fake.resetLog();
    const r = await sync(c, {}, 3);
    expect(r.state).toBe('failed');
    expect(r.job.attemptsMade).toBe(1);
    expect(r.job.failedReason).toMatch(/^Rentvine rejected the credentials: HTTP 401/);
    expect(fake.requests).toHaveLength(1);
    expect((await rows(`SELECT status FROM pms_connections WHERE id = $1`, [c.connectionId]))[0].status).toBe('error');

    const u = await connection({ ...CREDS, account: 'https://nosuch.rentvine.com' });
    const r2 = await sync(u, {}, 3);
    expect(r2.state).toBe('failed');
    expect(r2.job.attemptsMade).toBe(1);
    expect(r2.job.failedReason).toMatch(/^Rentvine account "nosuch" was not found/);
  });
});
