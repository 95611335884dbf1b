import { maskPhoneForRecord, nanpAreaCode, phoneCountries, toE164 } from '../../src/common/phone';

/** Phone numbers: E.164 or null (never a guess), the NANP area code, the countries a number may be in. */

describe('toE164', () => {
  it.each([
    ['(212) 456-7890', '+12124567890'],
    ['  212.456.7890  ', '+12124567890'],
    ['+1 212 456 7890', '+12124567890'],
    ['1-212-456-7890', '+12124567890'],
    ['+44 20 7946 0018', '+442079460018'],
  ])('%j -> %s', (raw, e164) => {
    expect(toE164(raw)).toBe(e164);
  });

  it.each([[null], [undefined], [''], ['   '], ['12345'], ['555-0199'], ['+1 212 456 789'], ['not a phone']])('%j -> null', (raw) => {
    expect(toE164(raw as string | null | undefined)).toBeNull();
  });

  it('parses national numbers in the given country (US by default)', () => {
    expect(toE164('020 7946 0018', 'GB')).toBe('+442079460018');
    expect(toE164('020 7946 0018')).toBeNull();
    expect(toE164('(416) 555-0123', 'CA')).toBe('+14165550123');
  });

  it('surrounding whitespace does not count against the 250-character input limit', () => {
    expect(toE164(`2124567890${' '.repeat(250)}`)).toBe('+12124567890');
    expect(toE164(`${' '.repeat(250)}(212) 456-7890`)).toBe('+12124567890');
  });

  it('the limit counts only the text given: the default country is passed beside it, not in front of it', () => {
    expect(toE164(`${'x'.repeat(240)}2124567890`)).toBe('+12124567890');
    expect(toE164(`${'x'.repeat(240)}2079460018`, 'GB')).toBe('+442079460018');
    expect(toE164(`${'x'.repeat(241)}2124567890`)).toBeNull();
  });
});

describe('nanpAreaCode', () => {
  it.each([
    ['+12124567890', '212'],
    ['+18004567890', '800'],
    ['+442079460018', null],
    ['+1212456789', null],
    ['+121245678901', null],
    ['x+12124567890', null],
    ['12124567890', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j -> %j', (e164, ac) => {
    expect(nanpAreaCode(e164)).toBe(ac);
  });
});

describe('phoneCountries', () => {
  it('the country libphonenumber identifies', () => {
    expect(phoneCountries('+12124567890')).toEqual(['US']);
    expect(phoneCountries('+14165550123')).toEqual(['CA']);
    expect(phoneCountries('+16714567890')).toEqual(['GU']);
    expect(phoneCountries('+442079460018')).toEqual(['GB']);
  });
  it('else every country sharing the calling code', () => {
    // +44 7624 is an Isle of Man mobile range; a number libphonenumber cannot place gives all of +44
    const all44 = phoneCountries('+44999');
    expect(all44).toEqual(expect.arrayContaining(['GB', 'GG', 'IM', 'JE']));
    expect(all44).toHaveLength(4);
    expect(phoneCountries('+80012345678')).toEqual([]);
  });
  it('nothing for absent or unparseable numbers', () => {
    expect(phoneCountries(null)).toEqual([]);
    expect(phoneCountries(undefined)).toEqual([]);
    expect(phoneCountries('')).toEqual([]);
    expect(phoneCountries('hello')).toEqual([]);
  });
});

describe('maskPhoneForRecord', () => {
  it('keeps the country and area code and the last four digits, as stored records already show them', () => {
    expect(maskPhoneForRecord('+13125550100')).toBe('+1312***0100');
    expect(maskPhoneForRecord('+447700900123')).toBe('+4477***0123');
    expect(maskPhoneForRecord('+12345678')).toBe('+1234***5678');
  });

  it('shows nothing of a number of seven characters or fewer, and no number at all as null', () => {
    expect(maskPhoneForRecord('+123456')).toBe('***');
    expect(maskPhoneForRecord('')).toBeNull();
    expect(maskPhoneForRecord(null)).toBeNull();
    expect(maskPhoneForRecord(undefined)).toBeNull();
  });
});
