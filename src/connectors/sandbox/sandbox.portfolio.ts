import {
  CanonicalCharge,
  CanonicalDebtor,
  CanonicalLease,
  CanonicalLeaseBalance,
  CanonicalPayment,
  CanonicalPortfolio,
  CanonicalProperty,
  CanonicalUnit,
  StreamKind,
} from '../canonical';
import { memoized } from '../../common/memoized';

/**
 * A deterministic PMS account generated from its credentials. Every record is derived from
 * (seed, stream, index) by a small seeded PRNG, so any page can be produced on its own in constant
 * memory: nothing ever holds the whole account. Used by the demo, the benchmarks, the tests.
 *
 * Credentials (all optional except that the object must be one):
 *   seed (int, default 1), leases (int, default 200), chargesPerLease (default 6),
 *   asOf ('YYYY-MM-DD', default today UTC: due dates are spread over the 180 days before it),
 *   pageSize (default 500), pageDelayMs (simulated PMS latency per page, default 0),
 *   failAt {stream, page, status} (the PMS answers that page with an HTTP error),
 *   version (1 = first snapshot; 2 = a later snapshot: some leases gone, some records newer,
 *   some older, some debtors' contacts changed), badRecords (default true: a few bad records of each kind in the first pages),
 *   balanceOverrides {leaseExternalId: cents} (what fetchLeaseBalance and the balances stream report).
 */
export interface SandboxOptions {
  seed: number;
  leases: number;
  chargesPerLease: number;
  asOf: string;
  pageSize: number;
  pageDelayMs: number;
  failAt: { stream: string; page: number; status: number } | null;
  version: number;
  badRecords: boolean;
  balanceOverrides: Record<string, number>;
}

export class SandboxCredentialsError extends Error {}

function intOpt(v: unknown, name: string, def: number, min: number, max: number): number {
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new SandboxCredentialsError(`sandbox credentials: "${name}" must be an integer between ${min} and ${max}`);
  }
  return v;
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function parseSandboxOptions(creds: Record<string, unknown>): SandboxOptions {
  if (creds === null || typeof creds !== 'object') throw new SandboxCredentialsError('sandbox credentials must be an object');
  const asOf = creds.asOf === undefined || creds.asOf === null ? todayUtc() : creds.asOf;
  if (typeof asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
    throw new SandboxCredentialsError('sandbox credentials: "asOf" must be a date YYYY-MM-DD');
  }
  let failAt: SandboxOptions['failAt'] = null;
  if (creds.failAt !== undefined && creds.failAt !== null) {
    const f = creds.failAt as Record<string, unknown>;
    if (typeof f !== 'object' || typeof f.stream !== 'string') throw new SandboxCredentialsError('sandbox credentials: "failAt" must be {stream, page, status}');
    failAt = { stream: f.stream, page: intOpt(f.page, 'failAt.page', 0, 0, 1e9), status: intOpt(f.status, 'failAt.status', 500, 100, 599) };
  }
  const overrides: Record<string, number> = {};
  if (creds.balanceOverrides && typeof creds.balanceOverrides === 'object') {
    for (const [k, v] of Object.entries(creds.balanceOverrides as Record<string, unknown>)) if (typeof v === 'number') overrides[k] = v;
  }
  return {
    seed: intOpt(creds.seed, 'seed', 1, -2147483648, 2147483647),
    leases: intOpt(creds.leases, 'leases', 200, 1, 50_000_000),
    chargesPerLease: intOpt(creds.chargesPerLease, 'chargesPerLease', 6, 1, 100),
    asOf,
    pageSize: intOpt(creds.pageSize, 'pageSize', 500, 1, 100_000),
    pageDelayMs: intOpt(creds.pageDelayMs, 'pageDelayMs', 0, 0, 600_000),
    failAt,
    version: intOpt(creds.version ?? creds.mutate, 'version', 1, 1, 2),
    badRecords: creds.badRecords === undefined ? true : creds.badRecords === true,
    balanceOverrides: overrides,
  };
}

/** mulberry32 seeded from (seed, stream, index): a small, fast, well-mixed 32-bit PRNG. */
export function rng(seed: number, stream: number, index: number): () => number {
  let a = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35) ^ Math.imul(index + 0x632be5ab, 0x27d4eb2f);
  a = (a ^ (a >>> 15)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const S = { debtor: 1, portfolio: 2, property: 3, unit: 4, lease: 5, charge: 6, payment: 7 };

/** State, IANA zone, area codes consistent with the state, a city and a ZIP prefix. */
export const SANDBOX_STATES = [
  { state: 'NY', zone: 'America/New_York', areaCodes: ['212', '718', '917'], city: 'New York', zip: '100' },
  { state: 'CA', zone: 'America/Los_Angeles', areaCodes: ['415', '213', '310'], city: 'San Francisco', zip: '941' },
  { state: 'CO', zone: 'America/Denver', areaCodes: ['303', '720'], city: 'Denver', zip: '802' },
  { state: 'IL', zone: 'America/Chicago', areaCodes: ['312', '773'], city: 'Chicago', zip: '606' },
  { state: 'AZ', zone: 'America/Phoenix', areaCodes: ['602', '480'], city: 'Phoenix', zip: '850' },
  { state: 'TX', zone: 'America/Chicago', areaCodes: ['512', '737'], city: 'Austin', zip: '787' },
  { state: 'FL', zone: 'America/New_York', areaCodes: ['305', '786'], city: 'Miami', zip: '331' },
  { state: 'WA', zone: 'America/Los_Angeles', areaCodes: ['206'], city: 'Seattle', zip: '981' },
];

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Eve', 'Farah', 'Gus', 'Hana', 'Ivan', 'José', 'Kim', 'Lena', 'Mo', 'Nia', 'Omar', 'Priya'];
const LAST = ['Nguyen', 'Smith', 'García', 'Okafor', 'Kowalski', 'Chen', "O'Brien", 'Müller', 'Haddad', 'Rossi', 'Tanaka', 'Jones'];
const T0 = Date.UTC(2026, 0, 1);
const DAY = 86400000;

// Few distinct instants and dates recur across an account (due dates, update times): formatted once.
const iso = memoized((ms: number) => new Date(ms).toISOString(), 50000);
const isoDay = memoized((day: number) => new Date(day * DAY).toISOString().slice(0, 10), 50000);
function dateOnly(ms: number): string {
  return isoDay(Math.floor(ms / DAY));
}

/** Counts of the account (derived, no generation needed). */
export function sandboxCounts(o: SandboxOptions) {
  const leases = o.leases;
  const debtors = Math.max(1, Math.floor(leases * 0.9));
  const properties = Math.max(1, Math.ceil(leases / 50));
  const portfolios = Math.max(1, Math.ceil(leases / 1000));
  return { leases, debtors, properties, portfolios, units: leases, charges: leases * o.chargesPerLease };
}

/** Is lease i present in this snapshot? (version 2 drops every lease with i % 50 == 7) */
export function leasePresent(o: SandboxOptions, i: number): boolean {
  return !(o.version >= 2 && i % 50 === 7);
}

export function debtorOf(o: SandboxOptions, leaseIndex: number): number {
  return leaseIndex % sandboxCounts(o).debtors;
}

export function debtor(o: SandboxOptions, i: number): CanonicalDebtor {
  const r = rng(o.seed, S.debtor, i);
  const c = sandboxCounts(o);
  // The debtor lives at the property of their first lease (lease i).
  const st = SANDBOX_STATES[(i % c.properties) % SANDBOX_STATES.length];
  // A few debtors have a phone whose area code disagrees with their address.
  const phoneState = i % 23 === 5 ? SANDBOX_STATES[(SANDBOX_STATES.indexOf(st) + 1) % SANDBOX_STATES.length] : st;
  const area = phoneState.areaCodes[Math.floor(r() * phoneState.areaCodes.length)];
  const phone = `+1${area}55501${String(Math.floor(r() * 100)).padStart(2, '0')}`; // 555-01xx: reserved fictional numbers
  const first = FIRST[Math.floor(r() * FIRST.length)];
  const last = LAST[Math.floor(r() * LAST.length)];
  const company = i % 17 === 3;
  const email = i % 9 === 4 ? null : `debtor${i}@example.test`;
  const mainPhone = i % 31 === 13 ? null : phone;
  // Contacts: the main phone and email (primary), and a work phone for one debtor in five.
  const contacts: NonNullable<CanonicalDebtor['contacts']> = [];
  if (mainPhone) contacts.push({ type: 'phone', value: mainPhone, label: 'mobile', isPrimary: true });
  const work = `+1${area}55501${String((i * 7) % 100).padStart(2, '0')}`;
  let updated = T0 + (i % 1000) * 60000;
  if (o.version >= 2 && i % 40 === 1) {
    // newer record: the work phone is gone, a billing email is added (must be applied)
    if (email) contacts.push({ type: 'email', value: `billing${i}@example.test`, label: 'billing', isPrimary: false });
    updated += 400 * DAY;
  } else if (o.version >= 2 && i % 40 === 21) {
    // older record: a relabelled work phone that must NOT overwrite the stored contacts
    if (work !== mainPhone) contacts.push({ type: 'phone', value: work, label: 'old-work', isPrimary: true });
    updated -= 30 * DAY;
  } else if (i % 5 === 1 && work !== mainPhone) {
    contacts.push({ type: 'phone', value: work, label: 'work', isPrimary: false });
  }
  if (email) contacts.push({ type: 'email', value: email, label: 'email', isPrimary: true });
  return {
    externalId: `deb-${i}`,
    displayName: company ? `${last} Holdings LLC` : `${first} ${last}`,
    type: company ? 'company' : 'person',
    email,
    phone: mainPhone,
    contacts,
    address: { line1: `${100 + (i % 900)} Main St`, line2: null, city: st.city, state: st.state, postalCode: `${st.zip}${String(i % 100).padStart(2, '0')}`, country: 'US' },
    language: i % 7 === 2 ? 'es' : 'en',
    timezone: i % 11 === 6 ? null : st.zone,
    doNotContact: i % 61 === 8,
    doNotCall: i % 29 === 9,
    meta: { sandbox: true },
    lastExternalUpdatedAt: iso(updated),
  };
}

export function portfolio(o: SandboxOptions, i: number): CanonicalPortfolio {
  return { externalId: `pf-${i}`, name: `Portfolio ${i + 1}`, meta: { sandbox: true }, lastExternalUpdatedAt: iso(T0) };
}

export function property(o: SandboxOptions, j: number): CanonicalProperty {
  const c = sandboxCounts(o);
  const st = SANDBOX_STATES[j % SANDBOX_STATES.length];
  return {
    externalId: `prop-${j}`,
    portfolioExternalId: `pf-${j % c.portfolios}`,
    name: `${st.city} Residences ${j + 1}`,
    address: { line1: `${10 + j} Oak Ave`, city: st.city, state: st.state, postalCode: `${st.zip}${String(j % 100).padStart(2, '0')}`, country: 'US' },
    lastExternalUpdatedAt: iso(T0),
  };
}

export function unit(o: SandboxOptions, i: number): CanonicalUnit {
  const c = sandboxCounts(o);
  return { externalId: `unit-${i}`, propertyExternalId: `prop-${i % c.properties}`, unitNumber: `${1 + Math.floor(i / c.properties)}${String.fromCharCode(65 + (i % 4))}`, lastExternalUpdatedAt: iso(T0) };
}

function leaseStatus(i: number): CanonicalLease['status'] {
  const m = i % 25;
  return m < 20 ? 'active' : m < 23 ? 'ended' : 'pending';
}

export function lease(o: SandboxOptions, i: number): CanonicalLease {
  const r = rng(o.seed, S.lease, i);
  const c = sandboxCounts(o);
  const asOfMs = Date.parse(`${o.asOf}T00:00:00Z`);
  const status = leaseStatus(i);
  const moveIn = status === 'pending' ? asOfMs + (5 + Math.floor(r() * 40)) * DAY : asOfMs - (200 + Math.floor(r() * 900)) * DAY;
  let leaseNumber = `L-${String(i).padStart(6, '0')}`;
  let updated = T0 + (i % 1000) * 60000;
  if (o.version >= 2 && i % 40 === 3) {
    leaseNumber = `${leaseNumber}-R2`; // newer record: must be applied
    updated += 400 * DAY;
  } else if (o.version >= 2 && i % 40 === 5) {
    leaseNumber = `${leaseNumber}-OLD`; // older record: must NOT overwrite the stored one
    updated -= 30 * DAY;
  }
  return {
    externalId: `lease-${i}`,
    debtorExternalId: `deb-${debtorOf(o, i)}`,
    leaseNumber,
    status,
    propertyExternalId: `prop-${i % c.properties}`,
    unitExternalId: `unit-${i}`,
    moveInDate: dateOnly(moveIn),
    moveOutDate: status === 'ended' ? dateOnly(asOfMs - (1 + Math.floor(r() * 60)) * DAY) : null,
    inCollections: i % 13 === 0,
    lastExternalUpdatedAt: iso(updated),
  };
}

/** Monthly rent of lease i, in cents. */
function rentCents(o: SandboxOptions, leaseIndex: number): number {
  const r = rng(o.seed, S.lease + 100, leaseIndex);
  return 80000 + Math.floor(r() * 2200) * 100;
}

/** Charge g (global index) plus how much of it was paid (0 = unpaid). */
export function chargeAndPaid(o: SandboxOptions, g: number): { charge: CanonicalCharge; paid: number } {
  const leaseIndex = Math.floor(g / o.chargesPerLease);
  const k = g % o.chargesPerLease;
  const r = rng(o.seed, S.charge, g);
  const asOfMs = Date.parse(`${o.asOf}T00:00:00Z`);
  const isRent = k % 3 !== 2;
  const amount = isRent ? rentCents(o, leaseIndex) : 2500 + Math.floor(r() * 126) * 100 + (g % 7 === 0 ? 33 : 0);
  const pending = leaseStatus(leaseIndex) === 'pending';
  const daysAgo = pending ? -(1 + Math.floor(r() * 30)) : Math.floor(r() * 181); // 0..180 days past due
  const due = asOfMs - daysAgo * DAY;
  // paid: older charges are more often paid
  const p = r();
  const paidShare = pending ? 0 : p < 0.45 ? 1 : p < 0.6 ? 0.5 : 0;
  const paid = paidShare === 1 ? amount : Math.round(amount * paidShare);
  let description: string | null = isRent ? `Rent ${dateOnly(due).slice(0, 7)}` : 'Late fee';
  let updated = T0 + (g % 1000) * 60000;
  if (o.version >= 2 && g % 37 === 2) {
    description = `${description} (corrected)`;
    updated += 400 * DAY;
  } else if (o.version >= 2 && g % 37 === 4) {
    description = `${description} (stale copy)`;
    updated -= 30 * DAY;
  }
  const knownOpen = g % 10 < 3; // about 30% of charges carry the PMS's open amount
  return {
    charge: {
      externalId: `chg-${g}`,
      leaseExternalId: `lease-${leaseIndex}`,
      chargeType: isRent ? 'rent' : 'fee',
      amountCents: amount,
      openAmountCents: knownOpen ? amount - paid : null,
      currency: 'USD',
      dueDate: dateOnly(due),
      postDate: dateOnly(due - 5 * DAY),
      description,
      lastExternalUpdatedAt: iso(updated),
    },
    paid,
  };
}

export function paymentFor(o: SandboxOptions, g: number): CanonicalPayment | null {
  const { charge, paid } = chargeAndPaid(o, g);
  if (paid <= 0) return null;
  const asOfMs = Date.parse(`${o.asOf}T00:00:00Z`);
  const paidAt = Math.min(Date.parse(`${charge.dueDate}T15:00:00Z`) + (g % 5) * DAY, asOfMs - 3600000);
  return {
    externalId: `pay-${g}`,
    leaseExternalId: charge.leaseExternalId,
    amountCents: paid,
    currency: 'USD',
    paidAt: iso(paidAt),
    paymentMethod: g % 2 ? 'ach' : 'card',
    appliedToCharges: [{ chargeId: charge.externalId, amountCents: paid }],
    lastExternalUpdatedAt: iso(T0 + (g % 1000) * 60000),
  };
}

/** The ledger balance of lease i (sum of open amounts of its charges). */
export function ledgerBalance(o: SandboxOptions, i: number): { balance: number; pastDue: number } {
  let balance = 0;
  let pastDue = 0;
  for (let k = 0; k < o.chargesPerLease; k++) {
    const { charge, paid } = chargeAndPaid(o, i * o.chargesPerLease + k);
    const open = charge.amountCents - paid;
    balance += open;
    if (charge.dueDate < o.asOf) pastDue += open;
  }
  return { balance, pastDue };
}

/** Leases that report a balance (two in three); every 97th lease reports one that disagrees. */
export function reportsBalance(i: number): boolean {
  return i % 3 !== 0;
}
export const MISMATCH_DELTA_CENTS = 12345;
export function isMismatch(i: number): boolean {
  return i % 97 === 10;
}

export function balance(o: SandboxOptions, i: number): CanonicalLeaseBalance {
  const l = ledgerBalance(o, i);
  const ext = `lease-${i}`;
  const reported = o.balanceOverrides[ext] ?? (isMismatch(i) ? l.balance + MISMATCH_DELTA_CENTS : l.balance);
  return { leaseExternalId: ext, balanceCents: reported, pastDueTotalCents: l.pastDue, asOfDate: o.asOf };
}

/** Bad records appended to the first page of a stream (when badRecords is on). */
export function badRecords(kind: StreamKind, firstRecord: unknown): unknown[] {
  const long = 'x'.repeat(10 * 1024);
  switch (kind) {
    case 'debtors':
      return [
        { externalId: '', displayName: 'No Id' }, // missing id
        { externalId: 'deb-bad-long', displayName: long }, // 10 kB string
        { externalId: 'deb-bad-nul', displayName: 'Nul\u0000Byte' }, // NUL byte: Postgres text rejects it
        { externalId: 'deb-bad-surrogate', displayName: 'Lone \ud800 surrogate' }, // not valid UTF-16
        firstRecord, // duplicate id within the page
        { externalId: 'deb-odd-unicode', displayName: 'Zoë 🏠 Ωmega \u202eRTL\u202c e\u0301', timezone: 'America/New_York', lastExternalUpdatedAt: iso(T0) }, // odd but valid: kept
      ];
    case 'leases':
      return [
        { externalId: 'lease-bad-debtor', debtorExternalId: 'deb-does-not-exist', status: 'active' }, // unknown debtor
        { externalId: 'lease-bad-status', debtorExternalId: 'deb-0', status: 'evicted' }, // invalid enum
        { externalId: 'lease-bad-date', debtorExternalId: 'deb-0', status: 'active', moveInDate: '2025-13-40' }, // impossible date
      ];
    case 'charges':
      return [
        { externalId: 'chg-bad-amount', leaseExternalId: 'lease-0', amountCents: '12.5x', dueDate: '2026-01-01' }, // non-numeric
        { externalId: 'chg-bad-date', leaseExternalId: 'lease-0', amountCents: 1000, dueDate: '2026-02-30' }, // impossible date
        { externalId: 'chg-orphan-1', leaseExternalId: 'lease-unknown-1', amountCents: 1000, dueDate: '2026-01-01' }, // unknown lease
        { externalId: 'chg-orphan-2', leaseExternalId: 'lease-unknown-2', amountCents: 1000, dueDate: '2026-01-01' }, // unknown lease
        firstRecord, // duplicate
        { leaseExternalId: 'lease-0', amountCents: 1000, dueDate: '2026-01-01' }, // missing id
      ];
    case 'payments':
      return [
        { externalId: 'pay-bad-amount', leaseExternalId: 'lease-0', amountCents: Number.NaN, paidAt: '2026-01-01T00:00:00Z' },
        { externalId: 'pay-bad-date', leaseExternalId: 'lease-0', amountCents: 100, paidAt: 'yesterday-ish' },
        { externalId: 'pay-unknown-lease', leaseExternalId: 'lease-unknown-9', amountCents: 100, paidAt: '2026-01-02T00:00:00Z' }, // kept, lease null
      ];
    default:
      return [];
  }
}
