import { CanonicalCharge, CanonicalDebtor, CanonicalLease, CanonicalLeaseBalance, CanonicalPayment, CanonicalProperty, CanonicalUnit } from '../canonical';
import { address, toCents, toCountry, toDate, toEmail, toId, toPhone, toText, toUtcIso } from '../http/normalize';
import { BuildiumAddress, BuildiumItem, BuildiumPhone } from './buildium.schemas';

/**
 * Buildium -> canonical. Pure functions; endpoints and choices in docs/connectors.md.
 * Decisions:
 * - Buildium has no portfolio; rental owners are many-to-many with properties, so no portfolios
 *   are produced and properties carry no portfolio.
 * - Tenants carry no modification time and no do-not-contact flag: lastExternalUpdatedAt and
 *   doNotContact stay unset (a value set in Mordecai is never overwritten); SMSOptInStatus goes
 *   to meta.
 * - A charge's due date is its Date (Buildium has no other). Its open amount is what the lease's
 *   outstanding balance implies when applied to the newest charges first (payments settle the
 *   oldest charges first); a lease absent from outstandingbalances owes nothing, so 0.
 */

const PHONE_PREFERENCE = ['Cell', 'Mobile', 'Personal', 'Home', 'Other', 'NotSet', 'Office'];

/** Buildium ids are int32: anything else becomes '' (the runner skips and counts the record). */
function str(v: unknown): string {
  const s = toId(v);
  return s && /^\d+$/.test(s) ? s : '';
}

function mapAddress(a: unknown): ReturnType<typeof address> {
  if (!a || typeof a !== 'object') return null;
  const x = a as BuildiumAddress;
  return address({
    line1: x.AddressLine1,
    line2: [x.AddressLine2, x.AddressLine3].map((v) => toText(v)).filter(Boolean).join(', ') || null,
    city: x.City,
    state: x.State,
    postalCode: x.PostalCode,
    country: toCountry(x.Country),
  });
}

export function mapTenant(t: BuildiumItem): CanonicalDebtor {
  const useAlternate = t.MailingPreference === 'AlternateAddress' && t.AlternateAddress;
  const addr = mapAddress(useAlternate ? t.AlternateAddress : t.Address);
  const country = addr?.country ?? 'US';
  const phones = (Array.isArray(t.PhoneNumbers) ? (t.PhoneNumbers as BuildiumPhone[]) : [])
    .filter((p) => p && p.Type !== 'Fax')
    .map((p) => ({ type: toText(p.Type) ?? 'NotSet', e164: toPhone(p.Number, country) }))
    .filter((p): p is { type: string; e164: string } => p.e164 !== null)
    .sort((a, b) => rank(a.type) - rank(b.type));
  const email = toEmail(t.Email);
  const altEmail = toEmail(t.AlternateEmail);
  const name = toText([toText(t.FirstName), toText(t.LastName)].filter(Boolean).join(' '), 256) ?? '';
  const contacts: NonNullable<CanonicalDebtor['contacts']> = [];
  const seen = new Set<string>();
  phones.forEach((p, i) => {
    if (seen.has(p.e164)) return;
    seen.add(p.e164);
    contacts.push({ type: 'phone', value: p.e164, label: p.type, isPrimary: i === 0 });
  });
  if (email) contacts.push({ type: 'email', value: email, label: 'Email', isPrimary: true });
  if (altEmail && altEmail !== email) contacts.push({ type: 'email', value: altEmail, label: 'AlternateEmail', isPrimary: false });
  return {
    externalId: str(t.Id),
    displayName: name || email || `Tenant ${str(t.Id)}`,
    type: 'person',
    email: email ?? altEmail,
    phone: phones[0]?.e164 ?? null,
    address: addr,
    meta: { source: 'buildium', smsOptInStatus: toText(t.SMSOptInStatus) },
    contacts,
  };
}

function rank(type: string): number {
  const i = PHONE_PREFERENCE.indexOf(type);
  return i < 0 ? PHONE_PREFERENCE.length : i;
}

const LEASE_STATUS: Record<string, CanonicalLease['status']> = { Active: 'active', Past: 'ended', Future: 'pending' };

/** The lease's debtor: its first current tenant, else a current one of Tenants[], else the first ever. */
export function leaseDebtorId(l: BuildiumItem): string {
  const current = Array.isArray(l.CurrentTenants) ? (l.CurrentTenants as BuildiumItem[]) : [];
  if (current.length && toId(current[0]?.Id)) return str(current[0].Id);
  const all = Array.isArray(l.Tenants) ? (l.Tenants as BuildiumItem[]) : [];
  const pick = all.find((t) => t?.Status === 'Current') ?? all[0];
  return pick ? str(pick.Id) : '';
}

export function mapLease(l: BuildiumItem): CanonicalLease {
  const tenants = Array.isArray(l.Tenants) ? (l.Tenants as BuildiumItem[]) : [];
  const moveIns = tenants.map((t) => toDate(t?.MoveInDate)).filter((d): d is string => !!d).sort();
  const moveOuts = (Array.isArray(l.MoveOutData) ? (l.MoveOutData as BuildiumItem[]) : [])
    .map((m) => toDate(m?.MoveOutDate))
    .filter((d): d is string => !!d)
    .sort();
  const status = LEASE_STATUS[String(l.LeaseStatus)] ?? 'active';
  return {
    externalId: str(l.Id),
    debtorExternalId: leaseDebtorId(l),
    leaseNumber: str(l.Id),
    status,
    propertyExternalId: toId(l.PropertyId),
    unitExternalId: toId(l.UnitId),
    moveInDate: moveIns[0] ?? toDate(l.LeaseFromDate),
    moveOutDate: moveOuts.length ? moveOuts[moveOuts.length - 1] : status === 'ended' ? toDate(l.LeaseToDate) : null,
    lastExternalUpdatedAt: toUtcIso(l.LastUpdatedDateTime),
  };
}

export function mapRental(p: BuildiumItem): CanonicalProperty {
  return { externalId: str(p.Id), portfolioExternalId: null, name: toText(p.Name, 256), address: mapAddress(p.Address) };
}

export function mapUnit(u: BuildiumItem): CanonicalUnit {
  return { externalId: str(u.Id), propertyExternalId: toId(u.PropertyId), unitNumber: toText(u.UnitNumber, 64) };
}

export function mapOutstanding(o: BuildiumItem, asOfDate: string): CanonicalLeaseBalance {
  const total = toCents(o.TotalBalance) ?? 0;
  return {
    leaseExternalId: str(o.LeaseId),
    balanceCents: total,
    // Buildium charges are due on their Date, so everything outstanding is due.
    pastDueTotalCents: total,
    pastDueRentCents: null,
    unpaidRentCents: null,
    buckets: {
      d0_30: toCents(o.Balance0To30Days) ?? 0,
      d31_60: toCents(o.Balance31To60Days) ?? 0,
      d61_90: toCents(o.Balance61To90Days) ?? 0,
      d90_plus: toCents(o.BalanceOver90Days) ?? 0,
    },
    asOfDate,
  };
}

/** A lease absent from outstandingbalances owes nothing. */
export function zeroBalance(leaseExternalId: string, asOfDate: string): CanonicalLeaseBalance {
  return {
    leaseExternalId,
    balanceCents: 0,
    pastDueTotalCents: 0,
    pastDueRentCents: null,
    unpaidRentCents: null,
    buckets: { d0_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0 },
    asOfDate,
  };
}

function txType(t: BuildiumItem): string {
  return String(t.TransactionTypeEnum ?? t.TransactionType ?? '');
}

export function isCharge(t: BuildiumItem): boolean {
  return txType(t) === 'Charge';
}

export function isPayment(t: BuildiumItem): boolean {
  return txType(t) === 'Payment';
}

function glName(t: BuildiumItem): string | null {
  const j = t.Journal as { Lines?: { GLAccount?: { Name?: string } }[]; Memo?: string } | undefined;
  return toText(j?.Lines?.[0]?.GLAccount?.Name, 64);
}

/**
 * Charges of one lease, with open amounts implied by the lease's outstanding balance (cents):
 * the balance is laid on the newest charges first.
 */
export function mapLeaseCharges(leaseId: string, txs: BuildiumItem[], outstandingCents: number): CanonicalCharge[] {
  const charges = txs.filter(isCharge).map((t) => {
    const j = t.Journal as { Memo?: string } | undefined;
    return {
      externalId: str(t.Id),
      leaseExternalId: leaseId,
      chargeType: glName(t) ?? 'Charge',
      amountCents: toCents(t.TotalAmount) ?? NaN,
      openAmountCents: 0 as number | null,
      dueDate: toDate(t.Date) ?? '',
      postDate: toDate(t.Date),
      description: toText(j?.Memo ?? t.Memo),
    } satisfies CanonicalCharge;
  });
  const newestFirst = [...charges].sort((a, b) => (a.dueDate === b.dueDate ? Number(b.externalId) - Number(a.externalId) : a.dueDate < b.dueDate ? 1 : -1));
  let remaining = Math.max(0, outstandingCents);
  for (const c of newestFirst) {
    if (!Number.isFinite(c.amountCents)) {
      c.openAmountCents = null;
      continue;
    }
    const open = Math.min(Math.max(0, c.amountCents), remaining);
    c.openAmountCents = open;
    remaining -= open;
  }
  return charges;
}

export function mapPayment(leaseId: string, t: BuildiumItem): CanonicalPayment {
  const date = toDate(t.Date);
  return {
    externalId: str(t.Id),
    leaseExternalId: toId(t.LeaseId) ?? leaseId,
    amountCents: toCents(t.TotalAmount) ?? NaN,
    paidAt: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00.000Z` : (date ?? ''),
    paymentMethod: toText(t.PaymentMethod, 64),
    appliedToCharges: null,
  };
}
