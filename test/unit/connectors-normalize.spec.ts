import fc from 'fast-check';
import { mapLeaseCharges, mapOutstanding, mapTenant, mapLease as mapBuildiumLease } from '../../src/connectors/buildium/buildium.mapper';
import { isNetworkError, PmsHttpClient } from '../../src/connectors/http/http-client';
import { toBool, toCents, toCountry, toDate, toEmail, toId, toPhone, toUtcIso } from '../../src/connectors/http/normalize';
import { RateLimiter } from '../../src/connectors/http/rate-limiter';
import { backoffDelay, parseRetryAfter } from '../../src/connectors/http/retry';
import { UnitLeaseIndex, leaseStatus, mapBalance, mapCharges, mapDebtors, mapLease } from '../../src/connectors/rentvine/rentvine.mapper';
import { rentvineDateTime } from '../../src/connectors/rentvine/rentvine.connector';

describe('normalize: money', () => {
  it('rounds half away from zero, once', () => {
    expect(toCents(10.005)).toBe(1001);
    expect(toCents(-10.005)).toBe(-1001);
    expect(toCents('10.005')).toBe(1001);
    expect(toCents('-10.005')).toBe(-1001);
    expect(toCents(1.005)).toBe(101); // 1.005 is 1.00499999... in binary: we round the decimal as written
    expect(toCents(10.004)).toBe(1000);
    expect(toCents(0.125)).toBe(13);
    expect(toCents(-0.125)).toBe(-13);
    expect(toCents(-0.001)).toBe(0);
  });
  it('reads "0.00" strings, numbers, thousands separators and accounting negatives', () => {
    expect(toCents('0.00')).toBe(0);
    expect(toCents(0)).toBe(0);
    expect(toCents(1224)).toBe(122400);
    expect(toCents('775.00')).toBe(77500);
    expect(toCents('1,189.50')).toBe(118950);
    expect(toCents('$12')).toBe(1200);
    expect(toCents('(12.00)')).toBe(-1200);
    expect(toCents('.5')).toBe(50);
    expect(toCents(1e-7)).toBe(0);
  });
  it('absent is null; unusable is NaN (the runner skips and counts it)', () => {
    expect(toCents(null)).toBeNull();
    expect(toCents(undefined)).toBeNull();
    expect(toCents('')).toBeNull();
    expect(toCents('abc')).toBeNaN();
    expect(toCents('1.2.3')).toBeNaN();
    expect(toCents({})).toBeNaN();
    expect(toCents(Infinity)).toBeNaN();
  });
  it('agrees with exact decimal rounding for any amount with up to 3 decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }), (milli) => {
        const text = `${milli < 0 ? '-' : ''}${Math.floor(Math.abs(milli) / 1000)}.${String(Math.abs(milli) % 1000).padStart(3, '0')}`;
        const abs = Math.abs(milli);
        const expected = (milli < 0 ? -1 : 1) * (Math.floor(abs / 10) + (abs % 10 >= 5 ? 1 : 0));
        expect(toCents(text)).toBe(expected === 0 ? 0 : expected);
        expect(toCents(Number(text))).toBe(expected === 0 ? 0 : expected);
      }),
    );
  });
});

describe('normalize: ids, booleans, dates, text', () => {
  it('ids as numbers or strings', () => {
    expect(toId(12)).toBe('12');
    expect(toId('12')).toBe('12');
    expect(toId(' 12 ')).toBe('12');
    expect(toId(null)).toBeNull();
    expect(toId('')).toBeNull();
    expect(toId(1.5)).toBe('');
    expect(toId({})).toBe('');
  });
  it('booleans in every vendor spelling', () => {
    for (const t of [true, 1, '1', 'true', 'TRUE', 'yes']) expect(toBool(t)).toBe(true);
    for (const f of [false, 0, '0', 'false', 'no']) expect(toBool(f)).toBe(false);
    for (const x of [null, undefined, 2, 'maybe', {}]) expect(toBool(x)).toBeNull();
  });
  it('dates and UTC instants', () => {
    expect(toDate('2025-10-01')).toBe('2025-10-01');
    expect(toDate('2025-10-12 23:36:24')).toBe('2025-10-12');
    expect(toDate('2025-02-30')).toBe('2025-02-30'); // impossible: passed on for the runner to reject
    expect(toDate('0000-00-00')).toBeNull();
    expect(toDate(null)).toBeNull();
    expect(toUtcIso('2025-10-12 23:36:24')).toBe('2025-10-12T23:36:24.000Z');
    expect(toUtcIso('2025-03-02T10:11:12Z')).toBe('2025-03-02T10:11:12.000Z');
    expect(toUtcIso('2025-03-02T10:11:12.5+02:00')).toBe('2025-03-02T08:11:12.500Z');
    expect(toUtcIso('2025-03-02')).toBe('2025-03-02T00:00:00.000Z');
    expect(toUtcIso('garbage')).toBeNull();
    expect(rentvineDateTime(new Date('2025-10-09T10:00:00.123Z'))).toBe('2025-10-09 10:00:00');
  });
  it('emails trimmed, countries to ISO codes, phones to E.164', () => {
    expect(toEmail('  ana@example.com ')).toBe('ana@example.com');
    expect(toEmail('not an email')).toBeNull();
    expect(toEmail('')).toBeNull();
    expect(toCountry('UnitedStates')).toBe('US');
    expect(toCountry('us')).toBe('US');
    expect(toCountry('Canada')).toBe('CA');
    expect(toPhone('(617) 555-0123')).toBe('+16175550123');
    expect(toPhone('617.555.0123')).toBe('+16175550123');
    expect(toPhone('+1 216 555 0142')).toBe('+12165550142');
    expect(toPhone('(416) 555-0123', 'CA')).toBe('+14165550123');
    expect(toPhone('555-0199')).toBeNull();
    expect(toPhone('')).toBeNull();
    expect(toPhone(null)).toBeNull();
  });
});

describe('http: retry timing and rate cap', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
  it('backs off exponentially with jitter, capped', () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, p, () => 0)).toBe(50);
    expect(backoffDelay(0, p, () => 1)).toBe(100);
    expect(backoffDelay(3, p, () => 1)).toBe(800);
    expect(backoffDelay(10, p, () => 1)).toBe(1000);
    expect(backoffDelay(10, p, () => 0)).toBe(50);
  });
  it('the limiter starts request k + max only a window after request k finished', async () => {
    const l = new RateLimiter({ max: 5, windowMs: 200, marginMs: 5 });
    const spans: { start: number; end: number }[] = [];
    await Promise.all(
      Array.from({ length: 23 }, (_x, i) =>
        l.schedule(async () => {
          const start = Date.now();
          await new Promise((r) => setTimeout(r, i % 3 === 0 ? 30 : 1)); // uneven latencies
          spans.push({ start, end: Date.now() });
        }),
      ),
    );
    spans.sort((a, b) => a.start - b.start);
    for (let i = 5; i < spans.length; i++) expect(spans[i].start - spans[i - 5].end).toBeGreaterThanOrEqual(200);
  });
  it('the limiter caps concurrency and honours abort', async () => {
    const l = new RateLimiter({ max: 100, windowMs: 1000, maxConcurrent: 2 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        l.schedule(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    const ac = new AbortController();
    const slow = new RateLimiter({ max: 1, windowMs: 10_000 });
    await slow.schedule(async () => undefined);
    const p = slow.schedule(async () => 'never', ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });
  it('builds query strings in both array formats and classifies network errors', () => {
    const base = { software: 'X', softwareKey: 'x', baseUrl: 'http://h/api/', headers: {} };
    expect(new PmsHttpClient(base).url({ path: '/a', query: { k: [1, 2], s: 'a b', n: undefined } })).toBe('http://h/api/a?k=1&k=2&s=a%20b');
    expect(new PmsHttpClient({ ...base, arrayFormat: 'brackets' }).url({ path: '/a', query: { k: ['1'] } })).toBe('http://h/api/a?k%5B%5D=1');
    expect(isNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isNetworkError(new Error('x'))).toBe(false);
  });
});

describe('Buildium mapper', () => {
  it('tenant: name, trimmed email, preferred valid phone, alternate address when preferred', () => {
    const d = mapTenant({
      Id: 7,
      FirstName: ' Ana ',
      LastName: 'Ruiz',
      Email: ' a@example.com ',
      PhoneNumbers: [
        { Number: '(617) 555-0100', Type: 'Fax' },
        { Number: '(617) 555-0150', Type: 'Home' },
        { Number: '(617) 555-0123', Type: 'Cell' },
        { Number: '12', Type: 'Cell' },
      ],
      MailingPreference: 'AlternateAddress',
      Address: { AddressLine1: '1 Main', City: 'Boston', State: 'MA', PostalCode: '02110', Country: 'UnitedStates' },
      AlternateAddress: { AddressLine1: '2 Side', AddressLine2: 'Apt 4', AddressLine3: 'c/o X', City: 'Quincy', State: 'MA', PostalCode: '02169', Country: 'UnitedStates' },
    });
    expect(d).toMatchObject({ externalId: '7', displayName: 'Ana Ruiz', email: 'a@example.com', phone: '+16175550123', address: { line1: '2 Side', line2: 'Apt 4, c/o X', city: 'Quincy', country: 'US' } });
    expect(d.contacts!.filter((c) => c.type === 'phone').map((c) => c.value)).toEqual(['+16175550123', '+16175550150']);
    expect(mapTenant({ Id: 'x' }).externalId).toBe('');
    expect(mapTenant({ Id: 8 }).displayName).toBe('Tenant 8');
  });
  it('lease: status, debtor from current tenants or history, dates', () => {
    expect(mapBuildiumLease({ Id: 1, LeaseStatus: 'Past', Tenants: [{ Id: 5, Status: 'MovedOut', MoveInDate: '2024-01-01' }], MoveOutData: [{ TenantId: 5, MoveOutDate: '2024-11-30' }] })).toMatchObject({
      status: 'ended',
      debtorExternalId: '5',
      moveInDate: '2024-01-01',
      moveOutDate: '2024-11-30',
    });
    expect(mapBuildiumLease({ Id: 2, LeaseStatus: 'Future', CurrentTenants: [{ Id: 9 }], LeaseFromDate: '2026-01-01' })).toMatchObject({ status: 'pending', debtorExternalId: '9', moveInDate: '2026-01-01' });
    expect(mapBuildiumLease({ Id: 3, LeaseStatus: 'Past', LeaseToDate: '2024-05-31' }).moveOutDate).toBe('2024-05-31');
  });
  it('charges: open amounts implied by the outstanding balance, newest first', () => {
    const tx = (Id: number, Date: string, TotalAmount: unknown, TransactionTypeEnum = 'Charge') => ({ Id, Date, TotalAmount, TransactionTypeEnum });
    const charges = mapLeaseCharges('1', [tx(1, '2025-01-01', 100), tx(2, '2025-02-01', 100), tx(3, '2025-02-02', 50, 'Payment'), tx(4, '2025-03-01', 100)], 15050);
    expect(charges.map((c) => [c.externalId, c.openAmountCents])).toEqual([
      ['1', 0],
      ['2', 5050],
      ['4', 10000],
    ]);
    expect(mapLeaseCharges('1', [tx(1, '2025-01-01', 100)], 0)[0].openAmountCents).toBe(0);
    expect(mapLeaseCharges('1', [tx(1, '2025-01-01', 100)], -500)[0].openAmountCents).toBe(0);
  });
  it('outstanding balance with its buckets', () => {
    expect(mapOutstanding({ LeaseId: 3, TotalBalance: 10.005, Balance0To30Days: 10.005, Balance31To60Days: 0, Balance61To90Days: 0, BalanceOver90Days: 0 }, '2025-03-10')).toEqual({
      leaseExternalId: '3',
      balanceCents: 1001,
      pastDueTotalCents: 1001,
      pastDueRentCents: null,
      unpaidRentCents: null,
      buckets: { d0_30: 1001, d31_60: 0, d61_90: 0, d90_plus: 0 },
      asOfDate: '2025-03-10',
    });
  });
});

describe('Rentvine mapper', () => {
  const item = {
    lease: { leaseID: '205', primaryLeaseStatusID: 2, unitID: '117', propertyID: '146', tenants: [{ name: 'X', isActive: '0', contactID: 1 }, { name: 'Y', phone: '216-555-0100', email: ' y@example.com', isActive: 1, contactID: '2' }], dateTimeModified: '2025-10-12 23:36:24' },
    balances: { unpaidTotalAmount: '0.00', unpaidRentAmount: 0, pastDueTotalAmount: 10.005, pastDueRentAmount: '-10.005' },
    unpaidCharges: [{ transactionID: 9, amount: '100.00', amountPaid: 25.5, datePosted: '2025-10-01', isRent: '1' }],
    property: { propertyID: 146, address: '12 Elm St', city: 'Cleveland', stateID: 'OH', postalCode: '44113', countryID: 'US' },
  };
  it('ids and booleans as strings or numbers', () => {
    expect(mapLease(item)).toMatchObject({ externalId: '205', status: 'active', debtorExternalId: '2', lastExternalUpdatedAt: '2025-10-12T23:36:24.000Z' });
    expect(leaseStatus({ primaryLeaseStatusID: '3' })).toBe('ended');
    expect(leaseStatus({ primaryLeaseStatusID: '1' })).toBe('pending');
    expect(leaseStatus({ closedDate: '2025-01-01' })).toBe('ended');
    expect(mapDebtors(item).map((d) => [d.externalId, d.phone, d.email])).toEqual([
      ['1', null, null],
      ['2', '+12165550100', 'y@example.com'],
    ]);
  });
  it('"0.00" strings and open = amount - amountPaid', () => {
    expect(mapBalance(item, '2025-10-15')).toMatchObject({ balanceCents: 0, unpaidRentCents: 0, pastDueTotalCents: 1001, pastDueRentCents: -1001 });
    expect(mapCharges(item)).toEqual([
      expect.objectContaining({ externalId: '9', leaseExternalId: '205', amountCents: 10000, openAmountCents: 7450, dueDate: '2025-10-01', chargeType: 'rent' }),
    ]);
  });
  it('unit -> lease by date', () => {
    const idx = new UnitLeaseIndex();
    idx.add({ lease: { leaseID: '1', unitID: '5', primaryLeaseStatusID: '3', startDate: '2024-01-01', moveOutDate: '2025-06-30' } });
    idx.add({ lease: { leaseID: '2', unitID: '5', primaryLeaseStatusID: '2', startDate: '2025-08-01' } });
    expect(idx.leaseFor('5', '2025-05-01')).toBe('1');
    expect(idx.leaseFor('5', '2025-09-01')).toBe('2');
    expect(idx.leaseFor('5', '2025-07-15')).toBe('2'); // between leases: the active one
    expect(idx.leaseFor('6', '2025-07-15')).toBeNull();
  });
});
