import { randomUUID } from 'crypto';
import { BuildiumConnector } from '../../src/connectors/buildium/buildium.connector';
import { ConnectionContext, PmsApiError, PmsAuthError, PulledPage, PullOptions } from '../../src/connectors/connector.types';
import { FakeBuildium, generateBuildiumAccount, loadBuildiumFixture } from '../fakes/buildium-server';
import { collect, fastRetry } from '../utils/pull';

/** Connector-level integration tests against the fake Buildium (real HTTP on loopback). */

jest.setTimeout(60_000);

function ctx(creds: Record<string, unknown>): ConnectionContext {
  return { connectionId: randomUUID(), tenantId: randomUUID(), credentials: creds, currency: 'USD' };
}


describe('Buildium connector against the fake Buildium', () => {
  let fake: FakeBuildium;
  beforeEach(async () => {
    fake = new FakeBuildium(loadBuildiumFixture());
    await fake.start();
  });
  afterEach(async () => fake.stop());

  const creds = () => ({ ...fake.account.credentials });
  const connector = (o: Partial<ConstructorParameters<typeof BuildiumConnector>[0]> = {}) =>
    new BuildiumConnector({ baseUrl: fake.baseUrl, retry: fastRetry, now: () => new Date('2025-03-10T12:00:00Z'), ...o });

  it('full pull yields exactly the expected canonical records, reading ledgers only of leases that owe', async () => {
    const { pages, by } = await collect(connector().pullFull(ctx(creds()), {}));
    expect(pages.map((p) => p.kind).filter((k, i, a) => a.indexOf(k) === i)).toEqual(['debtors', 'properties', 'units', 'leases', 'charges', 'payments', 'balances']);
    expect(by.debtors).toHaveLength(6);
    expect(by.properties).toHaveLength(2);
    expect(by.units).toHaveLength(5);
    expect(by.leases).toHaveLength(6);
    expect(by.charges).toHaveLength(8);
    expect(by.payments).toHaveLength(4);
    expect(by.balances).toHaveLength(6);

    const ana = by.debtors!.find((d) => d.externalId === '901');
    expect(ana).toMatchObject({ displayName: 'Ana Ruiz', email: 'ana.ruiz@example.com', phone: '+16175550123', address: { line1: '1 Harbor St', city: 'Boston', state: 'MA', postalCode: '02110', country: 'US' } });
    expect(ana.contacts.filter((c: any) => c.type === 'phone').map((c: any) => c.value)).toEqual(['+16175550123', '+16175550150']);
    const ben = by.debtors!.find((d) => d.externalId === '902');
    expect(ben.phone).toBe('+16175550177'); // Home; the Fax number is never a phone to call
    expect(ben.address.city).toBe('Quincy'); // MailingPreference AlternateAddress
    expect(by.debtors!.find((d) => d.externalId === '903')).toMatchObject({ phone: '+12165550142', email: 'carla.d@example.org' });
    expect(by.debtors!.find((d) => d.externalId === '905')!.phone).toBeNull(); // 555-0199 is no valid number
    expect(by.debtors!.map((d) => d.phone).filter(Boolean).sort()).toEqual(['+12165550142', '+12165550188', '+16175550123', '+16175550177']);

    const past = by.leases!.find((l) => l.externalId === '1236');
    expect(past).toMatchObject({ status: 'ended', debtorExternalId: '903', propertyExternalId: '13', unitExternalId: '60', moveInDate: '2024-01-01', moveOutDate: '2024-11-30', lastExternalUpdatedAt: '2024-12-02T12:00:00.000Z' });
    expect(by.leases!.find((l) => l.externalId === '1237')!.status).toBe('pending');

    // charges: due date = Date; open amounts implied by the outstanding balance, newest first
    const charge = (id: string) => by.charges!.find((c) => c.externalId === id);
    expect(charge('5006')).toMatchObject({ leaseExternalId: '1234', amountCents: 150000, openAmountCents: 150000, dueDate: '2025-03-01' });
    expect(charge('5004')).toMatchObject({ amountCents: 22550, openAmountCents: 22550, chargeType: 'Late Fee Income' });
    expect(charge('5003')!.openAmountCents).toBe(0);
    expect(charge('5202')).toMatchObject({ amountCents: 120001, openAmountCents: 120001 }); // 1200.005 -> half away from zero
    expect(charge('5201')).toMatchObject({ amountCents: 120000, openAmountCents: 115000 });
    const sum = (xs: any[], f: string) => xs.reduce((s, x) => s + x[f], 0);
    expect(sum(by.charges!, 'amountCents')).toBe(150000 * 3 + 22550 + 120000 * 2 + 120000 + 120001);
    expect(sum(by.charges!, 'openAmountCents')).toBe(172550 + 60000 + 235001);
    expect(sum(by.payments!, 'amountCents')).toBe(150000 * 2 + 120000 + 60000);
    expect(by.payments!.find((p) => p.externalId === '5104')).toMatchObject({ leaseExternalId: '1235', paidAt: '2025-03-05T00:00:00.000Z', paymentMethod: 'Cash' });

    const bal = (id: string) => by.balances!.find((b) => b.leaseExternalId === id);
    expect(bal('1234')).toMatchObject({ balanceCents: 172550, buckets: { d0_30: 150000, d31_60: 22550, d61_90: 0, d90_plus: 0 }, asOfDate: '2025-03-10' });
    expect(bal('1236')).toMatchObject({ balanceCents: 235001, buckets: { d90_plus: 235001 } });
    expect(bal('1238')!.balanceCents).toBe(0); // absent from outstandingbalances
    expect(sum(by.balances!, 'balanceCents')).toBe(172550 + 60000 + 235001);

    // one ledger read per lease that owes (3 of 6), serving both charges and payments
    expect(fake.seen(/^\/v1\/leases\/\d+\/transactions$/).map((r) => r.path).sort()).toEqual([
      '/v1/leases/1234/transactions',
      '/v1/leases/1235/transactions',
      '/v1/leases/1236/transactions',
    ]);
    expect(fake.seen('/v1/leases/outstandingbalances')).toHaveLength(1);
    for (const r of fake.requests) expect(r.query.get('orderby')).toMatch(/^(Id|LeaseId) asc$/);
    expect(fake.seen('/v1/leases')[0].query.getAll('leasestatuses')).toEqual(['Active', 'Past', 'Future']);
    expect(fake.seen('/v1/leases/tenants')[0].query.getAll('leasetermstatuses')).toEqual(['Active', 'Past', 'Future']);
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
    // resume points and sources
    const leasesPage = pages.find((p) => p.kind === 'leases')!;
    expect(leasesPage.source).toEqual({ endpoint: '/v1/leases', page: 1 });
    expect(leasesPage.resume).toEqual({ offset: 6, lastId: 1239, page: 1 });
    expect(leasesPage.maxModifiedAt).toBe('2025-03-05T16:00:00.000Z');
  });

  it('bad credentials: PmsAuthError at once (no retries) and a clear testConnection message', async () => {
    const c = connector();
    await expect(collect(c.pullFull(ctx({ clientId: 'bd-client-1', clientSecret: 'wrong' }), {}))).rejects.toThrow(PmsAuthError);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].status).toBe(401);
    const r = await c.testConnection(ctx({ clientId: 'nope', clientSecret: 'nope' }));
    expect(r).toMatchObject({ ok: false, code: 'BAD_CREDENTIALS' });
    expect(r.message).toMatch(/rejected the credentials/);
    expect(await c.testConnection(ctx({ clientId: '' }))).toMatchObject({ ok: false, code: 'BAD_CREDENTIALS' });
    expect(await c.testConnection(ctx(creds()))).toMatchObject({ ok: true, code: 'OK' });
  });

  it('testConnection reports rate limiting and an unreachable host', async () => {
    fake.addFault({ kind: 'status', status: 429, times: 10 });
    const r = await connector({ retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 10 } }).testConnection(ctx(creds()));
    expect(r).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    const down = new BuildiumConnector({ baseUrl: 'http://127.0.0.1:1', retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 10 } });
    expect(await down.testConnection(ctx(creds()))).toMatchObject({ ok: false, code: 'UNREACHABLE' });
  });

  it('a 429 storm (with and without Retry-After) completes without any second above 10 requests', async () => {
    fake.addFault({ kind: 'status', status: 429, times: 4 }); // no Retry-After
    fake.addFault({ kind: 'status', status: 429, retryAfter: '1', times: 2 });
    fake.addFault({ kind: 'status', status: 429, retryAfter: new Date(Date.now() + 1500).toUTCString(), times: 1, path: '/v1/leases' });
    fake.addFault({ kind: 'status', status: 429, times: 3, path: /transactions$/ });
    const { by } = await collect(connector({ pageSize: 2, retry: { retries: 8, baseDelayMs: 20, maxDelayMs: 300 } }).pullFull(ctx(creds()), {}));
    expect(by.leases).toHaveLength(6);
    expect(by.charges).toHaveLength(8);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(10);
    expect(fake.requests.some((r) => r.rateExceeded)).toBe(false);
    expect(fake.maxInWindow(1000)).toBeLessThanOrEqual(10);
  });

  it('never exceeds 10 requests in any second, even with many pages and parallel ledgers', async () => {
    const c = connector({ pageSize: 1, ledgerConcurrency: 8 });
    const { by } = await collect(c.pullFull(ctx(creds()), {}));
    expect(by.leases).toHaveLength(6);
    expect(fake.requests.length).toBeGreaterThan(25);
    expect(fake.requests.some((r) => r.rateExceeded)).toBe(false);
    expect(fake.maxInWindow(1000)).toBeLessThanOrEqual(10);
  });

  it('waits as long as Retry-After says', async () => {
    fake.addFault({ kind: 'status', status: 429, retryAfter: '1', times: 1, path: '/v1/rentals' });
    await collect(connector().pullFull(ctx(creds()), { streams: ['properties'] }));
    const [first, second] = fake.seen('/v1/rentals');
    expect(first.status).toBe(429);
    expect(second.status).toBe(200);
    expect(second.at - first.at).toBeGreaterThanOrEqual(990);
  });

  it('a 500 on page 3 succeeds after a retry', async () => {
    fake.addFault({ kind: 'status', status: 500, path: '/v1/leases', page: 3, times: 1 });
    const { by } = await collect(connector({ pageSize: 2 }).pullFull(ctx(creds()), { streams: ['leases'] }));
    expect(by.leases!.map((l) => l.externalId)).toEqual(['1234', '1235', '1236', '1237', '1238', '1239']);
    expect(fake.seen('/v1/leases').map((r) => r.status)).toEqual([200, 200, 500, 200]);
  });

  it('a 500 on page 3 that persists fails naming endpoint, page and status', async () => {
    fake.addFault({ kind: 'status', status: 500, path: '/v1/leases', page: 3, times: 100 });
    const pages: PulledPage[] = [];
    let error: unknown;
    try {
      for await (const p of connector({ pageSize: 2 }).pullFull(ctx(creds()), { streams: ['leases'] })) pages.push(p);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PmsApiError);
    expect((error as Error).message).toMatch(/Buildium GET \/v1\/leases page 3 failed: HTTP 500 after 4 attempts/);
    expect((error as PmsApiError).details).toMatchObject({ endpoint: '/v1/leases', page: 3, status: 500 });
    expect(pages).toHaveLength(2); // pages 1 and 2 were yielded (and may be committed); nothing from page 3
  });

  it('slow pages time out and are retried; dropped connections are retried', async () => {
    fake.addFault({ kind: 'slow', delayMs: 1500, path: '/v1/rentals/units', times: 1 });
    fake.addFault({ kind: 'drop', path: '/v1/rentals', times: 1 });
    const { by } = await collect(connector({ timeoutMs: 300 }).pullFull(ctx(creds()), { streams: ['properties', 'units'] }));
    expect(by.properties).toHaveLength(2);
    expect(by.units).toHaveLength(5);
    expect(fake.seen('/v1/rentals/units')).toHaveLength(2);
    expect(fake.seen('/v1/rentals')).toHaveLength(2);
  });

  it('malformed items are passed on so the runner skips and counts them; a malformed page fails naming the field', async () => {
    fake.account.leases.push({ Id: 'oops', LeaseStatus: 'Active', Tenants: [] });
    fake.account.transactions['1235'].push({ Id: 5105, Date: '2025-03-07', TransactionTypeEnum: 'Charge', TotalAmount: 'abc', Journal: { Memo: 'bad' } });
    const { by } = await collect(connector().pullFull(ctx(creds()), { streams: ['leases', 'charges'] }));
    expect(by.leases).toHaveLength(7);
    expect(by.leases!.filter((l) => l.externalId === '')).toHaveLength(1);
    const bad = by.charges!.find((c) => c.externalId === '5105');
    expect(Number.isNaN(bad.amountCents)).toBe(true);
    expect(by.charges!.filter((c) => Number.isFinite(c.amountCents))).toHaveLength(8);

    fake.addFault({ kind: 'body', path: '/v1/rentals/units', body: JSON.stringify({ Items: [] }) });
    await expect(collect(connector().pullFull(ctx(creds()), { streams: ['units'] }))).rejects.toThrow(/Buildium GET \/v1\/rentals\/units page 1: unexpected response shape at \(body\)/);
    fake.addFault({ kind: 'body', path: '/v1/rentals', body: JSON.stringify([{ Id: 1 }, 7]) });
    await expect(collect(connector().pullFull(ctx(creds()), { streams: ['properties'] }))).rejects.toThrow(/page 1: unexpected response shape at \[1\]/);
  });

  it('data changing between pages: rows deleted or added meanwhile are neither skipped nor repeated', async () => {
    let n = 0;
    fake.beforeRespond = (c) => {
      if (c.path === '/v1/leases' && ++n === 2) {
        fake.account.leases = fake.account.leases.filter((l) => l.Id !== 1235); // deleted after page 1
        fake.account.leases.push({ ...fake.account.leases[0], Id: 1300 }); // added
      }
    };
    const { by } = await collect(connector({ pageSize: 2 }).pullFull(ctx(creds()), { streams: ['leases'] }));
    expect(by.leases!.map((l) => l.externalId)).toEqual(['1234', '1235', '1236', '1237', '1238', '1239', '1300']);
  });

  it('resumes mid-stream from the saved resume points', async () => {
    const c = connector({ pageSize: 2, leasesPerPage: 1 });
    const conn = ctx(creds());
    const first = await collect(c.pullFull(conn, { streams: ['leases', 'charges'] }));
    const leasePage2 = first.pages.filter((p) => p.kind === 'leases')[1];
    const chargePage1 = first.pages.filter((p) => p.kind === 'charges')[0];
    fake.resetLog();
    const resumed = await collect(c.pullFull(conn, { streams: ['leases', 'charges'], resume: { leases: leasePage2.resume, charges: chargePage1.resume } }));
    expect(resumed.by.leases!.map((l) => l.externalId)).toEqual(['1238', '1239']);
    expect(resumed.by.charges!.map((c2) => c2.leaseExternalId).filter((x, i, a) => a.indexOf(x) === i)).toEqual(['1235', '1236']);
    expect(fake.seen('/v1/leases/1234/transactions')).toHaveLength(0);
  });

  it('incremental pull reads only what changed (lastupdatedfrom minus 5 minutes) and ledgers of changed leases', async () => {
    const since: PullOptions['since'] = { leasesSince: '2025-03-02T10:15:00.000Z', debtorsSince: '2025-03-01T00:00:00.000Z' };
    const { by } = await collect(connector().pullIncremental(ctx(creds()), { since }));
    expect(by.leases!.map((l) => l.externalId).sort()).toEqual(['1234', '1235']); // 10:11:12 is inside the overlap
    expect(by.debtors!.map((d) => d.externalId).sort()).toEqual(['901', '904']);
    expect(fake.seen('/v1/leases')[0].query.get('lastupdatedfrom')).toBe('2025-03-02T10:10:00Z');
    expect(fake.seen(/transactions$/).map((r) => r.path).sort()).toEqual(['/v1/leases/1234/transactions', '/v1/leases/1235/transactions']);
    expect(by.balances!.map((b) => b.leaseExternalId).sort()).toEqual(['1234', '1235', '1236']);
    expect(by.properties ?? []).toHaveLength(0);
    expect(by.units ?? []).toHaveLength(0);
    const full = fake.requests.length;
    expect(full).toBe(7); // tenants, rentals, units, leases, outstandingbalances, 2 ledgers
  });

  it('a resumed balances step still reports 0 for every lease absent from outstandingbalances', async () => {
    const { by } = await collect(connector().pullFull(ctx(creds()), { streams: ['balances'] }));
    expect(by.balances!.map((b) => [b.leaseExternalId, b.balanceCents])).toEqual([
      ['1234', 172550],
      ['1235', 60000],
      ['1236', 235001],
      ['1237', 0],
      ['1238', 0],
      ['1239', 0],
    ]);
    expect(fake.seen('/v1/leases')).toHaveLength(1);
    expect(fake.seen(/transactions$/)).toHaveLength(0);
  });

  it('fetchLeaseBalance is one narrow request', async () => {
    const c = connector();
    expect(await c.fetchLeaseBalance(ctx(creds()), '1234')).toMatchObject({ leaseExternalId: '1234', balanceCents: 172550 });
    expect(await c.fetchLeaseBalance(ctx(creds()), '1238')).toMatchObject({ leaseExternalId: '1238', balanceCents: 0 });
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0].query.getAll('leaseids')).toEqual(['1234']);
  });
});

describe('Buildium request budget: 10,000 leases, 800 delinquent', () => {
  let fake: FakeBuildium;
  beforeAll(async () => {
    fake = new FakeBuildium(generateBuildiumAccount({ leases: 10_000, delinquent: 800 }));
    fake.rateLimit = 0; // the cap is proven above; this test counts requests
    await fake.start();
  });
  afterAll(async () => fake.stop());

  it('a full pull costs 800 ledger calls, not 10,000', async () => {
    const c = new BuildiumConnector({ baseUrl: fake.baseUrl, ratePerSecond: 2000, ledgerConcurrency: 16, retry: fastRetry });
    const { by } = await collect(c.pullFull(ctx({ ...fake.account.credentials }), {}));
    expect(by.leases).toHaveLength(10_000);
    expect(by.debtors).toHaveLength(10_000);
    expect(by.balances).toHaveLength(10_000);
    expect(by.balances!.filter((b) => b.balanceCents > 0)).toHaveLength(800);
    expect(by.charges).toHaveLength(1600);
    expect(by.payments).toHaveLength(800);
    expect(fake.seen(/transactions$/)).toHaveLength(800);
    // 11 pages each of tenants, units, leases (1000 rows, then 999 new + 1 overlap row per page);
    // 1 page of rentals (200) and of outstandingbalances (800)
    expect(fake.requests).toHaveLength(11 + 1 + 11 + 11 + 1 + 800);
  });
});
