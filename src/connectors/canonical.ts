/**
 * The canonical records every connector yields (docs/sync-rules.md). Relations travel as external ids;
 * the sync runner resolves them to internal UUIDs. Money is integer cents, rounded once (half
 * away from zero) in the mapper. Dates are 'YYYY-MM-DD'; instants are ISO-8601 strings in UTC.
 *
 * Connectors may yield imperfect data (that is the point of validation in the runner): every
 * field is typed as what a well-behaved connector sends, and the runner checks it anyway.
 */

export interface CanonicalAddress {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

export interface CanonicalDebtor {
  externalId: string;
  displayName: string;
  type?: 'person' | 'company';
  email?: string | null;
  phone?: string | null; // E.164 when valid
  address?: CanonicalAddress | null;
  language?: string | null;
  timezone?: string | null; // IANA
  doNotContact?: boolean;
  doNotCall?: boolean;
  meta?: Record<string, unknown> | null;
  lastExternalUpdatedAt?: string | null;
  /** extra contacts (alternate phones, emails) */
  contacts?: { type: 'email' | 'phone' | 'postal'; value: string; label?: string | null; isPrimary?: boolean }[];
}

export interface CanonicalPortfolio {
  externalId: string;
  name?: string | null;
  meta?: Record<string, unknown> | null;
  lastExternalUpdatedAt?: string | null;
}

export interface CanonicalProperty {
  externalId: string;
  portfolioExternalId?: string | null;
  name?: string | null;
  address?: CanonicalAddress | null;
  lastExternalUpdatedAt?: string | null;
}

export interface CanonicalUnit {
  externalId: string;
  propertyExternalId?: string | null;
  unitNumber?: string | null;
  lastExternalUpdatedAt?: string | null;
}

export interface CanonicalLease {
  externalId: string;
  debtorExternalId: string;
  leaseNumber?: string | null;
  status: 'active' | 'ended' | 'pending';
  propertyExternalId?: string | null;
  unitExternalId?: string | null;
  moveInDate?: string | null;
  moveOutDate?: string | null;
  inCollections?: boolean;
  lastExternalUpdatedAt?: string | null;
}

export interface CanonicalCharge {
  externalId: string;
  leaseExternalId: string;
  chargeType?: string | null;
  amountCents: number;
  openAmountCents?: number | null;
  currency?: string | null;
  dueDate: string;
  postDate?: string | null;
  description?: string | null;
  lastExternalUpdatedAt?: string | null;
}

export interface CanonicalPayment {
  externalId: string;
  leaseExternalId?: string | null;
  amountCents: number;
  currency?: string | null;
  paidAt: string;
  paymentMethod?: string | null;
  appliedToCharges?: { chargeId: string; amountCents: number }[] | null;
  lastExternalUpdatedAt?: string | null;
}

export interface CanonicalLeaseBalance {
  leaseExternalId: string;
  balanceCents: number;
  pastDueTotalCents?: number | null;
  pastDueRentCents?: number | null;
  unpaidRentCents?: number | null;
  /** PMS-reported aging buckets, when the PMS gives them (Buildium outstandingbalances). */
  buckets?: { d0_30: number; d31_60: number; d61_90: number; d90_plus: number } | null;
  asOfDate?: string | null;
}

/** One page of one stream. `cursor` is the stream's resume point after this page (opaque JSON). */
export type CanonicalBatch =
  | { kind: 'debtors'; records: CanonicalDebtor[] }
  | { kind: 'portfolios'; records: CanonicalPortfolio[] }
  | { kind: 'properties'; records: CanonicalProperty[] }
  | { kind: 'units'; records: CanonicalUnit[] }
  | { kind: 'leases'; records: CanonicalLease[] }
  | { kind: 'charges'; records: CanonicalCharge[] }
  | { kind: 'payments'; records: CanonicalPayment[] }
  | { kind: 'balances'; records: CanonicalLeaseBalance[] };

export type StreamKind = CanonicalBatch['kind'];

/** Stream order (docs/sync-rules.md): parents before children. */
export const STREAM_ORDER: StreamKind[] = ['debtors', 'portfolios', 'properties', 'units', 'leases', 'charges', 'payments', 'balances'];
