/**
 * npx tsx scripts/geo-data/refresh-area-codes.ts <npa_report.csv>
 *
 * Regenerates src/calls/rules/data/nanp-area-code-zones.ts from NANPA's area code report (the
 * "NPA report" CSV that NANPA publishes with every area code's location, overlay complex and
 * TIME_ZONE letters; download it from NANPA's area code pages and pass its path).
 * - Geographic codes in service or assigned (USE G) get the zones of their TIME_ZONE letters, read
 *   per location (M in Arizona is Phoenix, C in Saskatchewan is Regina...), then every code of an
 *   overlay complex gets the zones of the whole complex (an overlay serves the region it overlays).
 * - Caribbean and Atlantic members get the zones of their country (countries-and-timezones, by the
 *   region libphonenumber-js gives the area code).
 * - Non-geographic codes (USE N: toll-free, 5XX personal, 600/622 in Canada, 900...) are listed as
 *   such: they say nothing about where the debtor is (any zone of the country).
 * - REFINEMENTS adds the zones of places that NANPA's one-letter field leaves out, each with its
 *   reason (the Canadian numbering administrator's maps and the tz database agree on them).
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { getCountry } from 'countries-and-timezones';
import { sortZones } from './lib';

const OUT = join(__dirname, '../../src/calls/rules/data/nanp-area-code-zones.ts');

const US_LETTERS: Record<string, string> = {
  E: 'America/New_York', C: 'America/Chicago', M: 'America/Denver', P: 'America/Los_Angeles', AK: 'America/Anchorage',
};
const CA_LETTERS: Record<string, string> = {
  E: 'America/Toronto', C: 'America/Winnipeg', M: 'America/Edmonton', P: 'America/Vancouver', A: 'America/Halifax', N: 'America/St_Johns',
};
/** Locations whose letters mean a zone other than the country's usual one. */
const BY_LOCATION: Record<string, Record<string, string>> = {
  AZ: { M: 'America/Phoenix' }, // no DST (the Navajo Nation is a refinement below)
  SASKATCHEWAN: { C: 'America/Regina' }, // Central standard time all year
  'NEW BRUNSWICK': { A: 'America/Moncton' },
  HI: { '(UTC-10)': 'Pacific/Honolulu' },
  GU: { '(UTC+10)': 'Pacific/Guam' },
  CNMI: { '(UTC+10)': 'Pacific/Saipan' },
  AS: { 'UTC-11': 'Pacific/Pago_Pago' },
  PR: { A: 'America/Puerto_Rico' },
  VI: { A: 'America/St_Thomas' },
  NV: { 'PT/MT only for W Wendover': 'P M' },
};

/** Zones NANPA's field leaves out; added to the whole overlay complex of the code. */
const REFINEMENTS: { code: string; zones: string[]; why: string }[] = [
  { code: '907', zones: ['America/Adak'], why: 'Aleutian Islands west of 169°30′W keep Hawaii-Aleutian time' },
  { code: '928', zones: ['America/Denver'], why: 'the Navajo Nation in north-east Arizona keeps DST' },
  { code: '250', zones: ['America/Edmonton', 'America/Dawson_Creek'], why: 'BC: East Kootenay keeps Mountain time; Peace River, Creston and Fort Nelson keep UTC-7 all year' },
  { code: '418', zones: ['America/Halifax', 'America/Blanc-Sablon'], why: 'Quebec: the Magdalen Islands keep Atlantic time; the Lower North Shore east of Natashquan keeps AST all year' },
  { code: '709', zones: ['America/Goose_Bay'], why: 'Labrador (except its south-east coast) keeps Atlantic time' },
  { code: '807', zones: ['America/Atikokan'], why: 'Atikokan and Shebandowan keep EST all year' },
  { code: '867', zones: ['America/Iqaluit', 'America/Rankin_Inlet', 'America/Whitehorse'], why: 'Nunavut spans Eastern to Mountain; Yukon keeps UTC-7 all year' },
  { code: '306', zones: ['America/Edmonton'], why: 'Lloydminster (Saskatchewan side) keeps Alberta time' },
];

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        cells.push(cur);
        cur = '';
      } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

const file = process.argv[2];
if (!file) throw new Error('usage: refresh-area-codes.ts <path of NANPA npa_report.csv>');
const [dateLine, header, ...data] = parseCsv(readFileSync(file, 'latin1'));
if (dateLine[0] !== 'File Date') throw new Error(`${file}: first line is not NANPA's "File Date" line`);
const col = (name: string) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`${file}: no column ${name}`);
  return i;
};
const [NPA, USE, LOCATION, COUNTRY, IN_SERVICE, ASSIGNED, OVERLAY_COMPLEX, TIME_ZONE] = [
  'NPA_ID', 'USE', 'LOCATION', 'COUNTRY', 'IN_SERVICE', 'ASSIGNED', 'OVERLAY_COMPLEX', 'TIME_ZONE',
].map(col);

const zonesOf = new Map<string, Set<string>>();
const nonGeographic = new Set<string>();
const complexes: string[][] = [];

for (const r of data) {
  const npa = r[NPA];
  if (!/^\d{3}$/.test(npa)) throw new Error(`${file}: NPA_ID "${npa}" is not three digits`);
  const live = r[IN_SERVICE] === 'Y' || r[ASSIGNED] === 'Yes';
  if (!live) continue;
  if (r[USE] === 'N') {
    nonGeographic.add(npa);
    continue;
  }
  if (r[USE] !== 'G') continue;
  const loc = r[LOCATION].trim().toUpperCase();
  const letters = r[TIME_ZONE].trim();
  const region = parsePhoneNumberFromString(`+1${npa}2345678`)?.country;
  let zones: string[];
  if (BY_LOCATION[loc]?.[letters]) {
    zones = BY_LOCATION[loc][letters].split(' ').map((l) => US_LETTERS[l] ?? l);
  } else if (r[COUNTRY] === 'US' || r[COUNTRY] === 'CANADA') {
    const table = r[COUNTRY] === 'US' ? US_LETTERS : CA_LETTERS;
    const parts = letters === 'AK' ? ['AK'] : letters.split('');
    zones = parts.map((l) => {
      const z = BY_LOCATION[loc]?.[l] ?? table[l];
      if (!z) throw new Error(`${file}: area code ${npa} (${loc}): time zone "${letters}" unknown`);
      return z;
    });
  } else {
    const country = region ? getCountry(region) : null;
    if (!country || country.timezones.length === 0) throw new Error(`${file}: area code ${npa} (${loc}): no country zones for region ${region}`);
    zones = [...country.timezones];
  }
  zonesOf.set(npa, new Set(zones));
  const members = (r[OVERLAY_COMPLEX].match(/\d{3}/g) ?? []).filter((m) => m !== npa);
  complexes.push([npa, ...members]);
}
for (const ref of REFINEMENTS) {
  const z = zonesOf.get(ref.code);
  if (!z) throw new Error(`refinement for ${ref.code}: not in the report`);
  ref.zones.forEach((zone) => z.add(zone));
}

// Overlay complexes: union-find over the codes named together; each code gets the union of its complex.
const parent = new Map<string, string>();
const root = (c: string): string => {
  const p = parent.get(c) ?? c;
  if (p === c) return c;
  const r = root(p);
  parent.set(c, r);
  return r;
};
for (const [first, ...rest] of complexes) for (const m of rest) if (zonesOf.has(m)) parent.set(root(m), root(first));
const complexZones = new Map<string, Set<string>>();
for (const [npa, zones] of zonesOf) {
  const r = root(npa);
  const s = complexZones.get(r) ?? complexZones.set(r, new Set()).get(r)!;
  zones.forEach((z) => s.add(z));
}

const final = new Map<string, string[]>();
for (const npa of zonesOf.keys()) final.set(npa, sortZones(complexZones.get(root(npa))!));

const groups = new Map<string, string[]>();
for (const [npa, zones] of [...final.entries()].sort(([a], [b]) => a.localeCompare(b))) {
  const key = zones.join(' ');
  (groups.get(key) ?? groups.set(key, []).get(key)!).push(npa);
}
const body = [...groups.entries()]
  .sort((a, b) => b[1].length - a[1].length)
  .map(([zones, codes]) => `  [${JSON.stringify(zones.split(' '))}, '${codes.join(' ')}'],`)
  .join('\n');

writeFileSync(
  OUT,
  `/**
 * GENERATED by scripts/geo-data/refresh-area-codes.ts — do not edit by hand; run the script.
 * NANP area code -> every time zone of the region it serves, from NANPA's area code report
 * (${dateLine.join(' ').trim()}): its TIME_ZONE letters, with every code of an overlay complex
 * carrying the zones of the whole complex; Caribbean members take the zones of their country.
 * Added to NANPA's letters (the Canadian administrator's maps and the tz database):
${REFINEMENTS.map((r) => ` * - ${r.code} and its overlays: ${r.zones.join(', ')} (${r.why})`).join('\n')}
 */
export const AREA_CODE_SOURCE = ${JSON.stringify({ nanpaFileDate: dateLine[1], geographic: final.size, nonGeographic: nonGeographic.size })} as const;

const GROUPS: [zones: string[], areaCodes: string][] = [
${body}
];

export const AREA_CODE_ZONES: ReadonlyMap<string, readonly string[]> = new Map(
  GROUPS.flatMap(([zones, codes]) => codes.split(' ').map((c) => [c, zones] as [string, string[]])),
);

/** Codes that are not tied to a place (toll-free, personal communications, 600, 900...): any zone of the country. */
export const NON_GEOGRAPHIC_AREA_CODES: ReadonlySet<string> = new Set(
  '${[...nonGeographic].sort().join(' ')}'.split(' '),
);
`,
);
console.log(`wrote ${OUT}: ${final.size} geographic area codes in ${groups.size} groups, ${nonGeographic.size} non-geographic`);
