import { StreamKind } from '../connectors/canonical';
import { memoized } from '../common/memoized';

/**
 * Checks every record a connector yields before it reaches SQL. A bad record is skipped with its
 * reason counted (never a crash, never a half-written page); a good one becomes a flat row whose
 * keys are the writer's input columns. Duplicate ids within one page keep the first occurrence.
 */

export type SkipReason =
  | 'not_an_object'
  | 'missing_id'
  | 'id_too_long'
  | 'duplicate_in_page'
  | 'invalid_text' // NUL byte or lone surrogate: Postgres text/jsonb cannot hold it
  | 'string_too_long'
  | 'invalid_amount'
  | 'invalid_date'
  | 'invalid_timestamp'
  | 'invalid_enum'
  | 'missing_relation_id'
  | 'missing_required';

export type Row = Record<string, string | number | boolean | null>;

export interface ValidatedPage {
  rows: Row[];
  skipped: Partial<Record<SkipReason, number>>;
  /** a few examples of skipped external ids (for the stats; never record contents) */
  skippedSample: { id: string | null; reason: SkipReason }[];
}

class Skip extends Error {
  constructor(readonly reason: SkipReason) {
    super(reason);
  }
}

// eslint-disable-next-line no-control-regex
const BAD_TEXT_EXACT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const MAYBE_BAD = /[\u0000\uD800-\uDFFF]/;
/** NUL or a lone surrogate (the exact test runs only on the rare strings holding a NUL or a surrogate). */
const BAD_TEXT = { test: (s: string): boolean => MAYBE_BAD.test(s) && BAD_TEXT_EXACT.test(s) };

function deepTextOk(v: unknown, depth = 0): boolean {
  if (depth > 20) return false;
  if (typeof v === 'string') return !BAD_TEXT.test(v);
  if (Array.isArray(v)) return v.every((x) => deepTextOk(x, depth + 1));
  if (v && typeof v === 'object') return Object.entries(v).every(([k, x]) => !BAD_TEXT.test(k) && deepTextOk(x, depth + 1));
  return true;
}

function str(v: unknown, max: number | null, required = false): string | null {
  if (v === undefined || v === null || v === '') {
    if (required) throw new Skip('missing_relation_id');
    return null;
  }
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
  if (s === null) throw new Skip('invalid_text');
  if (BAD_TEXT.test(s)) throw new Skip('invalid_text');
  if (max !== null && s.length > max) throw new Skip('string_too_long');
  return s;
}

function id(v: unknown): string {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) throw new Skip('missing_id');
  if (typeof v !== 'string' && typeof v !== 'number') throw new Skip('missing_id');
  const s = String(v);
  if (BAD_TEXT.test(s)) throw new Skip('invalid_text');
  if (s.length > 256) throw new Skip('id_too_long');
  return s;
}

function cents(v: unknown, required: boolean): number | null {
  if (v === undefined || v === null) {
    if (required) throw new Skip('invalid_amount');
    return null;
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Skip('invalid_amount');
  return v;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date between 1900 and 2200, 'YYYY-MM-DD'. */
export function isValidDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= dim;
}

// Dates and timestamps recur a lot within an account (due dates, batch updates): each distinct string is checked once.
const validDateString = memoized(isValidDate);

function date(v: unknown, required: boolean): string | null {
  if (v === undefined || v === null || v === '') {
    if (required) throw new Skip('invalid_date');
    return null;
  }
  if (typeof v !== 'string' || !validDateString(v)) throw new Skip('invalid_date');
  return v;
}

function instant(v: unknown, required: boolean): string | null {
  if (v === undefined || v === null || v === '') {
    if (required) throw new Skip('invalid_timestamp');
    return null;
  }
  if (typeof v !== 'string') throw new Skip('invalid_timestamp');
  const out = parseInstant(v);
  if (out === null) throw new Skip('invalid_timestamp');
  return out;
}

/** The UTC ISO form of a timestamp between 1900 and 2200, or null. */
const parseInstant = memoized((v: string): string | null => {
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (y < 1900 || y > 2200) return null;
  return d.toISOString();
});

function json(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (!deepTextOk(v)) throw new Skip('invalid_text');
  const s = JSON.stringify(v);
  if (s.length > 64 * 1024) throw new Skip('string_too_long');
  return s;
}

function required<T>(v: T | null): T {
  if (v === null) throw new Skip('missing_required');
  return v;
}

function bool(v: unknown): boolean {
  return v === true;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], def: T | null): T {
  if ((v === undefined || v === null) && def !== null) return def;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new Skip('invalid_enum');
  return v as T;
}

function currency(v: unknown, def: string): string {
  if (v === undefined || v === null || v === '') return def;
  if (typeof v !== 'string' || !/^[A-Za-z]{3}$/.test(v)) throw new Skip('invalid_enum');
  return v.toUpperCase();
}

type Mapper = (r: Record<string, unknown>, ctx: { currency: string }) => Row;

const MAPPERS: Record<StreamKind, Mapper> = {
  debtors: (r) => ({
    external_id: id(r.externalId),
    display_name: required(str(r.displayName, 256)),
    type: oneOf(r.type, ['person', 'company'] as const, 'person'),
    email: str(r.email, 256),
    phone: str(r.phone, 64),
    address: json(r.address),
    language: str(r.language, 16),
    timezone: str(r.timezone, 64),
    do_not_contact: bool(r.doNotContact),
    do_not_call: bool(r.doNotCall),
    meta: json(r.meta),
    contacts: debtorContacts(r),
    last_external_updated_at: instant(r.lastExternalUpdatedAt, false),
  }),
  portfolios: (r) => ({
    external_id: id(r.externalId),
    name: str(r.name, 256),
    meta: json(r.meta),
    last_external_updated_at: instant(r.lastExternalUpdatedAt, false),
  }),
  properties: (r) => ({
    external_id: id(r.externalId),
    portfolio_ext: str(r.portfolioExternalId, 256),
    name: str(r.name, 256),
    address: json(r.address),
    last_external_updated_at: instant(r.lastExternalUpdatedAt, false),
  }),
  units: (r) => ({
    external_id: id(r.externalId),
    property_ext: str(r.propertyExternalId, 256),
    unit_number: str(r.unitNumber, 64),
    last_external_updated_at: instant(r.lastExternalUpdatedAt, false),
  }),
  leases: (r) => ({
    external_id: id(r.externalId),
    debtor_ext: str(r.debtorExternalId, 256, true),
    property_ext: str(r.propertyExternalId, 256),
    unit_ext: str(r.unitExternalId, 256),
    lease_number: str(r.leaseNumber, 64),
    status: oneOf(r.status, ['active', 'ended', 'pending'] as const, null),
    move_in_date: date(r.moveInDate, false),
    move_out_date: date(r.moveOutDate, false),
    in_collections: bool(r.inCollections),
    last_external_updated_at: instant(r.lastExternalUpdatedAt, false),
  }),
  charges: (r, ctx) => ({
    external_id: id(r.externalId),
    lease_ext: str(r.leaseExternalId, 256, true),
    charge_type: str(r.chargeType, 64),
    amount_cents: cents(r.amountCents, true),
    open_amount_cents: cents(r.openAmountCents, false),
    currency: currency(r.currency, ctx.currency),
    due_date: date(r.dueDate, true),
    post_date: date(r.postDate, false),
    description: str(r.description, 4096),
    last_external_updated_at: instant(r.lastExternalUpdatedAt, false),
  }),
  payments: (r, ctx) => ({
    external_id: id(r.externalId),
    lease_ext: str(r.leaseExternalId, 256),
    amount_cents: cents(r.amountCents, true),
    currency: currency(r.currency, ctx.currency),
    paid_at: instant(r.paidAt, true),
    payment_method: str(r.paymentMethod, 64),
    applied_to_charges: appliedToCharges(r.appliedToCharges),
    last_external_updated_at: instant(r.lastExternalUpdatedAt, false),
  }),
  balances: (r) => ({
    external_id: id(r.leaseExternalId),
    balance_cents: cents(r.balanceCents, true),
    past_due_total_cents: cents(r.pastDueTotalCents, false),
    past_due_rent_cents: cents(r.pastDueRentCents, false),
    unpaid_rent_cents: cents(r.unpaidRentCents, false),
    buckets: json(r.buckets),
    as_of_date: date(r.asOfDate, false),
  }),
};

const CONTACT_TYPES = new Set(['email', 'phone', 'postal']);

/**
 * A debtor's contacts for pms_debtor_contacts, as a JSON array [{t, v, l, p}]: the connector's
 * `contacts` when it gives them, else the debtor's phone and email (both primary). An unusable
 * entry (unknown type, empty or over-long value, bad text) is dropped, not the debtor; the same
 * type and value listed twice is kept once (the first).
 */
function debtorContacts(r: Record<string, unknown>): string {
  const out: { t: string; v: string; l: string | null; p: boolean }[] = [];
  const seen = new Set<string>();
  const add = (t: unknown, v: unknown, l: unknown, p: unknown) => {
    if (typeof t !== 'string' || !CONTACT_TYPES.has(t)) return;
    if (typeof v !== 'string') return;
    const value = v.trim();
    if (value === '' || value.length > 512 || BAD_TEXT.test(value)) return;
    const label = typeof l === 'string' && l.length <= 64 && !BAD_TEXT.test(l) ? l : null;
    const key = `${t}:${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ t, v: value, l: label, p: p === true });
  };
  if (Array.isArray(r.contacts)) {
    for (const c of r.contacts) if (c && typeof c === 'object') add((c as any).type, (c as any).value, (c as any).label, (c as any).isPrimary);
  } else {
    add('phone', r.phone, 'phone', true);
    add('email', r.email, 'email', true);
  }
  return JSON.stringify(out);
}

function appliedToCharges(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw new Skip('invalid_amount');
  const out = v.map((a) => {
    if (!a || typeof a !== 'object') throw new Skip('invalid_amount');
    const x = a as Record<string, unknown>;
    return { chargeId: id(x.chargeId), amountCents: cents(x.amountCents, true) };
  });
  return JSON.stringify(out);
}

/** Validates one page of one stream. Pure: no I/O. */
export function validatePage(kind: StreamKind, records: unknown[], ctx: { currency: string }): ValidatedPage {
  const mapper = MAPPERS[kind];
  const rows: Row[] = [];
  const skipped: ValidatedPage['skipped'] = {};
  const skippedSample: ValidatedPage['skippedSample'] = [];
  const seen = new Set<string>();
  const skip = (reason: SkipReason, rec: unknown) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
    if (skippedSample.length < 20) {
      const raw = rec && typeof rec === 'object' ? (rec as Record<string, unknown>)[kind === 'balances' ? 'leaseExternalId' : 'externalId'] : null;
      const ext = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : null;
      skippedSample.push({ id: ext && !BAD_TEXT.test(ext) ? ext.slice(0, 64) : null, reason });
    }
  };
  for (const rec of records) {
    if (!rec || typeof rec !== 'object' || Array.isArray(rec)) {
      skip('not_an_object', null);
      continue;
    }
    let row: Row;
    try {
      row = mapper(rec as Record<string, unknown>, ctx);
    } catch (err) {
      if (err instanceof Skip) {
        skip(err.reason, rec);
        continue;
      }
      throw err;
    }
    const key = row.external_id as string;
    if (seen.has(key)) {
      skip('duplicate_in_page', rec);
      continue;
    }
    seen.add(key);
    rows.push(row);
  }
  return { rows, skipped, skippedSample };
}
