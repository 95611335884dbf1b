import { inWindow, nextLawfulMoment, resolveTimezones, zoneForPostalCode, zonesForAreaCode, zonesForState, AREA_CODE_ZONES } from '../../src/calls/rules';

const z = (iso: string) => new Date(iso);

describe('resolveTimezones', () => {
  it.each([
    // [what, input, expected zones (sorted), expected sources]
    ['debtor zone only', { debtorTimezone: 'America/Los_Angeles' }, ['America/Los_Angeles'], ['debtor']],
    ['Denver postal code + New York area code', { propertyState: 'CO', propertyPostalCode: '80202', phoneE164: '+12124567890' }, ['America/Denver', 'America/New_York'], ['property_postal_code', 'area_code']],
    ['TX without postal code: every zone of the state', { propertyState: 'TX' }, ['America/Chicago', 'America/Denver'], ['property_state', 'property_state']],
    ['TX, El Paso postal code', { propertyState: 'TX', propertyPostalCode: '79901' }, ['America/Denver'], ['property_postal_code']],
    ['TX, Dallas postal code (ZIP+4)', { propertyState: 'Texas', propertyPostalCode: '75001-1234' }, ['America/Chicago'], ['property_postal_code']],
    ['FL without postal code', { propertyState: 'fl' }, ['America/Chicago', 'America/New_York'], ['property_state', 'property_state']],
    ['Pensacola FL postal code', { propertyState: 'FL', propertyPostalCode: '32501' }, ['America/Chicago'], ['property_postal_code']],
    ['multi-zone area code 270 (KY)', { phoneE164: '+12704567890' }, ['America/Chicago', 'America/New_York'], ['area_code', 'area_code']],
    ['nothing known: tenant zone', { tenantTimezone: 'America/Chicago' }, ['America/Chicago'], ['tenant']],
    ['toll-free area code is not a candidate: tenant zone', { phoneE164: '+18004567890', tenantTimezone: 'America/Denver' }, ['America/Denver'], ['tenant']],
    ['unknown state is not a candidate', { propertyState: 'ZZ', phoneE164: '+13104567890' }, ['America/Los_Angeles'], ['area_code']],
    ['invalid debtor zone is not a candidate', { debtorTimezone: 'Mars/Olympus', phoneE164: '+12124567890' }, ['America/New_York'], ['area_code']],
    ['postal code contradicting the state keeps both', { propertyState: 'NY', propertyPostalCode: '90001' }, ['America/Los_Angeles', 'America/New_York'], ['property_postal_code', 'property_state']],
  ])('%s', (_what, input, zones, sources) => {
    const r = resolveTimezones(input);
    expect([...r.zones].sort()).toEqual(zones);
    expect(r.candidates.map((c) => c.source)).toEqual(sources);
  });

  it('notes what it could not use', () => {
    const r = resolveTimezones({ debtorTimezone: 'Nope/Zone', propertyState: 'ZZ', propertyPostalCode: 'ABCDE', phoneE164: '+18004567890', tenantTimezone: 'America/New_York' });
    expect(r.usedTenantFallback).toBe(true);
    expect(r.notes.join('\n')).toMatch(/area code 800 unknown/);
    expect(r.notes.join('\n')).toMatch(/state "ZZ" unknown/);
    expect(r.notes.join('\n')).toMatch(/Nope\/Zone/);
    expect(r.notes.join('\n')).toMatch(/postal code "ABCDE" unknown/);
  });

  it('the area-code table covers the US geographic codes and leaves out toll-free ones', () => {
    expect(AREA_CODE_ZONES.size).toBeGreaterThan(400);
    for (const ac of ['212', '213', '303', '305', '312', '415', '512', '602', '702', '808', '907', '917', '971', '989']) expect(zonesForAreaCode(ac)).not.toBeNull();
    for (const ac of ['800', '888', '877', '866', '855', '844', '833', '900', '500', '555']) expect(zonesForAreaCode(ac)).toBeNull();
    expect(zonesForAreaCode('808')).toEqual(['Pacific/Honolulu']);
    expect([...zonesForAreaCode('850')!].sort()).toEqual(['America/Chicago', 'America/New_York']);
    expect(zonesForState('Indiana')).toContain('America/Chicago');
    expect(zoneForPostalCode('10001')).toBe('America/New_York');
    expect(zoneForPostalCode('not a zip')).toBeNull();
  });
});

describe('calling window across zones and DST', () => {
  it.each([
    // [what, now (UTC), zones, expected next lawful moment (UTC) — equal to now when lawful]
    ['LA debtor at 08:30 New York time (EST)', '2026-11-30T13:30:00Z', ['America/Los_Angeles'], '2026-11-30T16:00:00Z'],
    ['LA debtor at 08:30 New York time (EDT)', '2026-06-01T12:30:00Z', ['America/Los_Angeles'], '2026-06-01T15:00:00Z'],
    ['New York at 08:30', '2026-11-30T13:30:00Z', ['America/New_York'], '2026-11-30T13:30:00Z'],
    ['Denver + New York: New York 08:30, Denver 06:30', '2026-11-30T13:30:00Z', ['America/Denver', 'America/New_York'], '2026-11-30T15:00:00Z'],
    ['Denver + New York: both open', '2026-11-30T15:00:00Z', ['America/Denver', 'America/New_York'], '2026-11-30T15:00:00Z'],
    ['Denver + New York: New York 20:59', '2026-12-01T01:59:00Z', ['America/Denver', 'America/New_York'], '2026-12-01T01:59:00Z'],
    ['Denver + New York: New York 21:00 closes both', '2026-12-01T02:00:00Z', ['America/Denver', 'America/New_York'], '2026-12-01T15:00:00Z'],
    ['New York 07:59:59', '2026-11-30T12:59:59Z', ['America/New_York'], '2026-11-30T13:00:00Z'],
    ['spring forward day (Mar 8 2026): 08:00 EDT is 12:00Z', '2026-03-08T11:30:00Z', ['America/New_York'], '2026-03-08T12:00:00Z'],
    ['spring forward day: 12:30Z is 08:30 EDT (lawful)', '2026-03-08T12:30:00Z', ['America/New_York'], '2026-03-08T12:30:00Z'],
    ['day before spring forward: 12:30Z is 07:30 EST', '2026-03-07T12:30:00Z', ['America/New_York'], '2026-03-07T13:00:00Z'],
    ['night before spring forward: next 08:00 is EDT', '2026-03-08T03:00:00Z', ['America/New_York'], '2026-03-08T12:00:00Z'],
    ['fall back day (Nov 1 2026): 12:30Z is 07:30 EST', '2026-11-01T12:30:00Z', ['America/New_York'], '2026-11-01T13:00:00Z'],
    ['day before fall back: 12:30Z is 08:30 EDT', '2026-10-31T12:30:00Z', ['America/New_York'], '2026-10-31T12:30:00Z'],
    ['fall back evening: 01:30Z Nov 2 is 20:30 EST', '2026-11-02T01:30:00Z', ['America/New_York'], '2026-11-02T01:30:00Z'],
    ['Phoenix (no DST) + Denver in summer', '2026-07-01T14:30:00Z', ['America/Phoenix', 'America/Denver'], '2026-07-01T15:00:00Z'],
    ['Honolulu + New York share the afternoon', '2026-11-30T14:00:00Z', ['Pacific/Honolulu', 'America/New_York'], '2026-11-30T18:00:00Z'],
    ['Honolulu + New York: New York closed at 21:00', '2026-12-01T02:00:00Z', ['Pacific/Honolulu', 'America/New_York'], '2026-12-01T18:00:00Z'],
  ])('%s', (_what, now, zones, expected) => {
    expect(nextLawfulMoment(z(now), zones)?.toISOString()).toBe(z(expected).toISOString());
  });

  it('21:00 is outside, 20:59:59 inside, 08:00 inside, 07:59:59 outside', () => {
    expect(inWindow(z('2026-11-30T13:00:00Z'), 'America/New_York')).toBe(true);
    expect(inWindow(z('2026-11-30T12:59:59Z'), 'America/New_York')).toBe(false);
    expect(inWindow(z('2026-12-01T01:59:59Z'), 'America/New_York')).toBe(true);
    expect(inWindow(z('2026-12-01T02:00:00Z'), 'America/New_York')).toBe(false);
  });
});
