import { parsePhoneNumberFromString, getCountries, getCountryCallingCode } from 'libphonenumber-js';
import {
  AREA_CODE_ZONES,
  NON_GEOGRAPHIC_AREA_CODES,
  US_STATE_ZONES,
  inWindow,
  isValidZone,
  nextLawfulMoment,
  resolveTimezones,
  zonesForAreaCode,
  zonesForCountry,
  zonesForPostalCode,
  zonesForState,
  zonesForZoneName,
} from '../../src/calls/rules';
import { DERIVED_STATE_ZONES, US_ZIP_ZONE_GROUPS } from '../../src/calls/rules/data/us-zip-zones';
import { phoneCountries } from '../../src/common/phone';

const z = (iso: string) => new Date(iso);
const sorted = (a: readonly string[] | null) => (a ? [...a].sort() : a);
const NY = 'America/New_York';
const CHI = 'America/Chicago';
const DEN = 'America/Denver';
const PHX = 'America/Phoenix';
const LA = 'America/Los_Angeles';

/** Every postal code of the table, for checks over whole prefixes. */
const ALL_ZIPS: string[] = US_ZIP_ZONE_GROUPS.flatMap(([, list]) =>
  list.split(' ').flatMap((item) => {
    const [a, b] = item.split('-').map(Number);
    return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => String(a + i).padStart(5, '0'));
  }),
);

describe('postal codes: every zone the area may be in', () => {
  it.each([
    // [what, postal code, zone it must include]
    ['Hammond IN (Lake county, Central)', '46320', CHI],
    ['Gary IN (Central)', '46402', CHI],
    ['Evansville IN (Vanderburgh, Central)', '47708', CHI],
    ['Bowling Green KY (Warren, Central)', '42101', CHI],
    ['Paducah KY (McCracken, Central)', '42001', CHI],
    ['Ontario OR (Malheur, Mountain)', '97914', DEN],
    ['Hazen ND (Mercer, Central)', '58545', CHI],
    ['West Wendover NV (Mountain)', '89883', DEN],
    ['Adak AK (Hawaii-Aleutian)', '99546', 'America/Adak'],
    ['Phenix City AL (keeps Eastern time)', '36867', NY],
    ['Pensacola FL (Central)', '32501', CHI],
  ])('%s: %s includes %s', (_what, zip, zone) => {
    expect(zonesForPostalCode(zip)).toContain(zone);
  });

  it.each([
    // [what, postal code, exactly these zones]
    ['Manhattan', '10001', [NY]],
    ['Los Angeles', '90001', [LA]],
    ['El Paso TX (Mountain only)', '79901', [DEN]],
    ['Dallas TX ZIP+4', '75001-1234', [CHI]],
    ['Phoenix AZ (no DST)', '85004', [PHX]],
    ['San Juan PR', '00901', ['America/Puerto_Rico']],
    ['Charlotte Amalie VI', '00802', ['America/Puerto_Rico']],
    ['Hagatna GU', '96910', ['Pacific/Guam']],
    ['Saipan MP', '96950', ['Pacific/Guam']],
    ['Pago Pago AS', '96799', ['Pacific/Pago_Pago']],
    ['Honolulu HI', '96813', ['Pacific/Honolulu']],
  ])('%s: %s -> %j', (_what, zip, zones) => {
    expect(sorted(zonesForPostalCode(zip))).toEqual([...zones].sort());
  });

  it.each([
    // 97904 (Drewsey) lies in Harney county, on Pacific time; the other 979 codes are Malheur's or border it
    ['463', CHI], ['464', CHI], ['476', CHI], ['477', CHI], ['979', DEN],
  ])('every postal code with prefix %s includes %s', (prefix, zone) => {
    const zips = ALL_ZIPS.filter((p) => p.startsWith(prefix) && p !== '97904');
    expect(zips.length).toBeGreaterThan(10);
    expect(zips.filter((p) => !zonesForPostalCode(p)!.includes(zone))).toEqual([]);
  });

  it('malformed or unknown postal codes have no zones', () => {
    for (const p of ['not a zip', '1234', '123456', '', '00000', '09001']) expect(zonesForPostalCode(p)).toBeNull();
  });

  it('covers the states and all five territories; the state table lists every zone the data finds in a state', () => {
    expect(ALL_ZIPS.length).toBeGreaterThan(40_000);
    for (const prefix of ['006', '007', '009', '008', '9691', '9695', '96799']) expect(ALL_ZIPS.some((p) => p.startsWith(prefix))).toBe(true);
    for (const [state, zones] of Object.entries(DERIVED_STATE_ZONES)) {
      expect({ state, missing: zones.filter((zone) => !US_STATE_ZONES[state]?.includes(zone)) }).toEqual({ state, missing: [] });
    }
    for (const zones of Object.values(US_STATE_ZONES)) for (const zone of zones) expect(isValidZone(zone)).toBe(true);
  });
});

describe('area codes from NANPA: overlays carry their region, every accepted code has an entry', () => {
  it.each([
    // [area code, exactly these zones]
    ['270', [CHI, NY]], ['364', [CHI, NY]], ['850', [CHI, NY]], ['448', [CHI, NY]], ['812', [CHI, NY]], ['930', [CHI, NY]],
    ['541', [DEN, LA]], ['458', [DEN, LA]], ['208', [DEN, LA]], ['986', [DEN, LA]], ['775', [DEN, LA]],
    ['689', [NY]], ['407', [NY]], ['212', [NY]], ['808', ['Pacific/Honolulu']], ['907', ['America/Adak', 'America/Anchorage']],
    ['602', [PHX]], ['928', [DEN, PHX]], ['915', [CHI, DEN]],
    ['437', ['America/Toronto']], ['416', ['America/Toronto']], ['942', ['America/Toronto']],
    ['787', ['America/Puerto_Rico']], ['939', ['America/Puerto_Rico']], ['340', ['America/St_Thomas']],
    ['671', ['Pacific/Guam']], ['670', ['Pacific/Saipan']], ['684', ['Pacific/Pago_Pago']],
    // the ones the phone library dials that the previous table lacked
    ['235', [CHI]], ['324', [NY]], ['327', [CHI]], ['353', [CHI]], ['730', [CHI]], ['738', [LA]], ['748', [DEN]], ['821', [NY]], ['975', [CHI]],
    ['354', ['America/Toronto']], ['382', ['America/Toronto']], ['683', ['America/Toronto']], ['428', ['America/Moncton']],
  ])('%s -> %j', (ac, zones) => {
    expect(sorted(zonesForAreaCode(ac))).toEqual([...zones].sort());
  });

  it.each([
    // [area codes of one region, zones each must include, zones none may include]
    ['Saskatchewan', ['306', '474', '639'], ['America/Regina'], ['America/Winnipeg']],
    ['British Columbia (Pacific and Mountain)', ['236', '250', '257', '604', '672', '778'], ['America/Vancouver', 'America/Edmonton'], []],
    ['Eastern Quebec (Eastern and Atlantic)', ['273', '367', '418', '581'], ['America/Toronto', 'America/Halifax'], []],
    ['Newfoundland and Labrador', ['709', '879'], ['America/St_Johns', 'America/Goose_Bay'], []],
    ['North-western Ontario', ['807'], ['America/Toronto', 'America/Winnipeg'], []],
  ])('%s', (_what, codes, must, mustNot) => {
    for (const ac of codes) {
      for (const zone of must) expect({ ac, has: zonesForAreaCode(ac)?.includes(zone) }).toEqual({ ac, has: true });
      for (const zone of mustNot) expect({ ac, has: zonesForAreaCode(ac)?.includes(zone) }).toEqual({ ac, has: false });
    }
  });

  it('every area code libphonenumber-js accepts as valid has an entry (zones or non-geographic)', () => {
    const nanp = getCountries().filter((c) => getCountryCallingCode(c) === '1');
    const accepted: { ac: string; country: string }[] = [];
    for (let n = 200; n <= 999; n++) {
      for (const rest of ['2345678', '5550123', '9876543', '4561234', '3217654', '7001234', '2001234']) {
        const p = parsePhoneNumberFromString(`+1${n}${rest}`);
        if (p?.isValid()) {
          accepted.push({ ac: String(n), country: p.country ?? '?' });
          break;
        }
      }
    }
    expect(new Set(accepted.map((a) => a.country))).toEqual(new Set(nanp));
    expect(accepted.length).toBeGreaterThan(460);
    const missing = accepted.filter((a) => !AREA_CODE_ZONES.has(a.ac) && !NON_GEOGRAPHIC_AREA_CODES.has(a.ac));
    expect(missing).toEqual([]);
  });

  it('every zone of the table is a zone of the tz database; non-geographic codes have no zones of their own', () => {
    for (const [ac, zones] of AREA_CODE_ZONES) for (const zone of zones) expect({ ac, zone, valid: isValidZone(zone) }).toEqual({ ac, zone, valid: true });
    for (const ac of ['800', '888', '877', '866', '855', '844', '833', '900', '500', '533', '600']) {
      expect(zonesForAreaCode(ac)).toBeNull();
      expect(NON_GEOGRAPHIC_AREA_CODES.has(ac)).toBe(true);
    }
  });
});

describe('numbers outside North America: the zones of their country', () => {
  it.each([
    // [number, country, zones (exact or at least)]
    ['+442079460958', 'GB', ['Europe/London']],
    ['+33142685300', 'FR', ['Europe/Paris']],
    ['+525555555555', 'MX', ['America/Mexico_City', 'America/Tijuana', 'America/Cancun']],
    ['+61293744000', 'AU', ['Australia/Sydney', 'Australia/Perth']],
  ])('%s (%s)', (e164, country, zones) => {
    expect(phoneCountries(e164)).toEqual([country]);
    const r = resolveTimezones({ phoneE164: e164, tenantTimezone: NY });
    expect(r.usedTenantFallback).toBe(false);
    expect(r.zones).toEqual(expect.arrayContaining(zones));
    expect(r.zones.sort()).toEqual([...zonesForCountry(country)!].sort());
    expect(new Set(r.candidates.map((c) => c.source))).toEqual(new Set(['phone_country']));
  });

  it('a UK number is not called at 01:00 UK time because the tenant is in New York', () => {
    const zones = resolveTimezones({ phoneE164: '+442079460958', tenantTimezone: NY }).zones;
    expect(inWindow(z('2026-12-01T01:00:00Z'), NY)).toBe(true);
    expect(nextLawfulMoment(z('2026-12-01T01:00:00Z'), [...zones, NY])?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
  });
});

describe('legacy zone names map to the regional zones they are used for', () => {
  it.each([
    ['EST', [NY]], ['est', [NY]], ['EDT', [NY]], ['EST5EDT', [NY]], ['US/Eastern', [NY]],
    ['CST', [CHI]], ['CST6CDT', [CHI]], ['US/Central', [CHI]],
    ['MST', [DEN, PHX]], ['MST7MDT', [DEN]], ['US/Mountain', [DEN]], ['US/Arizona', [PHX]],
    ['PST', [LA]], ['PST8PDT', [LA]], ['US/Pacific', [LA]],
    ['AKST', ['America/Anchorage']], ['HST', ['Pacific/Honolulu']], ['US/Aleutian', ['America/Adak']],
    ['America/Denver', [DEN]], [' America/Denver ', [DEN]], ['Mars/Olympus', null],
  ])('%s -> %j', (name, zones) => {
    expect(sorted(zonesForZoneName(name))).toEqual(zones ? [...zones].sort() : null);
  });

  it('a debtor "EST" keeps DST: 21:30 EDT is outside although 20:30 EST would be inside', () => {
    const r = resolveTimezones({ debtorTimezone: 'EST' });
    expect(r.zones).toEqual([NY]);
    expect(r.notes.join('\n')).toMatch(/legacy name/);
    expect(nextLawfulMoment(z('2026-07-02T01:30:00Z'), r.zones)?.toISOString()).toBe('2026-07-02T12:00:00.000Z');
  });

  it('a debtor "MST" is held to both Denver and Phoenix (summer: Denver is an hour ahead)', () => {
    const r = resolveTimezones({ debtorTimezone: 'MST' });
    // 2026-07-01 14:30Z = 08:30 MDT Denver, 07:30 MST Phoenix
    expect(nextLawfulMoment(z('2026-07-01T14:30:00Z'), r.zones)?.toISOString()).toBe('2026-07-01T15:00:00.000Z');
  });
});

describe('resolveTimezones', () => {
  it.each([
    // [what, input, expected zones (sorted), expected sources]
    ['debtor zone only', { debtorTimezone: LA }, [LA], ['debtor']],
    ['Denver postal code + New York area code', { propertyState: 'CO', propertyPostalCode: '80202', phoneE164: '+12124567890' }, [DEN, NY], ['property_postal_code', 'area_code']],
    ['TX without postal code: every zone of the state', { propertyState: 'TX' }, [CHI, DEN], ['property_state', 'property_state']],
    ['TX, El Paso postal code: one zone for certain, the state\'s other zone dropped', { propertyState: 'TX', propertyPostalCode: '79901' }, [DEN], ['property_postal_code']],
    ['TX, Dallas postal code (ZIP+4)', { propertyState: 'Texas', propertyPostalCode: '75001-1234' }, [CHI], ['property_postal_code']],
    ['FL without postal code', { propertyState: 'fl' }, [CHI, NY], ['property_state', 'property_state']],
    ['multi-zone area code 270 (KY)', { phoneE164: '+12704567890' }, [CHI, NY], ['area_code', 'area_code']],
    ['nothing known: tenant zone', { tenantTimezone: CHI }, [CHI], ['tenant']],
    ['legacy tenant zone: the regional zone', { tenantTimezone: 'PST' }, [LA], ['tenant']],
    ['unknown state is not a candidate', { propertyState: 'ZZ', phoneE164: '+13104567890' }, [LA], ['area_code']],
    ['invalid debtor zone is not a candidate', { debtorTimezone: 'Mars/Olympus', phoneE164: '+12124567890' }, [NY], ['area_code']],
    ['postal code contradicting the state keeps both', { propertyState: 'NY', propertyPostalCode: '90001' }, [LA, NY], ['property_postal_code', 'property_state']],
    ['San Juan address, New York number', { propertyState: 'PR', propertyPostalCode: '00901', phoneE164: '+12124567890' }, [NY, 'America/Puerto_Rico'], ['property_postal_code', 'area_code']],
    ['Puerto Rico spelled out, no postal code', { propertyState: 'Puerto Rico' }, ['America/Puerto_Rico'], ['property_state']],
    ['Guam, American Samoa, CNMI and USVI work like states', { propertyState: 'GU', phoneE164: '+16844567890' }, ['Pacific/Guam', 'Pacific/Pago_Pago'], ['property_state', 'area_code']],
    ['unknown postal code in IN: every zone of the state', { propertyState: 'IN', propertyPostalCode: '00000' }, [CHI, NY], ['property_state', 'property_state']],
  ])('%s', (_what, input, zones, sources) => {
    const r = resolveTimezones(input);
    expect([...r.zones].sort()).toEqual(zones);
    expect(r.candidates.map((c) => c.source)).toEqual(sources);
  });

  it('a postal code in more than one zone removes none of its state\'s zones', () => {
    const split = ALL_ZIPS.find((p) => p.startsWith('58') && zonesForPostalCode(p)!.length > 1)!; // a split North Dakota code
    expect(split).toBeDefined();
    const r = resolveTimezones({ propertyState: 'ND', propertyPostalCode: split });
    expect([...r.zones].sort()).toEqual([...zonesForState('ND')!].sort());
    expect(r.notes.join('\n')).toMatch(/every zone of state ND kept/);
  });

  it('a number with no place of its own means every zone of the country, never the tenant zone', () => {
    const r = resolveTimezones({ phoneE164: '+18004567890', tenantTimezone: 'Europe/London' });
    expect(r.usedTenantFallback).toBe(false);
    expect([...r.zones].sort()).toEqual([...zonesForCountry('US')!].sort());
    expect(r.notes.join('\n')).toMatch(/area code 800 is not tied to a place and nothing else is known: every zone of US applies/);
    const known = resolveTimezones({ phoneE164: '+18004567890', debtorTimezone: CHI, tenantTimezone: 'Europe/London' });
    expect(known.zones).toEqual([CHI]);
    expect(known.notes.join('\n')).toMatch(/area code 800 is not tied to a place: not a candidate/);
    const unknown = resolveTimezones({ phoneE164: '+12374567890', tenantTimezone: 'Europe/London' }); // 237: unassigned
    expect(unknown.usedTenantFallback).toBe(false);
    expect(unknown.zones).toEqual(expect.arrayContaining([NY, 'Pacific/Honolulu', 'America/Toronto']));
    expect(unknown.notes.join('\n')).toMatch(/area code 237 has no time-zone entry/);
  });

  it('notes what it could not use', () => {
    const r = resolveTimezones({ debtorTimezone: 'Nope/Zone', propertyState: 'ZZ', propertyPostalCode: 'ABCDE', tenantTimezone: NY });
    expect(r.usedTenantFallback).toBe(true);
    expect(r.notes.join('\n')).toMatch(/state "ZZ" unknown/);
    expect(r.notes.join('\n')).toMatch(/Nope\/Zone/);
    expect(r.notes.join('\n')).toMatch(/postal code "ABCDE" unknown/);
  });
});

describe('calling window across zones and DST', () => {
  it.each([
    // [what, now (UTC), zones, expected next lawful moment (UTC) — equal to now when lawful]
    ['LA debtor at 08:30 New York time (EST)', '2026-11-30T13:30:00Z', [LA], '2026-11-30T16:00:00Z'],
    ['LA debtor at 08:30 New York time (EDT)', '2026-06-01T12:30:00Z', [LA], '2026-06-01T15:00:00Z'],
    ['New York at 08:30', '2026-11-30T13:30:00Z', [NY], '2026-11-30T13:30:00Z'],
    ['Denver + New York: New York 08:30, Denver 06:30', '2026-11-30T13:30:00Z', [DEN, NY], '2026-11-30T15:00:00Z'],
    ['Denver + New York: both open', '2026-11-30T15:00:00Z', [DEN, NY], '2026-11-30T15:00:00Z'],
    ['Denver + New York: New York 20:59', '2026-12-01T01:59:00Z', [DEN, NY], '2026-12-01T01:59:00Z'],
    ['Denver + New York: New York 21:00 closes both', '2026-12-01T02:00:00Z', [DEN, NY], '2026-12-01T15:00:00Z'],
    ['New York 07:59:59', '2026-11-30T12:59:59Z', [NY], '2026-11-30T13:00:00Z'],
    ['spring forward day (Mar 8 2026): 08:00 EDT is 12:00Z', '2026-03-08T11:30:00Z', [NY], '2026-03-08T12:00:00Z'],
    ['spring forward day: 12:30Z is 08:30 EDT (lawful)', '2026-03-08T12:30:00Z', [NY], '2026-03-08T12:30:00Z'],
    ['day before spring forward: 12:30Z is 07:30 EST', '2026-03-07T12:30:00Z', [NY], '2026-03-07T13:00:00Z'],
    ['night before spring forward: next 08:00 is EDT', '2026-03-08T03:00:00Z', [NY], '2026-03-08T12:00:00Z'],
    ['fall back day (Nov 1 2026): 12:30Z is 07:30 EST', '2026-11-01T12:30:00Z', [NY], '2026-11-01T13:00:00Z'],
    ['day before fall back: 12:30Z is 08:30 EDT', '2026-10-31T12:30:00Z', [NY], '2026-10-31T12:30:00Z'],
    ['fall back evening: 01:30Z Nov 2 is 20:30 EST', '2026-11-02T01:30:00Z', [NY], '2026-11-02T01:30:00Z'],
    ['Phoenix (no DST) + Denver in summer', '2026-07-01T14:30:00Z', [PHX, DEN], '2026-07-01T15:00:00Z'],
    ['Honolulu + New York share the afternoon', '2026-11-30T14:00:00Z', ['Pacific/Honolulu', NY], '2026-11-30T18:00:00Z'],
    ['Honolulu + New York: New York closed at 21:00', '2026-12-01T02:00:00Z', ['Pacific/Honolulu', NY], '2026-12-01T18:00:00Z'],
    ['San Juan (AST, no DST) + New York in winter: San Juan 21:30', '2026-12-01T01:30:00Z', ['America/Puerto_Rico', NY], '2026-12-01T13:00:00Z'],
  ])('%s', (_what, now, zones, expected) => {
    expect(nextLawfulMoment(z(now), zones)?.toISOString()).toBe(z(expected).toISOString());
  });

  it('21:00 is outside, 20:59:59 inside, 08:00 inside, 07:59:59 outside', () => {
    expect(inWindow(z('2026-11-30T13:00:00Z'), NY)).toBe(true);
    expect(inWindow(z('2026-11-30T12:59:59Z'), NY)).toBe(false);
    expect(inWindow(z('2026-12-01T01:59:59Z'), NY)).toBe(true);
    expect(inWindow(z('2026-12-01T02:00:00Z'), NY)).toBe(false);
  });
});

describe('what each resolution notes, exactly (the notes are kept as call evidence)', () => {
  const notes = (input: Parameters<typeof resolveTimezones>[0]) => resolveTimezones(input).notes;

  it('a debtor zone: nothing to note when it is an IANA name, surrounding spaces or not; a legacy name is noted', () => {
    expect(notes({ debtorTimezone: DEN })).toEqual([]);
    expect(notes({ debtorTimezone: ` ${DEN} ` })).toEqual([]);
    const legacy = resolveTimezones({ debtorTimezone: ' est ' });
    expect(legacy.zones).toEqual([NY]);
    expect(legacy.notes).toEqual(['debtor timezone " est " is a legacy name: America/New_York']);
  });

  it('a state: noted only when it spans zones and no postal code narrows it', () => {
    expect(notes({ propertyState: 'TX' })).toEqual(['state TX spans 2 zones and no usable postal code: all of them apply']);
    expect(notes({ propertyState: 'NY' })).toEqual([]);
    expect(notes({ propertyState: 'TX', propertyPostalCode: '75001' })).toEqual([]);
  });

  it('a postal code outside its state, and one that spans zones', () => {
    expect(notes({ propertyState: 'NY', propertyPostalCode: '90001' })).toEqual(['property postal code zones America/Los_Angeles are not all zones of state NY: both kept']);
    const split = ALL_ZIPS.find((p) => p.startsWith('58') && zonesForPostalCode(p)!.length > 1)!;
    expect(notes({ propertyState: 'ND', propertyPostalCode: split })).toEqual([`property postal code spans ${zonesForPostalCode(split)!.join(', ')}: every zone of state ND kept`]);
  });

  it('numbers: a code with no entry, a country of several zones, a country of one, no country at all', () => {
    const countries = phoneCountries('+12374567890').join('/');
    expect(notes({ phoneE164: '+12374567890' })).toEqual([`area code 237 has no time-zone entry: every zone of ${countries} applies`]);
    const au = resolveTimezones({ phoneE164: '+61212345678' });
    expect(au.notes).toEqual([`number of AU: its ${zonesForCountry('AU')!.length} zones apply`]);
    expect(new Set(au.candidates.map((c) => c.source))).toEqual(new Set(['phone_country']));
    const jp = resolveTimezones({ phoneE164: '+81312345678' });
    expect(jp.notes).toEqual([]);
    expect(jp.candidates).toEqual([{ zone: 'Asia/Tokyo', source: 'phone_country' }]);
    const none = resolveTimezones({ phoneE164: '+99912345678', tenantTimezone: CHI });
    expect(none.notes).toEqual(['no country known for +999…: no candidate from the number']);
    expect(none.candidates).toEqual([{ zone: CHI, source: 'tenant' }]);
    expect(notes({ phoneE164: '+18004567890' })).toEqual(['area code 800 is not tied to a place and nothing else is known: every zone of US applies']);
    expect(notes({ phoneE164: '+18004567890', debtorTimezone: CHI })).toEqual(["area code 800 is not tied to a place: not a candidate (the debtor's zones are known)"]);
  });

  it('the tenant zone: noted when invalid (New York is used), silent when valid', () => {
    const bad = resolveTimezones({ tenantTimezone: 'Mars/Olympus' });
    expect(bad.candidates).toEqual([{ zone: NY, source: 'tenant' }]);
    expect(bad.notes).toEqual(['tenant timezone "Mars/Olympus" invalid: America/New_York used']);
    expect(notes({ tenantTimezone: CHI })).toEqual([]);
    expect(notes({})).toEqual([]);
  });

  it('one zone from two sources is two candidates (the evidence says where each came from)', () => {
    expect(resolveTimezones({ debtorTimezone: NY, phoneE164: '+12124567890' }).candidates).toEqual([
      { zone: NY, source: 'debtor' },
      { zone: NY, source: 'area_code' },
    ]);
  });
});

describe('lookups refuse what is not a name or a code', () => {
  it('zone names', () => {
    expect(zonesForZoneName(42 as never)).toBeNull();
    expect(zonesForZoneName('')).toBeNull();
    expect(isValidZone(42 as never)).toBe(false);
    expect(isValidZone('')).toBe(false);
    expect(() => inWindow(z('2026-11-30T15:00:00Z'), 'Mars/Olympus')).toThrow('not an IANA time zone: Mars/Olympus');
  });

  it('countries: an unknown code, and a territory with no zone of its own', () => {
    expect(zonesForCountry('XX')).toBeNull();
    expect(zonesForCountry('HM')).toBeNull(); // Heard and McDonald Islands: no zone in the tz database
    expect(zonesForCountry('jp')).toEqual(['Asia/Tokyo']);
  });

  it('postal codes: ZIP+4 with a dash, a space or nothing between; the last code of every range', () => {
    for (const code of ['75001-1234', '75001 1234', '750011234', ' 75001 ']) expect(zonesForPostalCode(code)).toEqual([CHI]);
    expect(zonesForPostalCode('75001x1234')).toBeNull();
    for (const [zones, list] of US_ZIP_ZONE_GROUPS) {
      for (const item of list.split(' ').filter((i) => i.includes('-'))) {
        const last = item.split('-')[1].padStart(5, '0');
        expect([last, zonesForPostalCode(last)]).toEqual([last, zones]);
      }
    }
  });

  it('no zones: no lawful moment', () => {
    expect(nextLawfulMoment(z('2026-11-30T15:00:00Z'), [])).toBeNull();
  });
});
