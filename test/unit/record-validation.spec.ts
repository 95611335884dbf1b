import { isValidDate, validatePage } from '../../src/pms-sync/record-validation';
import type { StreamKind } from '../../src/connectors/canonical';

/**
 * Record validation stream by stream: the exact row each validator writes, and the skip reason of
 * each kind of bad field (first/last day of a month, year edges, length limits, flags from the PMS).
 */

const ctx = { currency: 'USD' };
const one = (kind: StreamKind, rec: Record<string, unknown>, c = ctx) => validatePage(kind, [rec], c);
/** The skip reason of a single record, or 'kept'. */
const reason = (kind: StreamKind, rec: Record<string, unknown>) => {
  const v = one(kind, rec);
  return v.rows.length === 1 ? 'kept' : Object.keys(v.skipped).join(',');
};
const row = (kind: StreamKind, rec: Record<string, unknown>, c = ctx) => {
  const v = one(kind, rec, c);
  if (v.rows.length !== 1) throw new Error(`record skipped: ${JSON.stringify(v.skipped)}`);
  return v.rows[0];
};
const nest = (n: number): unknown => (n === 0 ? 'x' : { a: nest(n - 1) });

/**
 * A short test title for a record override: long strings are shown by their length, so a 64 kB case
 * does not make a 64 kB test name (Stryker filters the tests of each mutant by a regular expression
 * built from their names, and V8 refuses one that large).
 */
const label = (over: Record<string, unknown>): string =>
  JSON.stringify(over, (_k, v: unknown) =>
    v === undefined ? 'undefined' : typeof v === 'string' && v.length > 40 ? `<${v.length} x '${v.slice(0, 1)}'>` : v,
  ).slice(0, 120);
/** Adds that title as the first column of an it.each table of [override, expected]. */
const titled = (cases: Array<[Record<string, unknown>, string]>): Array<[string, Record<string, unknown>, string]> =>
  cases.map(([over, expected]) => [label(over), over, expected]);

describe('isValidDate: calendar edges', () => {
  it.each([
    ['2026-03-01', true, 'first of a month'],
    ['2026-03-00', false, 'day 0'],
    ['2026-01-01', true, 'first of January'],
    ['2026-12-01', true, 'first of December'],
    ['2026-12-31', true, 'last of December'],
    ['2026-12-32', false, 'December 32'],
    ['2026-04-30', true, 'last of a 30-day month'],
    ['2026-04-31', false, 'April 31'],
    ['2024-02-29', true, 'leap day'],
    ['2025-02-29', false, 'no leap day'],
    ['2025-02-28', true, 'last of February'],
    ['2026-00-10', false, 'month 0'],
    ['2026-13-01', false, 'month 13'],
    ['1900-01-01', true, 'first day of 1900'],
    ['1899-12-31', false, 'last day of 1899'],
    ['2200-12-31', true, 'last day of 2200'],
    ['2201-01-01', false, 'first day of 2201'],
    ['2026-1-01', false, 'one-digit month'],
    ['2026-01-01T00:00:00Z', false, 'a timestamp'],
    [' 2026-01-01', false, 'leading space'],
    ['x2026-01-01', false, 'text before'],
    ['2026-01-01x', false, 'text after'],
  ])('%s -> %s (%s)', (s, ok) => {
    expect(isValidDate(s)).toBe(ok);
  });

  it('non-strings are not dates', () => {
    expect(isValidDate(20260101)).toBe(false);
    expect(isValidDate(null)).toBe(false);
    expect(isValidDate(new Date('2026-01-01'))).toBe(false);
  });
});

describe('debtors', () => {
  const base = { externalId: 'd1', displayName: 'Ann Lee' };

  it('a full record becomes this row', () => {
    expect(
      row('debtors', {
        externalId: 'd1',
        displayName: 'Ann Lee',
        type: 'company',
        email: 'ann@x.test',
        phone: '+12125550100',
        address: { line1: '1 Main St', state: 'NY' },
        language: 'es',
        timezone: 'America/New_York',
        doNotContact: true,
        doNotCall: true,
        meta: { rentvineId: 7 },
        lastExternalUpdatedAt: '2026-01-02T03:04:05-05:00',
      }),
    ).toEqual({
      external_id: 'd1',
      display_name: 'Ann Lee',
      type: 'company',
      email: 'ann@x.test',
      phone: '+12125550100',
      address: '{"line1":"1 Main St","state":"NY"}',
      language: 'es',
      timezone: 'America/New_York',
      do_not_contact: true,
      do_not_call: true,
      meta: '{"rentvineId":7}',
      contacts: '[{"t":"phone","v":"+12125550100","l":"phone","p":true},{"t":"email","v":"ann@x.test","l":"email","p":true}]',
      last_external_updated_at: '2026-01-02T08:04:05.000Z',
    });
  });

  it('a minimal record: defaults and nulls, not flagged', () => {
    expect(row('debtors', base)).toEqual({
      external_id: 'd1',
      display_name: 'Ann Lee',
      type: 'person',
      email: null,
      phone: null,
      address: null,
      language: null,
      timezone: null,
      do_not_contact: false,
      do_not_call: false,
      meta: null,
      contacts: '[]',
      last_external_updated_at: null,
    });
  });

  it('do-not-call and do-not-contact from the PMS are kept, each on its own', () => {
    expect(row('debtors', { ...base, doNotCall: true })).toMatchObject({ do_not_call: true, do_not_contact: false });
    expect(row('debtors', { ...base, doNotContact: true })).toMatchObject({ do_not_call: false, do_not_contact: true });
    // only a real boolean true flags: the connectors normalize vendor spellings before this point
    expect(row('debtors', { ...base, doNotCall: 'true', doNotContact: 1 })).toMatchObject({ do_not_call: false, do_not_contact: false });
    expect(row('debtors', { ...base, doNotCall: false, doNotContact: false })).toMatchObject({ do_not_call: false, do_not_contact: false });
  });

  it.each(titled([
    [{ displayName: undefined }, 'missing_required'],
    [{ displayName: '' }, 'missing_required'],
    [{ displayName: null }, 'missing_required'],
    [{ displayName: { first: 'A' } }, 'invalid_text'],
    [{ displayName: 'x'.repeat(256) }, 'kept'],
    [{ displayName: 'x'.repeat(257) }, 'string_too_long'],
    [{ phone: '1'.repeat(64) }, 'kept'],
    [{ phone: '1'.repeat(65) }, 'string_too_long'],
    [{ language: 'x'.repeat(16) }, 'kept'],
    [{ language: 'x'.repeat(17) }, 'string_too_long'],
    [{ timezone: 'x'.repeat(65) }, 'string_too_long'],
    [{ email: 'x'.repeat(257) }, 'string_too_long'],
    [{ type: 'robot' }, 'invalid_enum'],
    [{ type: 3 }, 'invalid_enum'],
    [{ type: null }, 'kept'],
    [{ lastExternalUpdatedAt: 'yesterday' }, 'invalid_timestamp'],
    [{ lastExternalUpdatedAt: 1767225600000 }, 'invalid_timestamp'],
    [{ lastExternalUpdatedAt: '1899-12-31T23:59:59Z' }, 'invalid_timestamp'],
    [{ lastExternalUpdatedAt: '1900-01-01T00:00:00Z' }, 'kept'],
    [{ lastExternalUpdatedAt: '2200-12-31T23:59:59Z' }, 'kept'],
    [{ lastExternalUpdatedAt: '2201-01-01T00:00:00Z' }, 'invalid_timestamp'],
    [{ lastExternalUpdatedAt: '' }, 'kept'],
    [{ meta: nest(20) }, 'kept'],
    [{ meta: nest(21) }, 'invalid_text'],
    [{ meta: { tags: ['ok', 'a\u0000'] } }, 'invalid_text'],
    [{ meta: { ['k\u0000']: 1 } }, 'invalid_text'],
    [{ meta: { n: 1, b: true, z: null, list: [1, null, 'ok'] } }, 'kept'],
    [{ meta: 'x'.repeat(64 * 1024 - 2) }, 'kept'], // JSON text exactly 64 kB
    [{ meta: 'x'.repeat(64 * 1024 - 1) }, 'string_too_long'],
    [{ displayName: '\u0000' }, 'invalid_text'],
    [{ displayName: '\ud800' }, 'invalid_text'],
    [{ displayName: '\udc00' }, 'invalid_text'],
    [{ displayName: 'a\udc00\ud800b' }, 'invalid_text'], // reversed pair: two lone halves
    [{ displayName: 'a\ud800b' }, 'invalid_text'],
    [{ displayName: 'a\udfffb' }, 'invalid_text'],
    [{ displayName: 'house \ud83c\udfe0' }, 'kept'],
    [{ displayName: '\udbff\udfff' }, 'kept'],
  ]))('%s -> %s', (_title, over, expected) => {
    expect(reason('debtors', { ...base, ...over })).toBe(expected);
  });

  it('the type defaults to person when absent or null, and keeps a valid value', () => {
    expect(row('debtors', { ...base, type: null }).type).toBe('person');
    expect(row('debtors', { ...base, type: 'person' }).type).toBe('person');
    expect(row('debtors', { ...base, type: 'company' }).type).toBe('company');
  });

  it('numbers and booleans are kept as text; an empty string is null', () => {
    expect(row('debtors', { ...base, phone: 2125550100, language: true, email: '' })).toMatchObject({ phone: '2125550100', language: 'true', email: null });
  });

  it('contacts: value and label limits, primary only when true, an empty list stays empty', () => {
    const contacts = [
      { type: 'email', value: `${'x'.repeat(505)}@x.test`, label: 'L'.repeat(64), isPrimary: 'true' },
      { type: 'email', value: `${'y'.repeat(506)}@x.test`, label: 'too long' },
      { type: 'phone', value: '+12125550100', label: 'a\u0000', isPrimary: true },
      { type: 'phone', value: '+12125550101', label: 7 },
      { type: 'phone', value: 12125550102 },
      { type: 7, value: 'x' },
      'not an object',
      { type: 'postal', value: '   ' },
      { type: 'postal', value: 'a\ud800' },
    ];
    expect(JSON.parse(row('debtors', { ...base, phone: '+19999999999', contacts }).contacts as string)).toEqual([
      { t: 'email', v: `${'x'.repeat(505)}@x.test`, l: 'L'.repeat(64), p: false },
      { t: 'phone', v: '+12125550100', l: null, p: true },
      { t: 'phone', v: '+12125550101', l: null, p: false },
    ]);
    expect(row('debtors', { ...base, phone: '+12125550100', contacts: [] }).contacts).toBe('[]');
    // not a list: the debtor's own phone and email
    expect(JSON.parse(row('debtors', { ...base, phone: '+12125550100', contacts: { type: 'email', value: 'a@b.c' } }).contacts as string)).toEqual([
      { t: 'phone', v: '+12125550100', l: 'phone', p: true },
    ]);
    // the same value under two types is two contacts
    expect(JSON.parse(row('debtors', { ...base, contacts: [{ type: 'phone', value: '123' }, { type: 'postal', value: '123' }] }).contacts as string)).toHaveLength(2);
  });
});

describe('portfolios, properties, units', () => {
  it('portfolio row', () => {
    expect(row('portfolios', { externalId: 7, name: 'North', meta: { a: 1 }, lastExternalUpdatedAt: '2026-05-01T00:00:00Z' })).toEqual({
      external_id: '7',
      name: 'North',
      meta: '{"a":1}',
      last_external_updated_at: '2026-05-01T00:00:00.000Z',
    });
    expect(row('portfolios', { externalId: 'p' })).toEqual({ external_id: 'p', name: null, meta: null, last_external_updated_at: null });
    expect(reason('portfolios', { externalId: 'p', name: 'n'.repeat(257) })).toBe('string_too_long');
    expect(reason('portfolios', { externalId: 'p', lastExternalUpdatedAt: 'soon' })).toBe('invalid_timestamp');
  });

  it('property row', () => {
    expect(row('properties', { externalId: 'pr1', portfolioExternalId: 7, name: 'Elm', address: { city: 'Denver' }, lastExternalUpdatedAt: '2026-05-01T12:00:00+02:00' })).toEqual({
      external_id: 'pr1',
      portfolio_ext: '7',
      name: 'Elm',
      address: '{"city":"Denver"}',
      last_external_updated_at: '2026-05-01T10:00:00.000Z',
    });
    expect(row('properties', { externalId: 'pr1' })).toEqual({ external_id: 'pr1', portfolio_ext: null, name: null, address: null, last_external_updated_at: null });
    expect(reason('properties', { externalId: 'pr1', portfolioExternalId: 'p'.repeat(257) })).toBe('string_too_long');
    expect(reason('properties', { externalId: 'pr1', address: { line1: 'a\u0000' } })).toBe('invalid_text');
  });

  it('unit row', () => {
    expect(row('units', { externalId: 'u1', propertyExternalId: 'pr1', unitNumber: 12, lastExternalUpdatedAt: '2026-05-01T00:00:00Z' })).toEqual({
      external_id: 'u1',
      property_ext: 'pr1',
      unit_number: '12',
      last_external_updated_at: '2026-05-01T00:00:00.000Z',
    });
    expect(reason('units', { externalId: 'u1', unitNumber: 'u'.repeat(64) })).toBe('kept');
    expect(reason('units', { externalId: 'u1', unitNumber: 'u'.repeat(65) })).toBe('string_too_long');
    expect(reason('units', { externalId: 'u1', propertyExternalId: { id: 1 } })).toBe('invalid_text');
  });
});

describe('leases', () => {
  const base = { externalId: 'l1', debtorExternalId: 'd1', status: 'active' };

  it('lease row', () => {
    expect(
      row('leases', {
        externalId: 'l1',
        debtorExternalId: 'd1',
        propertyExternalId: 'pr1',
        unitExternalId: 'u1',
        leaseNumber: 'L-1',
        status: 'ended',
        moveInDate: '2025-12-01',
        moveOutDate: '2026-12-31',
        inCollections: true,
        lastExternalUpdatedAt: '2026-01-01T00:00:00Z',
      }),
    ).toEqual({
      external_id: 'l1',
      debtor_ext: 'd1',
      property_ext: 'pr1',
      unit_ext: 'u1',
      lease_number: 'L-1',
      status: 'ended',
      move_in_date: '2025-12-01',
      move_out_date: '2026-12-31',
      in_collections: true,
      last_external_updated_at: '2026-01-01T00:00:00.000Z',
    });
    expect(row('leases', base)).toMatchObject({ property_ext: null, unit_ext: null, lease_number: null, move_in_date: null, move_out_date: null, in_collections: false });
    expect(row('leases', { ...base, status: 'pending', moveInDate: '' }).move_in_date).toBeNull();
  });

  it.each(titled([
    [{ debtorExternalId: undefined }, 'missing_relation_id'],
    [{ debtorExternalId: '' }, 'missing_relation_id'],
    [{ status: undefined }, 'invalid_enum'],
    [{ status: null }, 'invalid_enum'],
    [{ status: 'ACTIVE' }, 'invalid_enum'],
    [{ moveInDate: '2026-02-30' }, 'invalid_date'],
    [{ moveInDate: 20260101 }, 'invalid_date'],
    [{ moveOutDate: '2026-13-01' }, 'invalid_date'],
    [{ leaseNumber: 'n'.repeat(65) }, 'string_too_long'],
    [{ unitExternalId: 'u'.repeat(257) }, 'string_too_long'],
    [{ externalId: 'i'.repeat(256) }, 'kept'],
    [{ externalId: 'i'.repeat(257) }, 'id_too_long'],
    [{ externalId: '   ' }, 'missing_id'],
    [{ externalId: null }, 'missing_id'],
    [{ externalId: true }, 'missing_id'],
    [{ externalId: { id: 1 } }, 'missing_id'],
    [{ externalId: 'l\u0000' }, 'invalid_text'],
    [{ externalId: 0 }, 'kept'],
  ]))('%s -> %s', (_title, over, expected) => {
    expect(reason('leases', { ...base, ...over })).toBe(expected);
  });
});

describe('charges', () => {
  const base = { externalId: 'c1', leaseExternalId: 'l1', amountCents: 1000, dueDate: '2026-12-01' };

  it('charge row (currency in upper case, else the account currency)', () => {
    expect(
      row('charges', {
        ...base,
        chargeType: 'rent',
        openAmountCents: -250,
        currency: 'cad',
        postDate: '2026-11-30',
        description: 'December rent',
        lastExternalUpdatedAt: '2026-11-30T10:00:00Z',
      }),
    ).toEqual({
      external_id: 'c1',
      lease_ext: 'l1',
      charge_type: 'rent',
      amount_cents: 1000,
      open_amount_cents: -250,
      currency: 'CAD',
      due_date: '2026-12-01',
      post_date: '2026-11-30',
      description: 'December rent',
      last_external_updated_at: '2026-11-30T10:00:00.000Z',
    });
    expect(row('charges', base, { currency: 'MXN' })).toMatchObject({ currency: 'MXN', open_amount_cents: null, post_date: null, charge_type: null });
    expect(row('charges', { ...base, currency: '' }, { currency: 'EUR' }).currency).toBe('EUR');
    expect(row('charges', { ...base, currency: null }, { currency: 'EUR' }).currency).toBe('EUR');
    expect(row('charges', { ...base, amountCents: 0 }).amount_cents).toBe(0);
  });

  it.each(titled([
    [{ amountCents: undefined }, 'invalid_amount'],
    [{ amountCents: null }, 'invalid_amount'],
    [{ amountCents: '1000' }, 'invalid_amount'],
    [{ amountCents: Number.MAX_SAFE_INTEGER + 1 }, 'invalid_amount'],
    [{ amountCents: NaN }, 'invalid_amount'],
    [{ openAmountCents: 1.5 }, 'invalid_amount'],
    [{ dueDate: undefined }, 'invalid_date'],
    [{ dueDate: '' }, 'invalid_date'],
    [{ dueDate: null }, 'invalid_date'],
    [{ dueDate: '2026-12-32' }, 'invalid_date'],
    [{ postDate: 'Dec 1' }, 'invalid_date'],
    [{ leaseExternalId: undefined }, 'missing_relation_id'],
    [{ currency: 'US' }, 'invalid_enum'],
    [{ currency: 'USDT' }, 'invalid_enum'],
    [{ currency: 'U5D' }, 'invalid_enum'],
    [{ currency: 840 }, 'invalid_enum'],
    [{ chargeType: 't'.repeat(65) }, 'string_too_long'],
    [{ description: 'd'.repeat(4096) }, 'kept'],
    [{ description: 'd'.repeat(4097) }, 'string_too_long'],
  ]))('%s -> %s', (_title, over, expected) => {
    expect(reason('charges', { ...base, ...over })).toBe(expected);
  });
});

describe('payments', () => {
  const base = { externalId: 'pay1', amountCents: 5000, paidAt: '2026-12-01T09:30:00-05:00' };

  it('payment row with the charges it paid', () => {
    expect(
      row('payments', { ...base, leaseExternalId: 'l1', currency: 'usd', paymentMethod: 'ach', appliedToCharges: [{ chargeId: 'c1', amountCents: 3000 }, { chargeId: 9, amountCents: 2000 }] }),
    ).toEqual({
      external_id: 'pay1',
      lease_ext: 'l1',
      amount_cents: 5000,
      currency: 'USD',
      paid_at: '2026-12-01T14:30:00.000Z',
      payment_method: 'ach',
      applied_to_charges: '[{"chargeId":"c1","amountCents":3000},{"chargeId":"9","amountCents":2000}]',
      last_external_updated_at: null,
    });
    expect(row('payments', base)).toMatchObject({ lease_ext: null, applied_to_charges: null, payment_method: null, currency: 'USD' });
    expect(row('payments', { ...base, appliedToCharges: [] }).applied_to_charges).toBe('[]');
  });

  it.each(titled([
    [{ paidAt: undefined }, 'invalid_timestamp'],
    [{ paidAt: '' }, 'invalid_timestamp'],
    [{ paidAt: 'not a time' }, 'invalid_timestamp'],
    [{ paidAt: 1764600000000 }, 'invalid_timestamp'],
    [{ amountCents: undefined }, 'invalid_amount'],
    [{ amountCents: 12.5 }, 'invalid_amount'],
    [{ appliedToCharges: { chargeId: 'c1', amountCents: 1 } }, 'invalid_amount'],
    [{ appliedToCharges: ['c1'] }, 'invalid_amount'],
    [{ appliedToCharges: [null] }, 'invalid_amount'],
    [{ appliedToCharges: [{ chargeId: 'c1' }] }, 'invalid_amount'],
    [{ appliedToCharges: [{ amountCents: 1 }] }, 'missing_id'],
    [{ paymentMethod: 'm'.repeat(65) }, 'string_too_long'],
  ]))('%s -> %s', (_title, over, expected) => {
    expect(reason('payments', { ...base, ...over })).toBe(expected);
  });
});

describe('balances', () => {
  it('balance row keyed by the lease', () => {
    expect(
      row('balances', { leaseExternalId: 'l1', balanceCents: 120000, pastDueTotalCents: 90000, pastDueRentCents: 80000, unpaidRentCents: 100000, buckets: { '0-30': 30000 }, asOfDate: '2026-12-31' }),
    ).toEqual({
      external_id: 'l1',
      balance_cents: 120000,
      past_due_total_cents: 90000,
      past_due_rent_cents: 80000,
      unpaid_rent_cents: 100000,
      buckets: '{"0-30":30000}',
      as_of_date: '2026-12-31',
    });
    expect(row('balances', { leaseExternalId: 5, balanceCents: -100 })).toEqual({
      external_id: '5',
      balance_cents: -100,
      past_due_total_cents: null,
      past_due_rent_cents: null,
      unpaid_rent_cents: null,
      buckets: null,
      as_of_date: null,
    });
  });

  it.each(titled([
    [{ balanceCents: undefined }, 'invalid_amount'],
    [{ balanceCents: '1' }, 'invalid_amount'],
    [{ pastDueTotalCents: 0.5 }, 'invalid_amount'],
    [{ asOfDate: '2026-02-29' }, 'invalid_date'],
    [{ leaseExternalId: undefined, externalId: 'x' }, 'missing_id'],
    [{ buckets: ['\u0000'] }, 'invalid_text'],
  ]))('%s -> %s', (_title, over, expected) => {
    expect(reason('balances', { leaseExternalId: 'l1', balanceCents: 1, ...over })).toBe(expected);
  });
});

describe('validatePage: counts and samples', () => {
  it('samples the ids of the first 20 skipped records only, cut to 64 characters', () => {
    const bad = Array.from({ length: 25 }, (_, i) => ({ externalId: `x${i}`, displayName: '' }));
    const v = validatePage('debtors', bad, ctx);
    expect(v.skipped).toEqual({ missing_required: 25 });
    expect(v.skippedSample).toHaveLength(20);
    expect(v.skippedSample[19]).toEqual({ id: 'x19', reason: 'missing_required' });
    const long = validatePage('debtors', [{ externalId: 'y'.repeat(100), displayName: '' }], ctx);
    expect(long.skippedSample).toEqual([{ id: 'y'.repeat(64), reason: 'missing_required' }]);
  });

  it('sample ids: numbers as text, balances by lease id, unusable ids as null', () => {
    expect(validatePage('charges', [{ externalId: 42 }], ctx).skippedSample).toEqual([{ id: '42', reason: 'missing_relation_id' }]);
    expect(validatePage('balances', [{ leaseExternalId: 'l9', externalId: 'nope' }], ctx).skippedSample).toEqual([{ id: 'l9', reason: 'invalid_amount' }]);
    expect(validatePage('debtors', [{ externalId: { a: 1 } }], ctx).skippedSample).toEqual([{ id: null, reason: 'missing_id' }]);
    expect(validatePage('debtors', [{ externalId: 'a\u0000' }], ctx).skippedSample).toEqual([{ id: null, reason: 'invalid_text' }]);
    expect(validatePage('debtors', [[1], 'str', 7, null], ctx)).toEqual({
      rows: [],
      skipped: { not_an_object: 4 },
      skippedSample: [
        { id: null, reason: 'not_an_object' },
        { id: null, reason: 'not_an_object' },
        { id: null, reason: 'not_an_object' },
        { id: null, reason: 'not_an_object' },
      ],
    });
  });

  it('duplicates keep the first occurrence; counts add up per reason', () => {
    const v = validatePage(
      'units',
      [
        { externalId: 'u1', unitNumber: 'A' },
        { externalId: 'u1', unitNumber: 'B' },
        { externalId: 'u2', unitNumber: 'C' },
        { externalId: 'u2', unitNumber: 'D' },
        { externalId: '', unitNumber: 'E' },
      ],
      ctx,
    );
    expect(v.rows.map((r) => r.unit_number)).toEqual(['A', 'C']);
    expect(v.skipped).toEqual({ duplicate_in_page: 2, missing_id: 1 });
  });

  it('an unexpected error (not a bad field) is not swallowed', () => {
    const rec = {
      get externalId(): string {
        throw new TypeError('getter exploded');
      },
    };
    expect(() => validatePage('portfolios', [rec], ctx)).toThrow('getter exploded');
  });
});
