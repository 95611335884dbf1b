/**
 * US state / territory -> every time zone used somewhere in it. Without a postal code, a call must be
 * lawful in every zone of the state. Zones that keep the same clock are named by one zone (Indiana's
 * and Kentucky's Eastern zones are America/New_York, Boise is America/Denver...), as in the postal-code
 * table; a unit test checks that every zone the postal-code data finds in a state is listed here.
 * Facts: FL panhandle Central; MI's four UP counties Central; IN's NW and SW corners Central; KY and TN
 * west Central; AL's Phenix City area keeps Eastern time; TX far west Mountain; KS, NE, ND, SD west
 * Mountain; ID north Pacific; OR's Malheur county Mountain; NV's West Wendover Mountain; AZ has no DST
 * except the Navajo Nation; AK's Aleutians west of 169°30'W on Hawaii-Aleutian time.
 */
export const US_STATE_ZONES: Readonly<Record<string, readonly string[]>> = {
  AL: ['America/Chicago', 'America/New_York'],
  AK: ['America/Anchorage', 'America/Adak'],
  AZ: ['America/Phoenix', 'America/Denver'],
  AR: ['America/Chicago'],
  CA: ['America/Los_Angeles'],
  CO: ['America/Denver'],
  CT: ['America/New_York'],
  DE: ['America/New_York'],
  DC: ['America/New_York'],
  FL: ['America/New_York', 'America/Chicago'],
  GA: ['America/New_York'],
  HI: ['Pacific/Honolulu'],
  ID: ['America/Denver', 'America/Los_Angeles'],
  IL: ['America/Chicago'],
  IN: ['America/New_York', 'America/Chicago'],
  IA: ['America/Chicago'],
  KS: ['America/Chicago', 'America/Denver'],
  KY: ['America/New_York', 'America/Chicago'],
  LA: ['America/Chicago'],
  ME: ['America/New_York'],
  MD: ['America/New_York'],
  MA: ['America/New_York'],
  MI: ['America/New_York', 'America/Chicago'],
  MN: ['America/Chicago'],
  MS: ['America/Chicago'],
  MO: ['America/Chicago'],
  MT: ['America/Denver'],
  NE: ['America/Chicago', 'America/Denver'],
  NV: ['America/Los_Angeles', 'America/Denver'],
  NH: ['America/New_York'],
  NJ: ['America/New_York'],
  NM: ['America/Denver'],
  NY: ['America/New_York'],
  NC: ['America/New_York'],
  ND: ['America/Chicago', 'America/Denver'],
  OH: ['America/New_York'],
  OK: ['America/Chicago'],
  OR: ['America/Los_Angeles', 'America/Denver'],
  PA: ['America/New_York'],
  RI: ['America/New_York'],
  SC: ['America/New_York'],
  SD: ['America/Chicago', 'America/Denver'],
  TN: ['America/Chicago', 'America/New_York'],
  TX: ['America/Chicago', 'America/Denver'],
  UT: ['America/Denver'],
  VT: ['America/New_York'],
  VA: ['America/New_York'],
  WA: ['America/Los_Angeles'],
  WV: ['America/New_York'],
  WI: ['America/Chicago'],
  WY: ['America/Denver'],
  PR: ['America/Puerto_Rico'],
  VI: ['America/Puerto_Rico'],
  GU: ['Pacific/Guam'],
  MP: ['Pacific/Guam'],
  AS: ['Pacific/Pago_Pago'],
};

/** Full state names (lower case) -> postal abbreviation, for addresses that spell the state out. */
const NAMES: Record<string, string> = {
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO', connecticut: 'CT',
  delaware: 'DE', 'district of columbia': 'DC', florida: 'FL', georgia: 'GA', hawaii: 'HI', idaho: 'ID', illinois: 'IL',
  indiana: 'IN', iowa: 'IA', kansas: 'KS', kentucky: 'KY', louisiana: 'LA', maine: 'ME', maryland: 'MD',
  massachusetts: 'MA', michigan: 'MI', minnesota: 'MN', mississippi: 'MS', missouri: 'MO', montana: 'MT',
  nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH', 'new jersey': 'NJ', 'new mexico': 'NM', 'new york': 'NY',
  'north carolina': 'NC', 'north dakota': 'ND', ohio: 'OH', oklahoma: 'OK', oregon: 'OR', pennsylvania: 'PA',
  'rhode island': 'RI', 'south carolina': 'SC', 'south dakota': 'SD', tennessee: 'TN', texas: 'TX', utah: 'UT',
  vermont: 'VT', virginia: 'VA', washington: 'WA', 'west virginia': 'WV', wisconsin: 'WI', wyoming: 'WY',
  'puerto rico': 'PR', 'virgin islands': 'VI', 'us virgin islands': 'VI', guam: 'GU',
  'northern mariana islands': 'MP', cnmi: 'MP', 'american samoa': 'AS',
};

/** 'tx', 'Texas', ' TX ' -> 'TX'; null when not a US state or territory we know. */
export function normalizeUsState(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = raw.trim().replace(/\./g, '');
  if (s === '') return null;
  const upper = s.toUpperCase();
  if (upper in US_STATE_ZONES) return upper;
  return NAMES[s.toLowerCase().replace(/\s+/g, ' ')] ?? null;
}
