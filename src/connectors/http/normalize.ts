import { CountryCode } from 'libphonenumber-js';
import { CanonicalAddress } from '../canonical';
import { toE164 } from '../../common/phone';

/**
 * The one place where vendors' mixed types become canonical values (Rentvine sends ids as strings
 * or numbers, booleans as "0"/"1"/0/1/true, amounts as numbers or "0.00" strings; Buildium sends
 * doubles). Absent values become null. Values that are present but unusable are passed on as
 * they are (NaN for an amount, the raw text for a date) so the sync runner rejects that record
 * and counts it, instead of the connector silently dropping it or crashing.
 */

/** A decimal amount (number or numeric string) to integer cents, half away from zero, exactly. */
export function toCents(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return NaN;
    text = String(value);
    if (/e/i.test(text)) text = value.toFixed(12);
  } else if (typeof value === 'string') {
    // Stryker disable next-line MethodExpression: equivalent: the replace removes every whitespace character anyway
    text = value.trim().replace(/[$,\s]/g, '');
    if (text === '') return null;
    if (/^\(.*\)$/.test(text)) text = `-${text.slice(1, -1)}`; // accounting negative "(12.00)"
  } else {
    return NaN;
  }
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return NaN;
  const negative = m[1] === '-';
  // Stryker disable next-line StringLiteral: equivalent: Number('') is 0 as well
  const whole = m[2] === '' ? 0 : Number(m[2]);
  const frac = (m[3] ?? '').padEnd(3, '0');
  let cents = whole * 100 + Number(frac.slice(0, 2));
  if (Number(frac[2]) >= 5) cents += 1; // the digit after the cents decides: half away from zero
  if (!Number.isSafeInteger(cents)) return NaN;
  return negative && cents !== 0 ? -cents : cents;
}

/** An id as a string: integers and non-empty strings; null when absent; '' when unusable. */
export function toId(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : '';
  if (typeof value === 'string') {
    const s = value.trim();
    return s === '' ? null : s;
  }
  return '';
}

/** true/false, 1/0, "1"/"0", "true"/"false", "yes"/"no" -> boolean; anything else -> null. */
export function toBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'y'].includes(s)) return true;
    if (['0', 'false', 'no', 'n'].includes(s)) return false;
  }
  return null;
}

function validYmd(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return (
    dt.getUTCFullYear() === y &&
    // Stryker disable next-line ConditionalExpression: equivalent: once the year matches, the month matches exactly when the day does (an overflowing day always moves the month), so dropping this check changes nothing
    dt.getUTCMonth() === m - 1 &&
    // Stryker disable next-line ConditionalExpression: equivalent: the same as the month check above, the other way round
    dt.getUTCDate() === d
  );
}

/** 'YYYY-MM-DD' (a date-time keeps its date part). Null when absent; the raw text when invalid. */
export function toDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  if (s === '' || s.startsWith('0000-00-00')) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m || !validYmd(Number(m[1]), Number(m[2]), Number(m[3]))) return s;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/**
 * A vendor timestamp to UTC ISO-8601. Strings without a zone ("2025-10-12 23:36:24", Rentvine)
 * are read as UTC (the vendor's zone is unverified; cursors re-read an overlap for that reason).
 * Null when absent or unparseable.
 */
export function toUtcIso(value: unknown): string | null {
  // Stryker disable next-line LogicalOperator: equivalent: "null" and "undefined" do not parse as dates either
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  // Stryker disable next-line LogicalOperator,MethodExpression: equivalent: Date.parse rejects an empty text and month 00 too; the check only says what these mean
  if (s === '' || s.startsWith('0000-00-00')) return null;
  let iso = s.replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += 'T00:00:00';
  if (!/([zZ]|[+-]\d{2}:?\d{2})$/.test(iso)) iso += 'Z';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Trimmed, non-empty text (null otherwise), cut to `max` characters when given (column widths). */
export function toText(value: unknown, max?: number): string | null {
  // Stryker disable next-line LogicalOperator: equivalent: null and undefined are neither strings nor numbers, so the next line returns null for them
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value).trim();
  if (s === '') return null;
  // Stryker disable next-line LogicalOperator: equivalent: cutting a trimmed text that already fits (or to an undefined length) and trimming its end gives it back unchanged
  return max !== undefined && s.length > max ? s.slice(0, max).trimEnd() : s;
}

/** A trimmed e-mail address; null when empty or obviously not an address. */
export function toEmail(value: unknown): string | null {
  const s = toText(value);
  if (!s || !/^[^\s@]+@[^\s@]+$/.test(s)) return null;
  return s;
}

/** ISO 3166 alpha-2 from vendor spellings ("US", "UnitedStates", "United States", "Canada"). */
export function toCountry(value: unknown): string | null {
  const s = toText(value);
  if (!s) return null;
  if (/^[A-Za-z]{2}$/.test(s)) return s.toUpperCase();
  const key = s.toLowerCase().replace(/[^a-z]/g, '');
  const known: Record<string, string> = { unitedstates: 'US', usa: 'US', canada: 'CA', mexico: 'MX', puertorico: 'PR', unitedkingdom: 'GB' };
  return known[key] ?? s;
}

/** Phone to E.164 (null when not a valid number), parsed in the address's country. */
export function toPhone(value: unknown, country?: string | null): string | null {
  const s = toText(value);
  if (!s) return null;
  const cc = country && /^[A-Z]{2}$/.test(country) ? (country as CountryCode) : 'US';
  return toE164(s, cc);
}

export function address(parts: { [K in keyof CanonicalAddress]?: unknown }): CanonicalAddress | null {
  const out: CanonicalAddress = {};
  let any = false;
  for (const [k, v] of Object.entries(parts) as [keyof CanonicalAddress, unknown][]) {
    const t = toText(v);
    out[k] = t;
    if (t) any = true;
  }
  return any ? out : null;
}

/** Highest ISO timestamp of a list (null when none). */
export function maxIso(values: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const v of values) if (v && (best === null || v > best)) best = v;
  return best;
}

/** UTC date 'YYYY-MM-DD' of an instant. */
export function utcDate(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}
