import { randomUUID } from 'crypto';
import { ConnectionContext, PmsApiError, PmsAuthError } from '../../src/connectors/connector.types';
import { RentvineConnector, rentvineAccount } from '../../src/connectors/rentvine/rentvine.connector';
import { FakeRentvine, generateRentvineAccount, loadRentvineFixture } from '../fakes/rentvine-server';
import { collect, fastRetry } from '../utils/pull';

/** Connector-level integration tests against the fake Rentvine (real HTTP on loopback). */

jest.setTimeout(60_000);

const sum = (xs: any[], f: string) => xs.reduce((s, x) => s + x[f], 0);

describe('Rentvine connector against the fake Rentvine', () => {
  let fake: FakeRentvine;
  let conn: ConnectionContext;
  beforeEach(async () => {
    fake = new FakeRentvine(loadRentvineFixture(), generateRentvineAccount(1000));
    await fake.start();
    conn = { connectionId: randomUUID(), tenantId: randomUUID(), credentials: { account: 'acme', accessKey: 'rv-key', secret: 'rv-secret' }, currency: 'USD' };
  });
  afterEach(async () => fake.stop());

  const connector = (o: Partial<ConstructorParameters<typeof RentvineConnector>[0]> = {}) =>
    new RentvineConnector({ baseUrl: fake.apiUrl, retry: fastRetry, now: () => new Date('2025-10-15T12:00:00Z'), ...o });

  it('full pull yields exactly the expected canonical records from one pass over the export', async () => {
    const { pages, by } = await collect(connector({ pageSize: 2 }).pullFull(conn, {}));
    expect(pages.map((p) => p.kind).filter((k, i, a) => a.indexOf(k) === i)).toEqual(['debtors', 'portfolios', 'properties', 'units', 'leases', 'charges', 'payments', 'balances']);
    expect(by.debtors!.map((d) => d.externalId)).toEqual(['1007', '1008', '1010', '1011', '1012', '1013']);
    expect(by.debtors!.map((d) => d.phone)).toEqual(['+12165550100', '+12165550101', '+16145550123', '+16145550150', null, '+16145550160']);
    expect(by.debtors!.find((d) => d.externalId === '1010')).toMatchObject({ displayName: 'Maria Lopez', email: 'maria@example.com', address: { line1: '400 Lake Ave', city: 'Columbus', state: 'OH', postalCode: '43215', country: 'US' } });
    expect(by.debtors!.find((d) => d.externalId === '1011')!.address).toBeNull(); // closed lease: the unit is no longer their address
    expect(by.portfolios!.map((p) => [p.externalId, p.name])).toEqual([['236', 'Owner LLC'], ['240', 'Lakeside Holdings']]);
    expect(by.properties!.map((p) => [p.externalId, p.portfolioExternalId])).toEqual([['146', '236'], ['150', '240']]);
    expect(by.units!.map((u) => [u.externalId, u.propertyExternalId, u.unitNumber])).toEqual([['117', '146', '12 Elm St'], ['120', '150', 'Apt 1'], ['121', '150', 'Apt 2'], ['122', '150', 'Apt 3']]);
    expect(by.leases!.map((l) => [l.externalId, l.status, l.debtorExternalId])).toEqual([
      ['205', 'active', '1007'],
      ['210', 'active', '1010'],
      ['211', 'ended', '1011'],
      ['212', 'pending', '1012'],
      ['213', 'active', '1013'],
    ]);
    expect(by.leases!.find((l) => l.externalId === '211')).toMatchObject({ moveOutDate: '2025-06-30', unitExternalId: '121', lastExternalUpdatedAt: '2025-07-01T09:00:00.000Z' });
    expect(by.charges!.map((c) => [c.externalId, c.leaseExternalId, c.amountCents, c.openAmountCents, c.dueDate])).toEqual([
      ['70685', '205', 118900, 118900, '2025-10-01'],
      ['70690', '205', 3500, 3500, '2025-10-06'],
      ['71001', '211', 160000, 80000, '2025-06-01'],
      ['71002', '211', 5050, 5050, '2025-06-15'],
      ['71100', '213', 72500, 2500, '2025-10-01'],
    ]);
    expect(by.balances!.map((b) => [b.leaseExternalId, b.balanceCents, b.pastDueTotalCents, b.unpaidRentCents])).toEqual([
      ['205', 122400, 122400, 118900],
      ['210', 0, 0, 0],
      ['211', 85050, 85050, 80000],
      ['212', 0, 0, 0],
      ['213', 2500, 2500, 2500],
    ]);
    expect(sum(by.balances!, 'balanceCents')).toBe(sum(by.charges!, 'openAmountCents'));
    expect(by.payments!.map((p) => [p.externalId, p.leaseExternalId, p.amountCents, p.paidAt])).toEqual([
      ['80001', '205', 118900, '2025-09-03T00:00:00.000Z'],
      ['80002', '211', 80000, '2025-05-03T00:00:00.000Z'], // unit 121 in May: the closed lease
      ['80004', '213', 70000, '2025-10-03T00:00:00.000Z'], // unit 121 in October: the new lease
      ['80005', '210', 90000, '2025-08-02T00:00:00.000Z'], // ledger.leaseID wins when present
    ]);
    // one pass over the export (3 pages of 2) serves all seven export streams; payments 3 pages
    expect(fake.seen('/leases/export').map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(fake.seen('/accounting/transactions/search').map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(fake.seen('/accounting/transactions/search')[0].query.get('isVoided')).toBe('false');
    expect(pages.find((p) => p.kind === 'leases')).toMatchObject({ resume: { page: 1 }, source: { endpoint: '/leases/export', page: 1 }, maxModifiedAt: '2025-10-12T23:36:24.000Z' });
  });

  it('without the cache each export stream re-reads the export', async () => {
    await collect(connector({ pageSize: 2, exportCacheItems: 1 }).pullFull(conn, { streams: ['debtors', 'leases'] }));
    expect(fake.seen('/leases/export')).toHaveLength(6);
  });

  it('accepts the account as subdomain, host or URL', async () => {
    expect(rentvineAccount('acme')).toBe('acme');
    expect(rentvineAccount('ACME.rentvine.com')).toBe('acme');
    expect(rentvineAccount('https://acme.rentvine.com/api/manager')).toBe('acme');
    expect(rentvineAccount('bad account!')).toBeNull();
    for (const account of ['acme.rentvine.com', 'https://acme.rentvine.com']) {
      expect(await connector().testConnection({ ...conn, credentials: { ...conn.credentials, account } })).toMatchObject({ ok: true, externalAccountId: 'acme' });
    }
  });

  it('bad credentials, unknown account, invalid account: clear messages, no retries', async () => {
    const c = connector();
    await expect(collect(c.pullFull({ ...conn, credentials: { ...conn.credentials, secret: 'wrong' } }, {}))).rejects.toThrow(PmsAuthError);
    expect(fake.requests).toHaveLength(1);
    const bad = await c.testConnection({ ...conn, credentials: { ...conn.credentials, secret: 'wrong' } });
    expect(bad).toMatchObject({ ok: false, code: 'BAD_CREDENTIALS' });
    expect(bad.message).toMatch(/Rentvine rejected the credentials/);
    const unknown = await c.testConnection({ ...conn, credentials: { ...conn.credentials, account: 'nosuch' } });
    expect(unknown).toMatchObject({ ok: false, code: 'UNKNOWN_ACCOUNT' });
    expect(unknown.message).toMatch(/"nosuch" was not found/);
    await expect(collect(c.pullFull({ ...conn, credentials: { ...conn.credentials, account: 'nosuch' } }, {}))).rejects.toThrow(
      'Rentvine account "nosuch" was not found (HTTP 404 on GET /leases/export): check the account subdomain',
    );
    fake.resetLog();
    expect(await c.testConnection({ ...conn, credentials: { ...conn.credentials, account: 'not valid!' } })).toMatchObject({ ok: false, code: 'UNKNOWN_ACCOUNT' });
    expect(fake.requests).toHaveLength(0);
  });

  it('a 429 storm (with and without Retry-After) completes within the cap', async () => {
    fake.rateLimit = 10;
    fake.addFault({ kind: 'status', status: 429, times: 3 });
    fake.addFault({ kind: 'status', status: 429, retryAfter: '1', times: 1 });
    const { by } = await collect(connector({ pageSize: 1, exportCacheItems: 0, retry: { retries: 6, baseDelayMs: 20, maxDelayMs: 200 } }).pullFull(conn, {}));
    expect(by.leases).toHaveLength(5);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(4);
    expect(fake.requests.some((r) => r.rateExceeded)).toBe(false);
    expect(fake.maxInWindow(1000)).toBeLessThanOrEqual(10);
  });

  it('a 500 on page 3 succeeds after a retry, or fails naming the page', async () => {
    fake.addFault({ kind: 'status', status: 500, path: '/leases/export', page: 3 });
    const ok = await collect(connector({ pageSize: 2 }).pullFull(conn, { streams: ['leases'] }));
    expect(ok.by.leases).toHaveLength(5);
    expect(fake.seen('/leases/export').map((r) => r.status)).toEqual([200, 200, 500, 200]);

    fake.addFault({ kind: 'status', status: 502, path: '/leases/export', page: 3, times: 50 });
    const err = await collect(connector({ pageSize: 2 }).pullFull(conn, { streams: ['leases'] })).catch((e) => e);
    expect(err).toBeInstanceOf(PmsApiError);
    expect(err.message).toBe('Rentvine GET /leases/export page 3 failed: HTTP 502 after 4 attempts');
  });

  it('mixed types and malformed items: normalized, or passed on for the runner to skip and count', async () => {
    const acme = fake.get('acme');
    acme.exportItems.push({ lease: { leaseID: 'x1', tenants: 'nope' }, balances: { unpaidTotalAmount: 'lots' }, unpaidCharges: [{ transactionID: 1, amount: 'ten', amountPaid: 0, datePosted: '2025-02-30' }] });
    const { by } = await collect(connector().pullFull(conn, { streams: ['leases', 'charges', 'balances'] }));
    expect(by.leases).toHaveLength(6);
    expect(by.leases!.filter((l) => l.externalId === '')).toHaveLength(1);
    const bad = by.charges!.find((c) => c.leaseExternalId === '');
    expect(Number.isNaN(bad.amountCents)).toBe(true);
    expect(bad.dueDate).toBe('2025-02-30'); // impossible date passed on as given: the runner rejects it
    expect(Number.isNaN(by.balances!.find((b) => b.leaseExternalId === '')!.balanceCents)).toBe(true);

    fake.addFault({ kind: 'body', path: '/leases/export', body: JSON.stringify({ data: acme.exportItems.slice(0, 2) }) });
    const wrapped = await collect(connector({ pageSize: 25 }).pullFull(conn, { streams: ['leases'] }));
    expect(wrapped.by.leases).toHaveLength(2); // {data: [...]} accepted defensively
    fake.addFault({ kind: 'body', path: '/leases/export', body: JSON.stringify({ leases: [] }) });
    await expect(collect(connector().pullFull(conn, { streams: ['leases'] }))).rejects.toThrow(/Rentvine GET \/leases\/export page 1: unexpected response shape/);
  });

  it('data added between pages is still read (short last page ends the pass)', async () => {
    let n = 0;
    fake.beforeRespond = (c) => {
      if (c.path === '/leases/export' && ++n === 2) {
        const copy = JSON.parse(JSON.stringify(fake.get('acme').exportItems[0]));
        copy.lease.leaseID = '300';
        fake.get('acme').exportItems.push(copy);
      }
    };
    const { by } = await collect(connector({ pageSize: 2 }).pullFull(conn, { streams: ['leases'] }));
    expect(by.leases!.map((l) => l.externalId)).toEqual(['205', '210', '211', '212', '213', '300']);
  });

  it('incremental pull filters the export by dateTimeModifiedMin (minus the overlap) and payments by date', async () => {
    const { by } = await collect(connector().pullIncremental(conn, { since: { leasesSince: '2025-10-10T00:00:00.000Z', paymentsSince: '2025-10-01T00:00:00.000Z' } }));
    expect(by.leases!.map((l) => l.externalId)).toEqual(['205', '212']);
    expect(by.debtors!.map((d) => d.externalId)).toEqual(['1007', '1008', '1012']);
    expect(by.charges!.map((c) => c.externalId)).toEqual(['70685', '70690']);
    expect(by.payments!.map((p) => [p.externalId, p.leaseExternalId])).toEqual([['80004', '213']]);
    const exports = fake.seen('/leases/export');
    expect(exports.map((r) => r.query.get('dateTimeModifiedMin'))).toEqual(['2025-10-09 10:00:00', '2025-09-24 00:00:00']);
    expect(fake.seen('/accounting/transactions/search').map((r) => r.query.get('datePostedMin'))).toEqual(['2025-09-24']);
    expect(fake.requests).toHaveLength(3);
  });

  it('slow pages time out and are retried; dropped connections are retried', async () => {
    fake.addFault({ kind: 'slow', delayMs: 1500, path: '/leases/export', page: 2 });
    fake.addFault({ kind: 'drop', path: '/accounting/transactions/search', page: 1 });
    const { by } = await collect(connector({ pageSize: 2, timeoutMs: 300 }).pullFull(conn, { streams: ['leases', 'payments'] }));
    expect(by.leases).toHaveLength(5);
    expect(by.payments).toHaveLength(4);
    expect(fake.seen('/leases/export').map((r) => r.query.get('page'))).toEqual(['1', '2', '2', '3']);
  });

  it('testConnection reports rate limiting and an unreachable host', async () => {
    fake.addFault({ kind: 'status', status: 429, retryAfter: '0', times: 5 });
    expect(await connector({ retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 10 } }).testConnection(conn)).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    const down = new RentvineConnector({ baseUrl: 'http://127.0.0.1:1/{account}/api/manager', retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 10 } });
    expect(await down.testConnection(conn)).toMatchObject({ ok: false, code: 'UNREACHABLE' });
  });

  it('resumes the export streams at the saved page', async () => {
    const c = connector({ pageSize: 2 });
    const { by } = await collect(c.pullFull(conn, { streams: ['leases'], resume: { leases: { page: 1 } } }));
    expect(by.leases!.map((l) => l.externalId)).toEqual(['211', '212', '213']);
    expect(fake.seen('/leases/export').map((r) => r.query.get('page'))).toEqual(['2', '3']);
  });

  it('fetchLeaseBalance is one narrow request', async () => {
    expect(await connector().fetchLeaseBalance(conn, '205')).toMatchObject({ leaseExternalId: '205', balanceCents: 122400, pastDueCents: 122400 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].query.getAll('leaseIDs[]')).toEqual(['205']);
  });

  it('pages a large account at pageSize 100 until a short page', async () => {
    const big = { ...conn, credentials: { account: 'big', accessKey: 'k', secret: 's' } };
    const { by } = await collect(connector().pullFull(big, { streams: ['leases', 'charges', 'balances'] }));
    expect(by.leases).toHaveLength(1000);
    expect(by.charges).toHaveLength(100);
    expect(by.balances!.filter((b) => b.balanceCents > 0)).toHaveLength(100);
    expect(fake.seen('/leases/export')).toHaveLength(11); // 10 full pages + 1 empty
  });
});
