import { DateTime, IANAZone } from 'luxon';
import { lookup as zipToZone } from 'zipcode-to-timezone';
import { nanpAreaCode } from '../../common/phone';
import { AREA_CODE_ZONES } from './data/nanp-area-code-zones';
import { US_STATE_ZONES, normalizeUsState } from './data/us-state-zones';
import { TimezoneEvidence } from './call-rules.types';

/**
 * Candidate time zones of a debtor (compliance.md §1): the debtor's own zone, the property address of
 * the lease (postal code, else every zone of the state), and the area code of the number called. All
 * known candidates must be inside the window; the tenant's zone is used only when none is known.
 * Zone math is luxon over Node's ICU tz database (DST-correct).
 */

export const WINDOW_START_MINUTES = 8 * 60; // 08:00 local, inclusive
export const WINDOW_END_MINUTES = 21 * 60; // 21:00 local, exclusive: a call must start before 21:00

export type ZoneSource = TimezoneEvidence['source'];

export interface ZoneCandidate {
  zone: string;
  source: ZoneSource;
}

export interface ResolvedTimezones {
  candidates: ZoneCandidate[];
  /** distinct zones of the candidates, in first-seen order */
  zones: string[];
  /** what could not be used and why (unknown area code, unknown state, invalid zone) */
  notes: string[];
  /** true when no debtor/property/area-code zone was known and the tenant's zone was used */
  usedTenantFallback: boolean;
}

export interface TimezoneInputs {
  debtorTimezone?: string | null;
  propertyState?: string | null;
  propertyPostalCode?: string | null;
  /** the number to be called, E.164 */
  phoneE164?: string | null;
  tenantTimezone?: string | null;
}

const zoneCache = new Map<string, IANAZone | null>();

/** A cached luxon zone (null when the name is not an IANA zone). */
function ianaZone(name: string): IANAZone | null {
  let z = zoneCache.get(name);
  if (z === undefined) {
    z = IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
    zoneCache.set(name, z);
  }
  return z;
}

export function isValidZone(zone: string | null | undefined): zone is string {
  if (!zone || typeof zone !== 'string') return false;
  return ianaZone(zone.trim()) !== null;
}

export function zonesForAreaCode(areaCode: string | null | undefined): readonly string[] | null {
  if (!areaCode) return null;
  return AREA_CODE_ZONES.get(areaCode) ?? null;
}

export function zonesForState(state: string | null | undefined): readonly string[] | null {
  const code = normalizeUsState(state);
  return code ? US_STATE_ZONES[code] : null;
}

export function zoneForPostalCode(postalCode: string | null | undefined): string | null {
  if (!postalCode) return null;
  const m = /^\s*(\d{5})(?:[-\s]?\d{4})?\s*$/.exec(String(postalCode));
  if (!m) return null;
  return zipToZone(m[1]) ?? null;
}

/** Every candidate zone for a debtor, with where each came from. */
export function resolveTimezones(input: TimezoneInputs): ResolvedTimezones {
  const candidates: ZoneCandidate[] = [];
  const notes: string[] = [];
  const add = (zone: string, source: ZoneSource) => {
    if (!candidates.some((c) => c.zone === zone && c.source === source)) candidates.push({ zone, source });
  };

  if (input.debtorTimezone) {
    if (isValidZone(input.debtorTimezone)) add(input.debtorTimezone.trim(), 'debtor');
    else notes.push(`debtor timezone "${input.debtorTimezone}" is not an IANA zone: not a candidate`);
  }

  const stateZones = zonesForState(input.propertyState);
  if (input.propertyState && !stateZones) notes.push(`property state "${input.propertyState}" unknown: not a candidate`);
  const zipZone = zoneForPostalCode(input.propertyPostalCode);
  if (input.propertyPostalCode && !zipZone) notes.push(`property postal code "${input.propertyPostalCode}" unknown: not a candidate`);
  if (zipZone) {
    add(zipZone, 'property_postal_code');
    if (stateZones && !stateZones.includes(zipZone)) {
      // The postal code and the state disagree: trust neither alone.
      notes.push(`property postal code zone ${zipZone} is not a zone of state ${input.propertyState}: both kept`);
      for (const z of stateZones) add(z, 'property_state');
    }
  } else if (stateZones) {
    for (const z of stateZones) add(z, 'property_state');
    if (stateZones.length > 1) notes.push(`state ${normalizeUsState(input.propertyState)} spans ${stateZones.length} zones and no usable postal code: all of them apply`);
  }

  if (input.phoneE164) {
    const ac = nanpAreaCode(input.phoneE164);
    const acZones = zonesForAreaCode(ac);
    if (!ac) notes.push('number is not a NANP number: no area-code candidate');
    else if (!acZones) notes.push(`area code ${ac} unknown (non-geographic or new): not a candidate`);
    else for (const z of acZones) add(z, 'area_code');
  }

  let usedTenantFallback = false;
  if (candidates.length === 0) {
    const tz = isValidZone(input.tenantTimezone) ? input.tenantTimezone!.trim() : 'America/New_York';
    if (input.tenantTimezone && !isValidZone(input.tenantTimezone)) notes.push(`tenant timezone "${input.tenantTimezone}" invalid: America/New_York used`);
    add(tz, 'tenant');
    usedTenantFallback = true;
  }
  const zones = [...new Set(candidates.map((c) => c.zone))];
  return { candidates, zones, notes, usedTenantFallback };
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * UTC offset (minutes) of `zone` at instant `ms`, memoized per zone and 15-minute bucket (offsets only
 * change at transitions, which fall on quarter hours): the scheduler evaluates hundreds of cases per pass.
 */
const offsetCache = new Map<string, number>();
const BUCKET_MS = 15 * MINUTE;
function zoneOffset(ms: number, zone: string): number {
  const key = `${zone}|${Math.floor(ms / BUCKET_MS)}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    const z = ianaZone(zone);
    if (!z) throw new Error(`not an IANA time zone: ${zone}`);
    off = z.offset(Math.floor(ms / BUCKET_MS) * BUCKET_MS);
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, off);
  }
  return off;
}

/** Minutes since local midnight of instant `ms` in `zone` (UTC offset from the tz database). */
function localMinutes(ms: number, zone: string): number {
  const local = Math.floor(ms / MINUTE) + zoneOffset(ms, zone);
  return ((local % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
}

/** Local wall-clock time of `t` in `zone` (ISO 8601 with its UTC offset, seconds precision). */
export function localIso(t: Date, zone: string): string {
  const off = zoneOffset(t.getTime(), zone);
  const local = new Date(Math.floor(t.getTime() / 1000) * 1000 + off * MINUTE).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function inWindowMs(ms: number, zone: string): boolean {
  const m = localMinutes(ms, zone);
  return m >= WINDOW_START_MINUTES && m < WINDOW_END_MINUTES;
}

/** 08:00 <= local time < 21:00 in this zone. */
export function inWindow(t: Date, zone: string): boolean {
  return inWindowMs(t.getTime(), zone);
}

export function inWindowAll(t: Date, zones: readonly string[]): boolean {
  return zones.every((z) => inWindowMs(t.getTime(), z));
}

/** The first 08:00 local in `zone` strictly after `ms` (from a moment outside the window), DST-aware. */
function nextWindowStart(ms: number, zone: string): number {
  const floor = Math.floor(ms / MINUTE) * MINUTE;
  const m = localMinutes(floor, zone);
  const ahead = m < WINDOW_START_MINUTES ? WINDOW_START_MINUTES - m : DAY_MINUTES - m + WINDOW_START_MINUTES;
  let t = floor + ahead * MINUTE;
  // a DST change in between shifts the wall clock: correct until it reads 08:00 (at most twice)
  for (let i = 0; i < 2; i++) {
    const diff = WINDOW_START_MINUTES - localMinutes(t, zone);
    if (diff === 0) break;
    t += (Math.abs(diff) > DAY_MINUTES / 2 ? diff - Math.sign(diff) * DAY_MINUTES : diff) * MINUTE;
  }
  return t;
}

/** How far ahead nextLawfulMoment looks before declaring that the zones never share a lawful hour. */
const SEARCH_DAYS = 8;

/**
 * The earliest instant >= from that is inside 08:00-21:00 in every zone; null if there is none in the
 * next 8 days (zones that never share a lawful hour). From `from`, jump to the latest "next 08:00" of
 * the zones that are closed, until all are open: every jump lands on a window start of some zone, and
 * no lawful instant is skipped (a zone that is closed stays closed until its own next 08:00).
 */
export function nextLawfulMoment(from: Date, zones: readonly string[]): Date | null {
  if (zones.length === 0) return null;
  const limit = from.getTime() + SEARCH_DAYS * DAY_MINUTES * MINUTE;
  let t = from.getTime();
  while (t <= limit) {
    let next = t;
    for (const z of zones) if (!inWindowMs(t, z)) next = Math.max(next, nextWindowStart(t, z));
    if (next === t) return new Date(t);
    t = next;
  }
  return null;
}

/** Start of the local calendar day `days` days after the day of `t` in `zone` (DST-correct). */
export function startOfLocalDayPlus(t: Date, zone: string, days: number): Date {
  return DateTime.fromJSDate(t, { zone }).startOf('day').plus({ days }).toJSDate();
}

export function timezoneEvidence(candidates: ZoneCandidate[], now: Date): TimezoneEvidence[] {
  return candidates.map((c) => ({ zone: c.zone, source: c.source, localTime: localIso(now, c.zone) }));
}
