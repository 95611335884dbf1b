import { IANAZone } from 'luxon';
import { getCountry } from 'countries-and-timezones';
import { nanpAreaCode, phoneCountries } from '../../common/phone';
import { AREA_CODE_ZONES, NON_GEOGRAPHIC_AREA_CODES } from './data/nanp-area-code-zones';
import { US_STATE_ZONES, normalizeUsState } from './data/us-state-zones';
import { US_ZIP_ZONE_GROUPS } from './data/us-zip-zones';
import { TimezoneEvidence } from './call-rules.types';

/**
 * Candidate time zones of a debtor (docs/call-rules.md, calling window): the debtor's own zone, the property address of
 * the lease (postal code, else every zone of the state), and the number called (its area code, or its
 * country outside North America). All known candidates must be inside the window; the tenant's zone is
 * used only when nothing about the debtor is known. Zone math is luxon over Node's ICU tz database.
 * Where each data set comes from: src/calls/rules/data/README.md.
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
  /** what could not be used, what was widened, and why */
  notes: string[];
  /** true when nothing about the debtor was known and the tenant's zone was used */
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
  // Stryker disable next-line ConditionalExpression: a cache; building the zone again gives the same zone
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

/**
 * Legacy and abbreviated names people store for a debtor, mapped to the regional zones they are used
 * for. ICU reads "EST" and "MST" as fixed offsets with no DST, which is wrong for the places that write
 * them; "MST" is written both where DST is kept (Denver) and where it is not (Phoenix).
 */
const LEGACY_ZONES: Record<string, readonly string[]> = {
  EST: ['America/New_York'], EDT: ['America/New_York'], EST5EDT: ['America/New_York'], 'US/EASTERN': ['America/New_York'],
  'US/MICHIGAN': ['America/New_York'], 'US/EAST-INDIANA': ['America/New_York'], ET: ['America/New_York'],
  CST: ['America/Chicago'], CDT: ['America/Chicago'], CST6CDT: ['America/Chicago'], 'US/CENTRAL': ['America/Chicago'],
  'US/INDIANA-STARKE': ['America/Chicago'], CT: ['America/Chicago'],
  MST: ['America/Denver', 'America/Phoenix'], MDT: ['America/Denver'], MST7MDT: ['America/Denver'], 'US/MOUNTAIN': ['America/Denver'],
  MT: ['America/Denver', 'America/Phoenix'], 'US/ARIZONA': ['America/Phoenix'],
  PST: ['America/Los_Angeles'], PDT: ['America/Los_Angeles'], PST8PDT: ['America/Los_Angeles'], 'US/PACIFIC': ['America/Los_Angeles'],
  PT: ['America/Los_Angeles'],
  AKST: ['America/Anchorage'], AKDT: ['America/Anchorage'], 'US/ALASKA': ['America/Anchorage'],
  HST: ['Pacific/Honolulu'], 'US/HAWAII': ['Pacific/Honolulu'], HAST: ['America/Adak'], HADT: ['America/Adak'], 'US/ALEUTIAN': ['America/Adak'],
  AST: ['America/Puerto_Rico', 'America/Halifax'], ADT: ['America/Halifax'], 'US/SAMOA': ['Pacific/Pago_Pago'], SST: ['Pacific/Pago_Pago'],
  CHST: ['Pacific/Guam'], NST: ['America/St_Johns'], NDT: ['America/St_Johns'],
};

/**
 * The regional zones a stored zone name stands for: a legacy name gives its zones, an IANA name
 * itself, anything else null.
 */
export function zonesForZoneName(name: string | null | undefined): readonly string[] | null {
  if (!name || typeof name !== 'string') return null;
  const legacy = LEGACY_ZONES[name.trim().toUpperCase()];
  if (legacy) return legacy;
  return isValidZone(name) ? [name.trim()] : null;
}

/** Zones of a geographic NANP area code; null for non-geographic or unknown codes. */
export function zonesForAreaCode(areaCode: string | null | undefined): readonly string[] | null {
  if (!areaCode) return null;
  return AREA_CODE_ZONES.get(areaCode) ?? null;
}

/** Every zone in use in a country (ISO 3166 alpha-2), from the tz database; null when unknown. */
export function zonesForCountry(country: string | null | undefined): readonly string[] | null {
  if (!country) return null;
  const zones = getCountry(country.toUpperCase())?.timezones;
  return zones && zones.length > 0 ? zones : null;
}

export function zonesForState(state: string | null | undefined): readonly string[] | null {
  const code = normalizeUsState(state);
  return code ? US_STATE_ZONES[code] : null;
}

let zipIndex: Map<number, readonly string[]> | null = null;
function zipTable(): Map<number, readonly string[]> {
  if (!zipIndex) {
    zipIndex = new Map();
    for (const [zones, list] of US_ZIP_ZONE_GROUPS) {
      for (const item of list.split(' ')) {
        const [a, b] = item.split('-').map(Number);
        for (let n = a; n <= (b ?? a); n++) zipIndex.set(n, zones);
      }
    }
  }
  return zipIndex;
}

/** Every zone the area of a US postal code (ZIP or ZIP+4) may be in; null when unknown or malformed. */
export function zonesForPostalCode(postalCode: string | null | undefined): readonly string[] | null {
  if (!postalCode) return null;
  const m = /^\s*(\d{5})(?:[-\s]?\d{4})?\s*$/.exec(String(postalCode));
  if (!m) return null;
  return zipTable().get(Number(m[1])) ?? null;
}

/**
 * Zones of the number called: its area code in North America, else every zone of its country. A
 * non-geographic code (toll-free, 5XX, 600, 900) says the debtor is somewhere in the country and
 * nothing more: `placeless` tells the caller to use it only when nothing else about the debtor is known.
 */
function phoneZones(e164: string, notes: string[]): { zones: readonly string[]; source: ZoneSource; placeless: boolean } | null {
  const ac = nanpAreaCode(e164);
  if (ac) {
    const zones = zonesForAreaCode(ac);
    if (zones) return { zones, source: 'area_code', placeless: false };
  }
  const countries = phoneCountries(e164);
  const zones = [...new Set(countries.flatMap((c) => zonesForCountry(c) ?? []))];
  const placeless = ac !== null && NON_GEOGRAPHIC_AREA_CODES.has(ac);
  if (zones.length === 0) {
    notes.push(`no country known for ${e164.slice(0, 4)}…: no candidate from the number`);
    return null;
  }
  if (ac && !placeless) notes.push(`area code ${ac} has no time-zone entry: every zone of ${countries.join('/')} applies`);
  if (!ac && zones.length > 1) notes.push(`number of ${countries.join('/')}: its ${zones.length} zones apply`);
  return { zones, source: ac ? 'area_code' : 'phone_country', placeless };
}

/** Every candidate zone for a debtor, with where each came from. */
export function resolveTimezones(input: TimezoneInputs): ResolvedTimezones {
  const candidates: ZoneCandidate[] = [];
  const notes: string[] = [];
  const add = (zone: string, source: ZoneSource) => {
    if (!candidates.some((c) => c.zone === zone && c.source === source)) candidates.push({ zone, source });
  };

  if (input.debtorTimezone) {
    const zones = zonesForZoneName(input.debtorTimezone);
    if (!zones) notes.push(`debtor timezone "${input.debtorTimezone}" is not an IANA zone: not a candidate`);
    else {
      if (zones[0] !== input.debtorTimezone.trim()) notes.push(`debtor timezone "${input.debtorTimezone}" is a legacy name: ${zones.join(', ')}`);
      for (const z of zones) add(z, 'debtor');
    }
  }

  const state = normalizeUsState(input.propertyState);
  const stateZones = zonesForState(input.propertyState);
  if (input.propertyState && !stateZones) notes.push(`property state "${input.propertyState}" unknown: not a candidate`);
  const zipZones = zonesForPostalCode(input.propertyPostalCode);
  if (input.propertyPostalCode && !zipZones) notes.push(`property postal code "${input.propertyPostalCode}" unknown: not a candidate`);
  if (zipZones) {
    for (const z of zipZones) add(z, 'property_postal_code');
    if (stateZones && zipZones.some((z) => !stateZones.includes(z))) {
      // The postal code and the state disagree: trust neither alone.
      notes.push(`property postal code zones ${zipZones.join(', ')} are not all zones of state ${state}: both kept`);
      for (const z of stateZones) add(z, 'property_state');
    } else if (stateZones && zipZones.length > 1) {
      // The postal code is not known to lie in one zone: it removes none of its state's zones.
      for (const z of stateZones) add(z, 'property_state');
      notes.push(`property postal code spans ${zipZones.join(', ')}: every zone of state ${state} kept`);
    }
  } else if (stateZones) {
    for (const z of stateZones) add(z, 'property_state');
    if (stateZones.length > 1) notes.push(`state ${state} spans ${stateZones.length} zones and no usable postal code: all of them apply`);
  }

  if (input.phoneE164) {
    const p = phoneZones(input.phoneE164, notes);
    const ac = nanpAreaCode(input.phoneE164);
    if (p?.placeless && candidates.length > 0) notes.push(`area code ${ac} is not tied to a place: not a candidate (the debtor's zones are known)`);
    else if (p) {
      if (p.placeless) notes.push(`area code ${ac} is not tied to a place and nothing else is known: every zone of ${phoneCountries(input.phoneE164).join('/')} applies`);
      for (const z of p.zones) add(z, p.source);
    }
  }

  let usedTenantFallback = false;
  if (candidates.length === 0) {
    const tz = zonesForZoneName(input.tenantTimezone) ?? ['America/New_York'];
    if (input.tenantTimezone && !zonesForZoneName(input.tenantTimezone)) notes.push(`tenant timezone "${input.tenantTimezone}" invalid: America/New_York used`);
    for (const z of tz) add(z, 'tenant');
    usedTenantFallback = true;
  }
  const zones = [...new Set(candidates.map((c) => c.zone))];
  return { candidates, zones, notes, usedTenantFallback };
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * UTC offset (minutes) of `zone` at instant `ms`, memoized per zone and 15-minute bucket (offsets only
 * change at transitions, which fall on quarter hours): the scheduler evaluates hundreds of cases per
 * pass. One map per zone with numeric keys: a string key per lookup cost more than the lookup.
 */
const offsetCache = new Map<string, Map<number, number>>();
let offsetCacheSize = 0;
const BUCKET_MS = 15 * MINUTE;
function zoneOffset(ms: number, zone: string): number {
  const bucket = Math.floor(ms / BUCKET_MS);
  let byBucket = offsetCache.get(zone);
  let off = byBucket?.get(bucket);
  // Stryker disable next-line ConditionalExpression: a cache; reading the offset again gives the same offset
  if (off === undefined) {
    const z = ianaZone(zone);
    if (!z) throw new Error(`not an IANA time zone: ${zone}`);
    off = z.offset(bucket * BUCKET_MS);
    // Stryker disable next-line all: the bound only limits memory; no answer depends on it
    if (offsetCacheSize > 50_000) {
      offsetCache.clear();
      offsetCacheSize = 0;
      byBucket = undefined;
    }
    // Stryker disable next-line ConditionalExpression: a new map for a zone that has one only drops cached offsets
    if (!byBucket) offsetCache.set(zone, (byBucket = new Map()));
    byBucket.set(bucket, off);
    // Stryker disable next-line UpdateOperator: the count only bounds memory
    offsetCacheSize++;
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

/** The first 08:00 local in `zone` strictly after `ms` (from a moment outside the window), DST-aware. */
function nextWindowStart(ms: number, zone: string): number {
  const floor = Math.floor(ms / MINUTE) * MINUTE;
  const m = localMinutes(floor, zone);
  const ahead = m < WINDOW_START_MINUTES ? WINDOW_START_MINUTES - m : DAY_MINUTES - m + WINDOW_START_MINUTES;
  let t = floor + ahead * MINUTE;
  // A DST change in between shifts the wall clock: correct until it reads 08:00 (at most twice). The
  // first guess is off by the size of the change at most, so mutants that only change how a large
  // difference is folded, or how many times the loop may run once the clock reads 08:00, give the
  // same instant.
  // Stryker disable next-line EqualityOperator,UpdateOperator
  for (let i = 0; i < 2; i++) {
    const diff = WINDOW_START_MINUTES - localMinutes(t, zone);
    // Stryker disable next-line ConditionalExpression: adding a difference of 0 changes nothing
    if (diff === 0) break;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator
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

const DAY_MS = DAY_MINUTES * MINUTE;
// UTC offsets lie within -12:00..+14:00, so every instant whose wall clock can read `local` lies in
// local - 14 h .. local + 12 h; the offsets at the two ends are the candidate readings.
const EARLIEST_OFFSET_MS = 14 * 60 * MINUTE;
const LATEST_OFFSET_MS = 12 * 60 * MINUTE;

/**
 * The first instant of the local calendar day `days` days after the day of `t` in `zone`. Where a DST
 * change skips midnight the day starts at the first wall-clock time that exists (01:00 in Havana);
 * where it repeats midnight the day starts at its first occurrence, so the result never lies after
 * an instant of the same day.
 */
export function startOfLocalDayPlus(t: Date, zone: string, days: number): Date {
  const ms = t.getTime();
  const localDay = Math.floor((ms + zoneOffset(ms, zone) * MINUTE) / DAY_MS);
  return new Date(wallClockToInstant((localDay + days) * DAY_MS, zone));
}

/**
 * The earliest instant whose wall clock in `zone` reads `local` (ms since the epoch as if the zone
 * were UTC). A wall-clock time that never happens (the hour a DST change skips) moves forward by the
 * size of the gap, as the tz database's own arithmetic does.
 */
function wallClockToInstant(local: number, zone: string): number {
  const before = zoneOffset(local - EARLIEST_OFFSET_MS, zone);
  const after = zoneOffset(local + LATEST_OFFSET_MS, zone);
  // Where the wall clock reads `local` twice (clocks set back), the reading under the earlier offset
  // comes first: a larger offset gives a smaller instant, and the offset before a set-back is larger.
  for (const off of [before, after]) {
    const utc = local - off * MINUTE;
    if (zoneOffset(utc, zone) === off) return utc;
  }
  return local - Math.min(before, after) * MINUTE;
}

export function timezoneEvidence(candidates: ZoneCandidate[], now: Date): TimezoneEvidence[] {
  return candidates.map((c) => ({ zone: c.zone, source: c.source, localTime: localIso(now, c.zone) }));
}

/** The channels that reach a debtor; each is held to the same window and location rules. */
export type ContactChannel = 'call' | 'sms' | 'email';

export interface ContactWindowInput {
  channel: ContactChannel;
  zones: readonly string[];
  now: Date;
  /**
   * How long after `now` the contact may still reach the debtor: for a call, the ring timeout plus
   * the time the dial may wait in the provider's queue (callMarginSeconds); 0 for SMS and email.
   */
  marginSeconds: number;
}

export interface ContactWindowResult {
  channel: ContactChannel;
  allowed: boolean;
  marginSeconds: number;
  /** the span checked: every instant of [from, until) must be inside 08:00-21:00 in every zone */
  from: string;
  until: string;
  zones: { zone: string; localFrom: string; localUntil: string; inside: boolean }[];
  /** earliest moment a contact with this margin is allowed (null: the zones never allow it) */
  nextAllowedAt: Date | null;
  detail: string;
}

/**
 * The seconds a dial placed now may still be ringing: the ring timeout plus the current queue delay
 * (CPS limit) before the provider places it. Rounded up to whole seconds.
 */
export function callMarginSeconds(input: { ringTimeoutSeconds: number; queueDelaySeconds: number }): number {
  for (const field of ['ringTimeoutSeconds', 'queueDelaySeconds'] as const) {
    const v = input[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`callMarginSeconds: ${field} must be a number >= 0, got ${String(v)}`);
  }
  return Math.ceil(input.ringTimeoutSeconds + input.queueDelaySeconds);
}

function spanInside(fromMs: number, marginMs: number, zones: readonly string[]): boolean {
  // Window edges are whole local minutes, so checking both ends of the span is enough (a span of
  // minutes to hours cannot leave and re-enter the window).
  return zones.every((z) => inWindowMs(fromMs, z) && (marginMs === 0 || inWindowMs(fromMs + marginMs - 1, z)));
}

/**
 * The earliest instant >= from at which a contact that may last marginSeconds stays inside
 * 08:00-21:00 in every zone; null if none in the next 8 days.
 */
export function nextContactMoment(from: Date, zones: readonly string[], marginSeconds: number): Date | null {
  const marginMs = Math.ceil(marginSeconds) * 1000;
  let t: Date | null = from;
  // From the next moment all zones are open, skip past any start whose span would cross 21:00.
  for (let i = 0; i < 32 && t; i++) {
    t = nextLawfulMoment(t, zones);
    if (!t || spanInside(t.getTime(), marginMs, zones)) return t;
    t = new Date(t.getTime() + Math.max(marginMs, MINUTE));
  }
  return null;
}

/**
 * Whether a contact starting at `now` stays inside 08:00-21:00 local in every zone until
 * now + marginSeconds: a call checked at 20:59:30 with a 30 s ring timeout and a 5 s queue delay
 * could ring after 21:00 and is not allowed. The same check serves SMS and email with margin 0.
 */
export function contactWindowCheck(input: ContactWindowInput): ContactWindowResult {
  const { channel, zones, now } = input;
  if (!Number.isFinite(input.marginSeconds) || input.marginSeconds < 0) {
    throw new Error(`contactWindowCheck: marginSeconds must be a number >= 0, got ${String(input.marginSeconds)}`);
  }
  if (zones.length === 0) throw new Error('contactWindowCheck: zones must not be empty');
  const marginMs = Math.ceil(input.marginSeconds) * 1000;
  const until = new Date(now.getTime() + marginMs);
  const allowed = spanInside(now.getTime(), marginMs, zones);
  const nextAllowedAt = allowed ? now : nextContactMoment(now, zones, input.marginSeconds);
  const perZone = zones.map((zone) => ({
    zone,
    localFrom: localIso(now, zone),
    localUntil: localIso(until, zone),
    inside: spanInside(now.getTime(), marginMs, [zone]),
  }));
  const outside = perZone.filter((z) => !z.inside);
  const detail = allowed
    ? `${channel}: ${now.toISOString()} + ${input.marginSeconds}s inside 08:00-21:00 in ${zones.join(', ')}`
    : `${channel}: ${now.toISOString()} + ${input.marginSeconds}s leaves 08:00-21:00 in ${outside.map((z) => `${z.zone} (${z.localFrom.slice(11, 19)}-${z.localUntil.slice(11, 19)})`).join(', ')}`;
  return { channel, allowed, marginSeconds: input.marginSeconds, from: now.toISOString(), until: until.toISOString(), zones: perZone, nextAllowedAt, detail };
}
