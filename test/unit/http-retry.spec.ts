import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, sleep } from '../../src/connectors/http/retry';
import { address, maxIso, toBool, toCents, toCountry, toDate, toEmail, toId, toPhone, toText, toUtcIso, utcDate } from '../../src/connectors/http/normalize';

/** Retry timing and the vendor-value normalizers, value by value (imports nothing heavier than them). */

describe('retry: Retry-After', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    ['0', 0],
    ['2', 2000],
    ['10', 10_000],
    ['120.5', 120_500],
    ['0.25', 250],
    ['1.0004', 1000],
    [' 7 ', 7000],
    [['3', '9'], 3000],
  ])('%j seconds -> %d ms', (v, ms) => {
    expect(parseRetryAfter(v as string | string[], now)).toBe(ms);
  });

  it('an HTTP date is the time left until it, never negative', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it.each([[undefined], [null], [''], ['   '], [[]], ['soon'], ['1e3'], ['2 s']])('%j -> null', (v) => {
    expect(parseRetryAfter(v as string, now)).toBeNull();
  });

  it('defaults: 5 retries, 250 ms first step, 10 s cap, 120 s longest Retry-After', () => {
    expect(DEFAULT_RETRY).toEqual({ retries: 5, baseDelayMs: 250, maxDelayMs: 10_000, maxRetryAfterMs: 120_000 });
  });
});

describe('retry: backoff with full jitter', () => {
  const p = { baseDelayMs: 100, maxDelayMs: 1000 };
  it.each([
    [0, 0, 50],
    [0, 1, 100],
    [0, 0.5, 75],
    [1, 1, 200],
    [2, 0.5, 225], // 50 + 0.5 * (400 - 50)
    [3, 1, 800],
    [4, 1, 1000], // 1600 capped
    [10, 0, 50],
  ])('attempt %d, random %d -> %d ms', (attempt, r, ms) => {
    expect(backoffDelay(attempt, p, () => r)).toBe(ms);
  });
  it('the floor never exceeds a cap below half the base', () => {
    expect(backoffDelay(0, { baseDelayMs: 100, maxDelayMs: 30 }, () => 0)).toBe(30);
    expect(backoffDelay(0, { baseDelayMs: 100, maxDelayMs: 30 }, () => 1)).toBe(30);
  });
  it('uses Math.random by default, inside the bounds', () => {
    for (let i = 0; i < 20; i++) {
      const ms = backoffDelay(2, p);
      expect(ms).toBeGreaterThanOrEqual(50);
      expect(ms).toBeLessThanOrEqual(400);
    }
  });
});

describe('retry: sleep', () => {
  it('resolves at once for 0 or less, even when already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(sleep(0, ac.signal)).resolves.toBeUndefined();
    await expect(sleep(-5)).resolves.toBeUndefined();
  });
  it('waits about the time asked', async () => {
    const t0 = Date.now();
    await sleep(30);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
  });
  it('rejects at once with the signal reason when already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('shutting down'));
    await expect(sleep(10_000, ac.signal)).rejects.toThrow('shutting down');
  });
  it('an abort while sleeping rejects with the reason and stops the timer', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const p = sleep(10_000, ac.signal);
    setTimeout(() => ac.abort(new Error('bye')), 10);
    await expect(p).rejects.toThrow('bye');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it('a signal aborted without a reason rejects with "aborted", before or during the sleep', async () => {
    const before = { aborted: true, reason: undefined } as unknown as AbortSignal;
    await expect(sleep(10_000, before)).rejects.toThrow('aborted');
    let listener: (() => void) | undefined;
    const options: unknown[] = [];
    const during = {
      aborted: false,
      reason: undefined,
      addEventListener: (_type: string, l: () => void, o: unknown) => {
        listener = l;
        options.push(o);
      },
      removeEventListener: () => undefined,
    } as unknown as AbortSignal;
    const p = sleep(10_000, during);
    listener!();
    await expect(p).rejects.toThrow('aborted');
    // the listener goes away after firing once
    expect(options).toEqual([{ once: true }]);
  });

  it('a signal that is never aborted lets the sleep finish and forgets its listener', async () => {
    const ac = new AbortController();
    const removed: string[] = [];
    const orig = ac.signal.removeEventListener.bind(ac.signal);
    ac.signal.removeEventListener = ((type: string, l: Parameters<AbortSignal['removeEventListener']>[1]) => {
      removed.push(type);
      orig(type, l);
    }) as typeof ac.signal.removeEventListener;
    await expect(sleep(5, ac.signal)).resolves.toBeUndefined();
    expect(removed).toEqual(['abort']);
  });
});

describe('normalize: money edge cases', () => {
  it.each([
    [12.34, 1234],
    [-12.34, -1234],
    ['+12.34', 1234],
    ['12.345', 1235],
    ['12.344', 1234],
    ['12.3449', 1234],
    ['12.', 1200],
    ['.05', 5],
    [' $1,000.10 ', 100010],
    ['(0.50)', -50],
    ['-0.00', 0],
    ['0.004', 0],
    [1e21, 100000000000000000000000],
    [2.5e-3, 0],
    [5e-3, 1],
  ])('%j -> %d', (v, cents) => {
    const out = toCents(v);
    if (Number.isSafeInteger(cents)) expect(out).toBe(cents);
    else expect(out).toBeNaN();
  });
  it.each([['.'], ['-'], ['+'], ['1-2'], ['12a'], ['a12'], [NaN], [-Infinity], [true], [[1]]])('%j -> NaN', (v) => {
    expect(toCents(v)).toBeNaN();
  });
  it('"-0" is 0, not -0', () => {
    expect(Object.is(toCents('-0'), 0)).toBe(true);
    expect(Object.is(toCents('-0.001'), 0)).toBe(true);
  });
  it('whitespace-only is absent', () => {
    expect(toCents('   ')).toBeNull();
  });
  it('null and undefined are absent (null), not unusable (NaN)', () => {
    expect(toCents(null)).toBeNull();
    expect(toCents(undefined)).toBeNull();
  });
  it('one or two decimals are tenths and hundredths', () => {
    expect(toCents('12.5')).toBe(1250);
    expect(toCents('0.1')).toBe(10);
    expect(toCents(0.5)).toBe(50);
  });
  it('numbers JavaScript prints with an exponent are read in full, others as printed', () => {
    expect(toCents(1e-7)).toBe(0); // printed "1e-7"
    expect(toCents(-2.5e-7)).toBe(0);
    // printed in full: rounding it to 12 places first would carry into the cents (0.005 -> 1 cent)
    expect(toCents(0.0049999999999999)).toBe(0);
  });
  it('amounts past the largest exact integer of cents are unusable, the largest one is not', () => {
    expect(toCents('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(toCents('90071992547409.92')).toBeNaN();
    expect(toCents('-90071992547409.91')).toBe(-Number.MAX_SAFE_INTEGER);
  });
});

describe('normalize: ids, booleans, dates', () => {
  it('ids', () => {
    expect(toId(0)).toBe('0');
    expect(toId(-3)).toBe('-3');
    expect(toId('  ')).toBeNull();
    expect(toId(undefined)).toBeNull();
    expect(toId(true)).toBe('');
    expect(toId(NaN)).toBe('');
    expect(toId(null)).toBeNull();
    expect(toId(' 12 ')).toBe('12');
    expect(toId(12)).toBe('12');
  });
  it('booleans', () => {
    expect(toBool(' Y ')).toBe(true);
    expect(toBool('N')).toBe(false);
    expect(toBool(' No ')).toBe(false);
    expect(toBool(-1)).toBeNull();
    expect(toBool('')).toBeNull();
  });
  it('booleans: real booleans, 1 and 0, and nothing else that is not text', () => {
    expect(toBool(true)).toBe(true);
    expect(toBool(false)).toBe(false);
    expect(toBool(1)).toBe(true);
    expect(toBool(0)).toBe(false);
    expect(toBool(2)).toBeNull();
    expect(toBool(null)).toBeNull();
    expect(toBool(undefined)).toBeNull();
    expect(toBool({ value: true })).toBeNull();
    expect(toBool(['1'])).toBeNull();
  });
  it.each([
    ['2026-12-31', '2026-12-31'],
    ['2026-01-01T23:00:00-05:00', '2026-01-01'],
    [' 2026-03-01 ', '2026-03-01'],
    ['2026-04-31', '2026-04-31'],
    ['2026-13-01', '2026-13-01'],
    ['2026-00-10', '2026-00-10'],
    ['2026-01-00', '2026-01-00'],
    ['12/01/2026', '12/01/2026'],
    ['0000-00-00 00:00:00', null],
    ['', null],
    ['  ', null],
    [undefined, null],
  ])('toDate(%j) -> %j', (v, out) => {
    expect(toDate(v)).toBe(out);
  });
  it('a number is read as text', () => {
    expect(toDate(20261231)).toBe('20261231');
  });
  it('null is absent', () => {
    expect(toDate(null)).toBeNull();
  });
  it.each([
    ['2026-04-31T10:00:00Z', 'day 31 of a 30-day month'],
    ['2026-02-29 00:00:00', 'no leap day in 2026'],
    ['2026-13-01 10:00:00', 'month 13 (its day 1 would still match)'],
    ['2026-00-01 10:00:00', 'month 0'],
    ['0050-01-01 10:00:00', 'year 50 (Date.UTC reads 0-99 as 1900-1999)'],
    ['x2026-01-01T10:00:00Z', 'text before the date'],
  ])('a date-time with an impossible or misplaced date is kept as raw text: %s (%s)', (v) => {
    expect(toDate(v)).toBe(v);
  });
  it('a date-time with a real date gives its date part', () => {
    expect(toDate('2024-02-29T23:59:59-05:00')).toBe('2024-02-29');
    expect(toDate('0100-01-01 00:00:00')).toBe('0100-01-01');
  });
  it.each([
    ['2025-10-12 23:36:24', '2025-10-12T23:36:24.000Z'],
    ['2025-10-12T23:36:24', '2025-10-12T23:36:24.000Z'],
    ['2025-10-12T23:36:24z', '2025-10-12T23:36:24.000Z'],
    ['2025-10-12T23:36:24-0500', '2025-10-13T04:36:24.000Z'],
    ['2025-10-12T23:36:24+05:30', '2025-10-12T18:06:24.000Z'],
    ['2025-12-31', '2025-12-31T00:00:00.000Z'],
    ['  2025-12-31  ', '2025-12-31T00:00:00.000Z'],
    ['0000-00-00 00:00:00', null],
    ['', null],
    [null, null],
    ['2025-13-45 10:00:00', null],
  ])('toUtcIso(%j) -> %j', (v, out) => {
    expect(toUtcIso(v)).toBe(out);
  });
  it.each([
    ['2025-10-12 23:36:24 ', '2025-10-12T23:36:24.000Z'],
    [' 2025-10-12 23:36:24', '2025-10-12T23:36:24.000Z'],
    ['2025-10-12T23:36:24+05:30\n', '2025-10-12T18:06:24.000Z'],
    ['\t2025-12-31', '2025-12-31T00:00:00.000Z'],
  ])('toUtcIso(%j): surrounding whitespace is ignored -> %j', (v, out) => {
    expect(toUtcIso(v)).toBe(out);
  });
  it('a time without a zone is handed to the parser as ISO-8601 UTC, so the server zone never matters', () => {
    // Date.parse reads an ISO date-time without an offset as local time: on a server outside UTC a missing "Z"
    // would shift every Rentvine timestamp by the server's offset (the tests run in UTC, so look at the text parsed).
    const parse = jest.spyOn(Date, 'parse');
    try {
      const cases: [string, string][] = [
        ['2025-10-12 23:36:24', '2025-10-12T23:36:24Z'],
        ['2025-10-12T23:36:24', '2025-10-12T23:36:24Z'],
        ['2025-12-31', '2025-12-31T00:00:00Z'],
        ['2025-10-12T23:36:24z', '2025-10-12T23:36:24z'],
        ['2025-10-12T23:36:24-0500', '2025-10-12T23:36:24-0500'],
        ['2025-10-12T23:36:24+05:30', '2025-10-12T23:36:24+05:30'],
      ];
      for (const [given, parsed] of cases) {
        parse.mockClear();
        toUtcIso(given);
        expect(parse.mock.calls).toEqual([[parsed]]);
      }
    } finally {
      parse.mockRestore();
    }
  });
});

describe('normalize: text, e-mail, country, phone, address', () => {
  it('text', () => {
    expect(toText('  hi  ')).toBe('hi');
    expect(toText(12)).toBe('12');
    expect(toText('   ')).toBeNull();
    expect(toText(null)).toBeNull();
    expect(toText(undefined)).toBeNull();
    expect(toText(true)).toBeNull();
    expect(toText({ a: 1 })).toBeNull();
    expect(toText('abcdef', 3)).toBe('abc');
    expect(toText('ab cdef', 3)).toBe('ab');
    expect(toText('abc', 3)).toBe('abc');
    expect(toText('abcd')).toBe('abcd');
  });
  it('e-mail', () => {
    expect(toEmail('a@b')).toBe('a@b');
    expect(toEmail(' ann.lee@example.com ')).toBe('ann.lee@example.com');
    expect(toEmail('a b@c.d')).toBeNull();
    expect(toEmail('@c.d')).toBeNull();
    expect(toEmail('a@')).toBeNull();
    expect(toEmail('a@b@c')).toBeNull();
    expect(toEmail('x a@b.c')).toBeNull();
    expect(toEmail('a@b.c y')).toBeNull();
    expect(toEmail(null)).toBeNull();
  });
  it('country', () => {
    expect(toCountry(' United States ')).toBe('US');
    expect(toCountry('U.S.A.')).toBe('US');
    expect(toCountry('Mexico')).toBe('MX');
    expect(toCountry('Canada')).toBe('CA');
    expect(toCountry('USA')).toBe('US');
    expect(toCountry('Puerto Rico')).toBe('PR');
    expect(toCountry('United Kingdom')).toBe('GB');
    expect(toCountry('ca')).toBe('CA');
    expect(toCountry('USAA')).toBe('USAA');
    expect(toCountry('Narnia')).toBe('Narnia');
    expect(toCountry('x1')).toBe('x1');
    expect(toCountry('')).toBeNull();
    expect(toCountry(null)).toBeNull();
  });
  it('phone in the country of the address, US when unknown or not a code', () => {
    expect(toPhone('020 7946 0018', 'GB')).toBe('+442079460018');
    expect(toPhone('020 7946 0018', 'gb')).toBeNull(); // lower case: not a code, read as US
    expect(toPhone('020 7946 0018', 'GBR')).toBeNull();
    expect(toPhone('(212) 555-0100', null)).toBe('+12125550100');
    expect(toPhone('(212) 555-0100', 'XX')).toBeNull();
    // a country that is not a two-letter code is not passed on: the number is read as US
    expect(toPhone('(212) 555-0100', 'United States')).toBe('+12125550100');
    expect(toPhone('(212) 555-0100', 'USA')).toBe('+12125550100');
    expect(toPhone('(212) 555-0100', 'xUS')).toBe('+12125550100');
    expect(toPhone('   ')).toBeNull();
  });
  it('address: trimmed parts, null when every part is empty', () => {
    expect(address({ line1: ' 1 Main St ', city: '', state: 'CO' })).toEqual({ line1: '1 Main St', city: null, state: 'CO' });
    expect(address({ line1: '', city: '  ', state: null })).toBeNull();
    expect(address({})).toBeNull();
    expect(address({ postalCode: 80202 })).toEqual({ postalCode: '80202' });
  });
  it('maxIso and utcDate', () => {
    expect(maxIso([])).toBeNull();
    expect(maxIso([null, undefined, ''])).toBeNull();
    expect(maxIso(['2026-01-02T00:00:00Z', null, '2026-03-01T00:00:00Z', '2026-02-01T00:00:00Z'])).toBe('2026-03-01T00:00:00Z');
    expect(maxIso(['2026-03-01T00:00:00Z', '2026-01-01T00:00:00Z'])).toBe('2026-03-01T00:00:00Z');
    expect(utcDate(new Date('2026-12-31T23:59:59-05:00'))).toBe('2027-01-01');
    expect(utcDate()).toBe(new Date().toISOString().slice(0, 10));
  });
});
