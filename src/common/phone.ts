import { parsePhoneNumberFromString, CountryCode, getCountries, getCountryCallingCode } from 'libphonenumber-js';
import { memoized } from './memoized';

/**
 * Phone numbers to E.164 with libphonenumber-js (the maintained port of Google's libphonenumber).
 * Returns null for anything that is not a valid number, so callers never dial a guess.
 */
export function toE164(raw: string | null | undefined, defaultCountry: CountryCode = 'US'): string | null {
  // Stryker disable next-line LogicalOperator: equivalent: a short cut; "null" and "undefined" do not parse as numbers either
  if (raw === null || raw === undefined) return null;
  const s = String(raw).trim();
  // Stryker disable next-line StringLiteral: equivalent: a short cut; an empty text does not parse as a number either
  if (s === '') return null;
  return parseE164(`${defaultCountry}|${s}`);
}

// One number is checked several times per decision (zones, call rules, text rules): parse it once.
const parseE164 = memoized((key: string): string | null => {
  const bar = key.indexOf('|');
  const parsed = parsePhoneNumberFromString(key.slice(bar + 1), key.slice(0, bar) as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}, 50000);

/** The NANP area code of an E.164 +1 number, or null. */
export function nanpAreaCode(e164: string | null | undefined): string | null {
  if (!e164) return null;
  const m = /^\+1(\d{3})\d{7}$/.exec(e164);
  return m ? m[1] : null;
}

/**
 * The countries (ISO 3166 alpha-2) an E.164 number may belong to: the one libphonenumber-js
 * identifies, else every country sharing its calling code (+44 is GB, GG, IM or JE). Empty when the
 * number cannot be parsed.
 */
export function phoneCountries(e164: string | null | undefined): CountryCode[] {
  if (!e164) return [];
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return [];
  if (parsed.country) return [parsed.country];
  return getCountries().filter((c) => getCountryCallingCode(c) === parsed.countryCallingCode);
}

/**
 * A phone number as the records a worker writes show it (a message's attempts in
 * worker_interactions): +1312***0100, the country and area code and the last four digits, the
 * format rows already hold. Logs show less (maskPhoneForLog, logging/redact.ts).
 */
export function maskPhoneForRecord(e164: string | null | undefined): string | null {
  if (!e164) return null;
  return e164.length <= 7 ? '***' : `${e164.slice(0, 5)}***${e164.slice(-4)}`;
}
