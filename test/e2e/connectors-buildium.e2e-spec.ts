import { FakeBuildium, loadBuildiumFixture } from '../fakes/buildium-server';
import { pmsSyncFixture } from '../utils/pms-sync-fixture';

/**
 * Buildium end to end: the built worker process syncs a connection against the fake Buildium
 * (BUILDIUM_API_URL) through the real queue; assertions on Postgres rows and on the requests the
 * fake received. BUILDIUM_PAGE_SIZE=2 so that every list has several pages.
 */

jest.setTimeout(120000);

const fake = new FakeBuildium(loadBuildiumFixture());
const { connection, sync, rows, count } = pmsSyncFixture({
  fake,
  software: 'buildium',
  label: 'Buildium E2E',
  jobPrefix: 'bd-e2e',
  workerEnv: () => ({ BUILDIUM_API_URL: fake.baseUrl, BUILDIUM_PAGE_SIZE: '2' }),
});

beforeEach(() => {
  fake.account = loadBuildiumFixture();
  fake.clearFaults();
  fake.beforeRespond = null;
});

describe('Buildium sync through the queue', () => {
  let main: { tenantId: string; connectionId: string };

  it('the softwares row exists (migration), in the shape of the API catalog seed', async () => {
    const sw = (await rows(`SELECT name, category, auth_type, auth_config, capabilities FROM softwares WHERE key = 'buildium'`, []))[0];
    expect(sw).toMatchObject({ name: 'Buildium', category: 'property_manager', auth_type: 'apiKey' });
    expect(sw.auth_config.requiredFields).toEqual(['clientId', 'clientSecret']);
    expect(sw.capabilities.supportsUpdatedSince).toBe(true);
  });

  it('a full sync writes exactly the expected canonical rows, ledgers read only for leases that owe', async () => {
    main = await connection(fake.account.credentials);
    fake.resetLog();
    const r = await sync(main);
    expect(r.state).toBe('completed');
    const id = main.connectionId;
    expect(await count('pms_debtors', id)).toBe(6);
    expect(await count('pms_properties', id)).toBe(2);
    expect(await count('pms_units', id)).toBe(5);
    expect(await count('pms_leases', id)).toBe(6);
    expect(await count('ar_charges', id)).toBe(8);
    expect(await count('ar_payments', id)).toBe(4);
    const phones = (await rows(`SELECT phone FROM pms_debtors WHERE pms_connection_id = $1 AND phone IS NOT NULL ORDER BY phone`, [id])).map((x) => x.phone);
    expect(phones).toEqual(['+12165550142', '+12165550188', '+16175550123', '+16175550177']);
    const ana = (await rows(`SELECT email, address FROM pms_debtors WHERE pms_connection_id = $1 AND external_id = '901'`, [id]))[0];
    expect(ana.email).toBe('ana.ruiz@example.com');
    expect(ana.address).toMatchObject({ city: 'Boston', country: 'US' });
    const past = (await rows(`SELECT l.status, l.move_out_date::text AS mo, d.external_id AS debtor FROM pms_leases l JOIN pms_debtors d ON d.id = l.pms_debtor_id WHERE l.pms_connection_id = $1 AND l.external_id = '1236'`, [id]))[0];
    expect(past).toEqual({ status: 'ended', mo: '2024-11-30', debtor: '903' });
    const sums = (await rows(`SELECT sum(amount_cents)::bigint AS a, sum(open_amount_cents)::bigint AS o FROM ar_charges WHERE pms_connection_id = $1`, [id]))[0];
    expect(Number(sums.a)).toBe(150000 * 3 + 22550 + 120000 * 2 + 120000 + 120001);
    expect(Number(sums.o)).toBe(467551);
    const paid = (await rows(`SELECT sum(amount_cents)::bigint AS s, count(pms_lease_id)::int AS linked FROM ar_payments WHERE pms_connection_id = $1`, [id]))[0];
    expect(Number(paid.s)).toBe(480000);
    expect(paid.linked).toBe(4);
    // aging: Buildium's own buckets win; balances for every lease (0 for those absent from outstandingbalances)
    const snap = (await rows(`SELECT * FROM ar_aging_snapshots WHERE pms_connection_id = $1`, [id]))[0];
    expect([snap.total_cents, snap.bucket_0_30_cents, snap.bucket_31_60_cents, snap.bucket_61_90_cents, snap.bucket_90_plus_cents].map(Number)).toEqual([467551, 210000, 22550, 0, 235001]);
    expect(Number((await rows(`SELECT sum(balance_cents) AS s FROM ar_balances WHERE pms_connection_id = $1`, [id]))[0].s)).toBe(467551);
    expect(await count('ar_balances', id)).toBe(6);
    expect(r.result.aging.mismatches).toBe(0);
    // one open case per lease that owes, past leases included
    const cases = await rows(`SELECT l.external_id, c.amount_due_cents FROM debt_cases c JOIN pms_leases l ON l.id = c.pms_lease_id WHERE c.tenant_id = $1 ORDER BY 1`, [main.tenantId]);
    expect(cases.map((c) => [c.external_id, Number(c.amount_due_cents)])).toEqual([['1234', 172550], ['1235', 60000], ['1236', 235001]]);
    // requests: ledgers of the 3 leases that owe, never above 10 per second
    const ledgers = () => [...new Set(fake.seen(/transactions$/).map((x) => x.path))].sort();
    expect(ledgers()).toEqual(['/v1/leases/1234/transactions', '/v1/leases/1235/transactions', '/v1/leases/1236/transactions']);
    expect(fake.maxInWindow(1000)).toBeLessThanOrEqual(10);
    expect(fake.requests.some((x) => x.rateExceeded)).toBe(false);
    const conn = (await rows(`SELECT status, sync_state FROM pms_connections WHERE id = $1`, [id]))[0];
    expect(conn.status).toBe('connected');
    expect(conn.sync_state.leasesSince).toBe('2025-03-05T16:00:00.000Z');
  });

  it('an incremental sync fetches only what changed', async () => {
    const lease = fake.account.leases.find((l) => l.Id === 1234)!;
    lease.LastUpdatedDateTime = '2026-01-02T03:04:05Z';
    fake.account.transactions['1234'].push({ Id: 5007, Date: '2026-01-02', TransactionType: 'Payment', TransactionTypeEnum: 'Payment', TotalAmount: 500, LeaseId: 1234, PaymentMethod: 'Check', Journal: { Memo: 'Payment', Lines: [] } });
    const ob = fake.account.outstandingBalances.find((o) => o.LeaseId === 1234)!;
    Object.assign(ob, { Balance0To30Days: 1000, TotalBalance: 1225.5 });
    fake.resetLog();
    const r = await sync(main, { trigger: 'scheduled' });
    expect(r.state).toBe('completed');
    expect(r.result.mode).toBe('incremental');
    const leaseReqs = fake.seen('/v1/leases');
    expect(leaseReqs).toHaveLength(1);
    expect(leaseReqs[0].query.get('lastupdatedfrom')).toBe('2025-03-05T15:55:00Z'); // the cursor minus 5 minutes
    // only the two leases modified since the cursor have their ledgers read
    expect([...new Set(fake.seen(/transactions$/).map((x) => x.path))].sort()).toEqual(['/v1/leases/1234/transactions', '/v1/leases/1235/transactions']);
    expect(r.result.counts.leases.received).toBe(2);
    expect(await count('ar_payments', main.connectionId)).toBe(5);
    expect(await count('pms_leases', main.connectionId, 'deleted_at IS NULL')).toBe(6); // incremental never soft-deletes
    const bal = (await rows(`SELECT balance_cents FROM pms_reported_balances WHERE pms_connection_id = $1 AND lease_external_id = '1234'`, [main.connectionId]))[0];
    expect(Number(bal.balance_cents)).toBe(122550);
    const conn = (await rows(`SELECT sync_state FROM pms_connections WHERE id = $1`, [main.connectionId]))[0];
    expect(conn.sync_state.leasesSince).toBe('2026-01-02T03:04:05.000Z');
  });

  it('malformed items are skipped and counted', async () => {
    fake.account.leases.push({ Id: 'oops', LeaseStatus: 'Active', Tenants: [{ Id: 901 }] });
    fake.account.transactions['1235'].push({ Id: 5105, Date: '2025-03-07', TransactionTypeEnum: 'Charge', TotalAmount: 'abc', Journal: { Memo: 'bad' } });
    fake.account.transactions['1234'].push({ Id: 5106, Date: '2025-02-30', TransactionTypeEnum: 'Charge', TotalAmount: 10, Journal: { Memo: 'bad date' } });
    const r = await sync(main);
    expect(r.state).toBe('completed');
    const run = (await rows(`SELECT stats FROM sync_runs WHERE id = $1`, [r.result.runId]))[0];
    expect(run.stats.skippedReasons.leases).toEqual({ missing_id: 1 });
    expect(run.stats.skippedReasons.charges).toEqual({ invalid_amount: 1, invalid_date: 1 });
    expect(await count('ar_charges', main.connectionId)).toBe(8);
  });

  it('a 429 storm (with and without Retry-After) still completes, never above 10 requests per second', async () => {
    // the client retries 5 times: 4 in a row on the first request, then 4 more on the ledgers
    fake.addFault({ kind: 'status', status: 429, times: 2 });
    fake.addFault({ kind: 'status', status: 429, retryAfter: '1', times: 2 });
    fake.addFault({ kind: 'status', status: 429, times: 4, path: /transactions$/ });
    fake.resetLog();
    const r = await sync(main);
    expect(r.state).toBe('completed');
    expect(fake.requests.filter((x) => x.status === 429)).toHaveLength(8);
    expect(fake.requests.some((x) => x.rateExceeded)).toBe(false);
    expect(fake.maxInWindow(1000)).toBeLessThanOrEqual(10);
    expect(await count('pms_leases', main.connectionId, 'deleted_at IS NULL')).toBe(6);
  });

  it('a 500 on page 3 fails the run naming the page, with only whole pages written; a retry completes', async () => {
    const c = await connection(fake.account.credentials);
    fake.addFault({ kind: 'status', status: 500, path: '/v1/leases', page: 3, times: 6 });
    const r = await sync(c);
    expect(r.state).toBe('failed');
    expect(r.job.failedReason).toMatch(/Buildium GET \/v1\/leases page 3 failed: HTTP 500 after 6 attempts/);
    const run = (await rows(`SELECT status, error_message, error_details FROM sync_runs WHERE pms_connection_id = $1`, [c.connectionId]))[0];
    expect(run.status).toBe('failed');
    expect(run.error_details).toMatchObject({ endpoint: '/v1/leases', page: 3, status: 500 });
    expect((await rows(`SELECT status, last_error FROM pms_connections WHERE id = $1`, [c.connectionId]))[0].status).toBe('error');
    // pages 1 and 2 of the leases (1234-1235, 1236-1237) were committed whole; nothing after
    expect((await rows(`SELECT external_id FROM pms_leases WHERE pms_connection_id = $1 ORDER BY 1`, [c.connectionId])).map((x) => x.external_id)).toEqual(['1234', '1235', '1236', '1237']);
    expect(await count('ar_charges', c.connectionId)).toBe(0);

    fake.addFault({ kind: 'status', status: 500, path: '/v1/leases', page: 3, times: 1 }); // once: the retry inside the client absorbs it
    const again = await sync(c);
    expect(again.state).toBe('completed');
    expect(await count('pms_leases', c.connectionId)).toBe(6);
    expect(await count('ar_charges', c.connectionId)).toBe(8);
  });

  it('bad credentials fail the run at once with a clear message and no retries', async () => {
    const c = await connection({ clientId: 'bd-client-1', clientSecret: 'wrong' });
    fake.resetLog();
    const r = await sync(c, {}, 3);
    expect(r.state).toBe('failed');
    expect(r.job.attemptsMade).toBe(1);
    expect(r.job.failedReason).toMatch(/Buildium rejected the credentials: HTTP 401/);
    expect(fake.requests).toHaveLength(1);
    const conn = (await rows(`SELECT status, last_error, sync_state FROM pms_connections WHERE id = $1`, [c.connectionId]))[0];
    expect(conn.status).toBe('error');
    expect(conn.sync_state.lastErrorMessage).toMatch(/rejected the credentials/);
  });
});
