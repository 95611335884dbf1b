import { CanonicalAddress, CanonicalCharge, CanonicalDebtor, CanonicalLease, CanonicalLeaseBalance, CanonicalPayment, CanonicalPortfolio, CanonicalProperty, CanonicalUnit } from '../canonical';
import { address, toBool, toCents, toCountry, toDate, toEmail, toId, toPhone, toText, toUtcIso } from '../http/normalize';
import { RentvineItem, RentvineTenant, RentvineUnpaidCharge } from './rentvine.schemas';

/**
 * Rentvine -> canonical, from the /leases/export item `{lease, balances, unpaidCharges, property,
 * unit, portfolio}` (types as observed in a real response: ids as strings at lease/property/unit
 * level and numbers inside tenants[] and unpaidCharges[], booleans as "0"/"1" or 0/1, amounts as
 * numbers or "0.00"). Decisions (docs/connectors.md):
 * - Debtors are the export's lease.tenants[] (contactID, name, email, phone); their postal address
 *   is the leased property's address while the lease is active or pending.
 * - A charge's due date is its datePosted (Rentvine gives no due date); open = amount - amountPaid.
 * - The lease's primary debtor is its first active tenant, else its first tenant.
 */

function obj(v: unknown): RentvineItem {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as RentvineItem) : {};
}

/** Ids: numbers or digit strings; anything else '' (the runner skips and counts the record). */
export function rvId(v: unknown): string {
  const s = toId(v);
  return s && /^\d+$/.test(s) ? s : '';
}

const LEASE_STATUS: Record<string, CanonicalLease['status']> = { '1': 'pending', '2': 'active', '3': 'ended' };

export function leaseStatus(lease: RentvineItem): CanonicalLease['status'] {
  const s = LEASE_STATUS[toId(lease.primaryLeaseStatusID) ?? ''];
  if (s) return s;
  return toDate(lease.closedDate) || toDate(lease.moveOutDate) ? 'ended' : 'active';
}

function tenants(lease: RentvineItem): RentvineTenant[] {
  return Array.isArray(lease.tenants) ? (lease.tenants as RentvineTenant[]).filter((t) => t && typeof t === 'object') : [];
}

export function primaryTenantId(lease: RentvineItem): string {
  const list = tenants(lease);
  const pick = list.find((t) => toBool(t.isActive) !== false) ?? list[0];
  return pick ? rvId(pick.contactID) : '';
}

export function propertyAddress(p: RentvineItem): CanonicalAddress | null {
  return address({ line1: p.address, line2: p.address2, city: p.city, state: p.stateID, postalCode: p.postalCode, country: toCountry(p.countryID) });
}

export function mapDebtors(item: RentvineItem): CanonicalDebtor[] {
  const lease = obj(item.lease);
  const property = obj(item.property);
  const status = leaseStatus(lease);
  const addr = status === 'ended' ? null : propertyAddress(property);
  return tenants(lease).map((t) => {
    const email = toEmail(t.email);
    const phone = toPhone(t.phone, addr?.country ?? 'US');
    const contacts: NonNullable<CanonicalDebtor['contacts']> = [];
    if (phone) contacts.push({ type: 'phone', value: phone, label: 'phone', isPrimary: true });
    if (email) contacts.push({ type: 'email', value: email, label: 'email', isPrimary: true });
    return {
      externalId: rvId(t.contactID),
      displayName: toText(t.name, 256) ?? email ?? `Contact ${rvId(t.contactID)}`,
      type: 'person',
      email,
      phone,
      address: addr,
      meta: { source: 'rentvine', isActive: toBool(t.isActive) },
      contacts,
    };
  });
}

export function mapPortfolio(item: RentvineItem): CanonicalPortfolio | null {
  const p = obj(item.portfolio);
  if (p.portfolioID === undefined || p.portfolioID === null) return null;
  return {
    externalId: rvId(p.portfolioID),
    name: toText(p.name, 256),
    meta: { isActive: toBool(p.isActive), reserveCents: toCents(p.reserveAmount) },
  };
}

export function mapProperty(item: RentvineItem): CanonicalProperty | null {
  const p = obj(item.property);
  if (p.propertyID === undefined || p.propertyID === null) return null;
  const portfolio = obj(item.portfolio);
  return {
    externalId: rvId(p.propertyID),
    portfolioExternalId: toId(portfolio.portfolioID),
    name: toText(p.name, 256) ?? toText(p.address, 256),
    address: propertyAddress(p),
  };
}

export function mapUnit(item: RentvineItem): CanonicalUnit | null {
  const u = obj(item.unit);
  if (u.unitID === undefined || u.unitID === null) return null;
  const lease = obj(item.lease);
  return {
    externalId: rvId(u.unitID),
    propertyExternalId: toId(obj(item.property).propertyID) ?? toId(u.propertyID) ?? toId(lease.propertyID),
    unitNumber: toText(u.name, 64),
  };
}

export function mapLease(item: RentvineItem): CanonicalLease {
  const l = obj(item.lease);
  const status = leaseStatus(l);
  return {
    externalId: rvId(l.leaseID),
    debtorExternalId: primaryTenantId(l),
    leaseNumber: toText(l.code, 64) ?? toId(l.leaseID),
    status,
    propertyExternalId: toId(l.propertyID),
    unitExternalId: toId(l.unitID),
    moveInDate: toDate(l.moveInDate) ?? toDate(l.startDate),
    moveOutDate: toDate(l.moveOutDate) ?? (status === 'ended' ? toDate(l.closedDate) : null),
    lastExternalUpdatedAt: toUtcIso(l.dateTimeModified),
  };
}

export function mapCharges(item: RentvineItem): CanonicalCharge[] {
  const l = obj(item.lease);
  const leaseId = rvId(l.leaseID);
  const modified = toUtcIso(l.dateTimeModified);
  const list = Array.isArray(item.unpaidCharges) ? (item.unpaidCharges as RentvineUnpaidCharge[]) : [];
  return list
    .filter((c) => c && typeof c === 'object')
    .map((c) => {
      const amount = toCents(c.amount) ?? NaN;
      const paid = toCents(c.amountPaid) ?? 0;
      const date = toDate(c.datePosted) ?? '';
      return {
        externalId: rvId(c.transactionID),
        leaseExternalId: leaseId,
        chargeType: toBool(c.isRent) ? 'rent' : (toText(c.accountName, 64) ?? 'charge'),
        amountCents: amount,
        openAmountCents: Number.isFinite(amount) && Number.isFinite(paid) ? amount - paid : null,
        dueDate: date,
        postDate: date || null,
        description: toText(c.description),
        lastExternalUpdatedAt: modified,
      };
    });
}

export function mapBalance(item: RentvineItem, asOfDate: string): CanonicalLeaseBalance | null {
  const l = obj(item.lease);
  const b = item.balances;
  if (!b || typeof b !== 'object') return null;
  const x = b as RentvineItem;
  return {
    leaseExternalId: rvId(l.leaseID),
    balanceCents: toCents(x.unpaidTotalAmount) ?? 0,
    pastDueTotalCents: toCents(x.pastDueTotalAmount),
    pastDueRentCents: toCents(x.pastDueRentAmount),
    unpaidRentCents: toCents(x.unpaidRentAmount),
    buckets: null,
    asOfDate,
  };
}

/**
 * Which lease a payment on a unit belongs to (the lease link of Rentvine transactions is
 * unverified): the unit's lease whose term contains the posting date; else active beats pending
 * beats ended, then the latest start.
 */
export class UnitLeaseIndex {
  private readonly byUnit = new Map<string, { leaseId: string; rank: number; start: string; end: string }[]>();
  private static RANK: Record<CanonicalLease['status'], number> = { active: 3, pending: 2, ended: 1 };

  add(item: RentvineItem): void {
    const l = obj(item.lease);
    const unit = toId(l.unitID) ?? toId(obj(item.unit).unitID);
    const leaseId = rvId(l.leaseID);
    if (!unit || !leaseId) return;
    const status = leaseStatus(l);
    const cand = {
      leaseId,
      rank: UnitLeaseIndex.RANK[status],
      start: toDate(l.moveInDate) ?? toDate(l.startDate) ?? '',
      end: toDate(l.moveOutDate) ?? toDate(l.closedDate) ?? (status === 'ended' ? (toDate(l.endDate) ?? '') : '9999-12-31'),
    };
    const list = this.byUnit.get(unit) ?? [];
    const i = list.findIndex((x) => x.leaseId === leaseId);
    if (i >= 0) list[i] = cand;
    else list.push(cand);
    this.byUnit.set(unit, list);
  }

  leaseFor(unitId: string | null, date?: string | null): string | null {
    const list = unitId ? this.byUnit.get(unitId) : undefined;
    if (!list?.length) return null;
    const best = (xs: typeof list) => [...xs].sort((a, b) => b.rank - a.rank || (a.start < b.start ? 1 : a.start > b.start ? -1 : 0))[0];
    if (date) {
      const within = list.filter((x) => x.start !== '' && x.start <= date && date <= x.end);
      if (within.length) return best(within).leaseId;
    }
    return best(list).leaseId;
  }

  get size(): number {
    return this.byUnit.size;
  }
}

/** A /accounting/transactions/search item `{transaction, ledger, property, portfolio, unit, ...}`. */
export function mapPayment(item: RentvineItem, units: UnitLeaseIndex): CanonicalPayment | null {
  const t = obj(item.transaction);
  if (toBool(t.isVoided) === true) return null;
  const ledger = obj(item.ledger);
  const date = toDate(t.datePosted);
  const leaseId = toId(t.leaseID) ?? toId(ledger.leaseID) ?? units.leaseFor(toId(obj(item.unit).unitID) ?? toId(t.unitID), date);
  return {
    externalId: rvId(t.transactionID),
    leaseExternalId: leaseId,
    amountCents: toCents(t.amount) ?? NaN,
    paidAt: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00.000Z` : (date ?? ''),
    paymentMethod: toText(t.paymentMethod, 64) ?? toText(t.paymentType, 64) ?? null,
    appliedToCharges: null,
    lastExternalUpdatedAt: toUtcIso(t.dateTimeModified),
  };
}
