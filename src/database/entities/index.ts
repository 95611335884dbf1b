import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, ValueTransformer } from 'typeorm';

/**
 * Entities of the shared contract (shared/docs/schema.md), column for column. The migration
 * 1764300000000-SharedContract creates the same tables; test/e2e/schema.e2e-spec.ts checks both agree.
 * Hot paths do not go through these: they use named, set-based SQL.
 */

/** bigint cents come back from pg as strings; cents stay far below 2^53. */
export const bigintCents: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null || v === undefined ? v : Number(v)),
};

@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'name', type: 'varchar', length: 120 })
  name: string;

  @Column({ name: 'timezone', type: 'varchar', length: 64, default: "America/New_York" })
  timezone: string;

  @Column({ name: 'status', type: 'varchar', length: 16, default: "active" })
  status: string;

  @Column({ name: 'settings', type: 'jsonb', default: () => "'{}'::jsonb" })
  settings: Record<string, any>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'softwares' })
export class Software {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'key', type: 'varchar', length: 64 })
  key: string;

  @Column({ name: 'name', type: 'varchar', length: 120, nullable: true })
  name: string | null;

  @Column({ name: 'category', type: 'varchar', length: 64, nullable: true })
  category: string | null;

  @Column({ name: 'auth_type', type: 'varchar', length: 32, nullable: true })
  authType: string | null;

  @Column({ name: 'auth_config', type: 'jsonb', nullable: true })
  authConfig: Record<string, any> | null;

  @Column({ name: 'capabilities', type: 'jsonb', nullable: true })
  capabilities: Record<string, any> | null;

  @Column({ name: 'is_enabled', type: 'boolean', default: true })
  isEnabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'pms_connections' })
export class PmsConnection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'software_id', type: 'uuid' })
  softwareId: string;

  @Column({ name: 'status', type: 'varchar', length: 32, default: "draft" })
  status: string;

  @Column({ name: 'credentials', type: 'jsonb', nullable: true })
  credentials: Record<string, any> | null;

  @Column({ name: 'external_account_id', type: 'varchar', length: 256, nullable: true })
  externalAccountId: string | null;

  @Column({ name: 'capabilities', type: 'jsonb', nullable: true })
  capabilities: Record<string, any> | null;

  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true })
  lastSyncedAt: Date | null;

  @Column({ name: 'last_error', type: 'jsonb', nullable: true })
  lastError: Record<string, any> | null;

  @Column({ name: 'sync_state', type: 'jsonb', default: () => "'{}'::jsonb" })
  syncState: Record<string, any>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'sync_runs' })
export class SyncRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'status', type: 'varchar', length: 16, default: "pending" })
  status: string;

  @Column({ name: 'trigger', type: 'varchar', length: 16, default: "manual" })
  trigger: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 256, nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'triggered_at', type: 'timestamptz', default: () => "now()" })
  triggeredAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'step', type: 'varchar', length: 64, nullable: true })
  step: string | null;

  @Column({ name: 'stats', type: 'jsonb', default: () => "'{}'::jsonb" })
  stats: Record<string, any>;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'error_details', type: 'jsonb', nullable: true })
  errorDetails: Record<string, any> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'external_mappings' })
export class ExternalMapping {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 32 })
  entityType: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256 })
  externalId: string;

  @Column({ name: 'internal_entity_type', type: 'varchar', length: 64, nullable: true })
  internalEntityType: string | null;

  @Column({ name: 'internal_id', type: 'uuid', nullable: true })
  internalId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'pms_portfolios' })
export class PmsPortfolio {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256 })
  externalId: string;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'name', type: 'varchar', length: 256, nullable: true })
  name: string | null;

  @Column({ name: 'meta', type: 'jsonb', nullable: true })
  meta: Record<string, any> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'pms_properties' })
export class PmsProperty {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256 })
  externalId: string;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_portfolio_id', type: 'uuid', nullable: true })
  pmsPortfolioId: string | null;

  @Column({ name: 'name', type: 'varchar', length: 256, nullable: true })
  name: string | null;

  @Column({ name: 'address', type: 'jsonb', nullable: true })
  address: Record<string, any> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'pms_units' })
export class PmsUnit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256 })
  externalId: string;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_property_id', type: 'uuid', nullable: true })
  pmsPropertyId: string | null;

  @Column({ name: 'unit_number', type: 'varchar', length: 64, nullable: true })
  unitNumber: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'pms_debtors' })
export class PmsDebtor {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256 })
  externalId: string;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'display_name', type: 'varchar', length: 256 })
  displayName: string;

  @Column({ name: 'type', type: 'varchar', length: 16, default: "person" })
  type: string;

  @Column({ name: 'email', type: 'varchar', length: 256, nullable: true })
  email: string | null;

  @Column({ name: 'phone', type: 'varchar', length: 64, nullable: true })
  phone: string | null;

  @Column({ name: 'address', type: 'jsonb', nullable: true })
  address: Record<string, any> | null;

  @Column({ name: 'language', type: 'varchar', length: 16, nullable: true })
  language: string | null;

  @Column({ name: 'timezone', type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  @Column({ name: 'do_not_contact', type: 'boolean', default: false })
  doNotContact: boolean;

  @Column({ name: 'do_not_call', type: 'boolean', default: false })
  doNotCall: boolean;

  @Column({ name: 'meta', type: 'jsonb', nullable: true })
  meta: Record<string, any> | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'pms_debtor_contacts' })
export class PmsDebtorContact {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256 })
  externalId: string;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_debtor_id', type: 'uuid' })
  pmsDebtorId: string;

  @Column({ name: 'contact_type', type: 'varchar', length: 16 })
  contactType: string;

  @Column({ name: 'value', type: 'varchar', length: 512 })
  value: string;

  @Column({ name: 'label', type: 'varchar', length: 64, nullable: true })
  label: string | null;

  @Column({ name: 'is_primary', type: 'boolean', default: false })
  isPrimary: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'pms_leases' })
export class PmsLease {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256 })
  externalId: string;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_debtor_id', type: 'uuid' })
  pmsDebtorId: string;

  @Column({ name: 'pms_property_id', type: 'uuid', nullable: true })
  pmsPropertyId: string | null;

  @Column({ name: 'pms_unit_id', type: 'uuid', nullable: true })
  pmsUnitId: string | null;

  @Column({ name: 'lease_number', type: 'varchar', length: 64, nullable: true })
  leaseNumber: string | null;

  @Column({ name: 'status', type: 'varchar', length: 16, default: "active" })
  status: string;

  @Column({ name: 'move_in_date', type: 'date', nullable: true })
  moveInDate: string | null;

  @Column({ name: 'move_out_date', type: 'date', nullable: true })
  moveOutDate: string | null;

  @Column({ name: 'last_note_summary', type: 'text', nullable: true })
  lastNoteSummary: string | null;

  @Column({ name: 'in_collections', type: 'boolean', default: false })
  inCollections: boolean;

  @Column({ name: 'risk_tier', type: 'varchar', length: 16, nullable: true })
  riskTier: string | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'ar_charges' })
export class ArCharge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256 })
  externalId: string;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_lease_id', type: 'uuid' })
  pmsLeaseId: string;

  @Column({ name: 'charge_type', type: 'varchar', length: 64, nullable: true })
  chargeType: string | null;

  @Column({ name: 'amount_cents', type: 'bigint', transformer: bigintCents })
  amountCents: number;

  @Column({ name: 'open_amount_cents', type: 'bigint', transformer: bigintCents, nullable: true })
  openAmountCents: number | null;

  @Column({ name: 'currency', type: 'varchar', length: 8, default: "USD" })
  currency: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate: string;

  @Column({ name: 'post_date', type: 'date', nullable: true })
  postDate: string | null;

  @Column({ name: 'description', type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'ar_payments' })
export class ArPayment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256 })
  externalId: string;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_lease_id', type: 'uuid', nullable: true })
  pmsLeaseId: string | null;

  @Column({ name: 'amount_cents', type: 'bigint', transformer: bigintCents })
  amountCents: number;

  @Column({ name: 'currency', type: 'varchar', length: 8, default: "USD" })
  currency: string;

  @Column({ name: 'paid_at', type: 'timestamptz' })
  paidAt: Date;

  @Column({ name: 'payment_method', type: 'varchar', length: 64, nullable: true })
  paymentMethod: string | null;

  @Column({ name: 'applied_to_charges', type: 'jsonb', nullable: true })
  appliedToCharges: Record<string, any> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'ar_adjustments' })
export class ArAdjustment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256, nullable: true })
  externalId: string | null;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_lease_id', type: 'uuid', nullable: true })
  pmsLeaseId: string | null;

  @Column({ name: 'adjustment_type', type: 'varchar', length: 64, nullable: true })
  adjustmentType: string | null;

  @Column({ name: 'amount_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  amountCents: number;

  @Column({ name: 'currency', type: 'varchar', length: 8, default: "USD" })
  currency: string;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt: Date | null;

  @Column({ name: 'description', type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'ar_balances' })
export class ArBalance {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256, nullable: true })
  externalId: string | null;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_lease_id', type: 'uuid' })
  pmsLeaseId: string;

  @Column({ name: 'balance_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  balanceCents: number;

  @Column({ name: 'past_due_total_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  pastDueTotalCents: number;

  @Column({ name: 'past_due_rent_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  pastDueRentCents: number;

  @Column({ name: 'unpaid_rent_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  unpaidRentCents: number;

  @Column({ name: 'currency', type: 'varchar', length: 8, default: "USD" })
  currency: string;

  @Column({ name: 'as_of_date', type: 'date' })
  asOfDate: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'ar_aging_snapshots' })
export class ArAgingSnapshot {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256, nullable: true })
  externalId: string | null;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'as_of_date', type: 'date' })
  asOfDate: string;

  @Column({ name: 'total_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  totalCents: number;

  @Column({ name: 'bucket_0_30_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  bucket030Cents: number;

  @Column({ name: 'bucket_31_60_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  bucket3160Cents: number;

  @Column({ name: 'bucket_61_90_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  bucket6190Cents: number;

  @Column({ name: 'bucket_90_plus_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  bucket90PlusCents: number;

  @Column({ name: 'currency', type: 'varchar', length: 8, default: "USD" })
  currency: string;

  @Column({ name: 'meta', type: 'jsonb', nullable: true })
  meta: Record<string, any> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'ar_lease_aging_snapshots' })
export class ArLeaseAgingSnapshot {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256, nullable: true })
  externalId: string | null;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_lease_id', type: 'uuid' })
  pmsLeaseId: string;

  @Column({ name: 'as_of_date', type: 'date' })
  asOfDate: string;

  @Column({ name: 'balance_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  balanceCents: number;

  @Column({ name: 'past_due_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  pastDueCents: number;

  @Column({ name: 'bucket_label', type: 'varchar', length: 16, default: "current" })
  bucketLabel: string;

  @Column({ name: 'days_past_due', type: 'integer', default: 0 })
  daysPastDue: number;

  @Column({ name: 'meta', type: 'jsonb', nullable: true })
  meta: Record<string, any> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'ar_portfolio_aging_snapshots' })
export class ArPortfolioAgingSnapshot {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pms_connection_id', type: 'uuid' })
  pmsConnectionId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 256, nullable: true })
  externalId: string | null;

  @Column({ name: 'last_external_updated_at', type: 'timestamptz', nullable: true })
  lastExternalUpdatedAt: Date | null;

  @Column({ name: 'pms_portfolio_id', type: 'uuid' })
  pmsPortfolioId: string;

  @Column({ name: 'as_of_date', type: 'date' })
  asOfDate: string;

  @Column({ name: 'total_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  totalCents: number;

  @Column({ name: 'bucket_0_30_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  bucket030Cents: number;

  @Column({ name: 'bucket_31_60_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  bucket3160Cents: number;

  @Column({ name: 'bucket_61_90_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  bucket6190Cents: number;

  @Column({ name: 'bucket_90_plus_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  bucket90PlusCents: number;

  @Column({ name: 'past_due_total_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  pastDueTotalCents: number;

  @Column({ name: 'currency', type: 'varchar', length: 8, default: "USD" })
  currency: string;

  @Column({ name: 'meta', type: 'jsonb', nullable: true })
  meta: Record<string, any> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'debtors' })
export class Debtor {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'external_ref', type: 'varchar', length: 128, nullable: true })
  externalRef: string | null;

  @Column({ name: 'full_name', type: 'varchar', length: 160, nullable: true })
  fullName: string | null;

  @Column({ name: 'email', type: 'varchar', length: 160, nullable: true })
  email: string | null;

  @Column({ name: 'phone', type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  @Column({ name: 'metadata', type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata: Record<string, any>;

  @Column({ name: 'do_not_call', type: 'boolean', default: false })
  doNotCall: boolean;

  @Column({ name: 'do_not_contact', type: 'boolean', default: false })
  doNotContact: boolean;

  @Column({ name: 'timezone', type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'flow_policies' })
export class FlowPolicy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'name', type: 'varchar', length: 120 })
  name: string;

  @Column({ name: 'min_days_past_due', type: 'integer', default: 0 })
  minDaysPastDue: number;

  @Column({ name: 'max_days_past_due', type: 'integer', nullable: true })
  maxDaysPastDue: number | null;

  @Column({ name: 'channels', type: 'jsonb', default: () => "'{\"call\":false,\"sms\":false,\"email\":false,\"whatsapp\":false}'::jsonb" })
  channels: Record<string, any>;

  @Column({ name: 'tone', type: 'varchar', length: 32, nullable: true })
  tone: string | null;

  @Column({ name: 'rules', type: 'jsonb', nullable: true })
  rules: Record<string, any> | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'debt_cases' })
export class DebtCase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'debtor_id', type: 'uuid' })
  debtorId: string;

  @Column({ name: 'flow_policy_id', type: 'uuid', nullable: true })
  flowPolicyId: string | null;

  @Column({ name: 'import_batch_id', type: 'uuid', nullable: true })
  importBatchId: string | null;

  @Column({ name: 'pms_lease_id', type: 'uuid', nullable: true })
  pmsLeaseId: string | null;

  @Column({ name: 'amount_due_cents', type: 'bigint', transformer: bigintCents, default: 0 })
  amountDueCents: number;

  @Column({ name: 'currency', type: 'varchar', length: 8, default: "USD" })
  currency: string;

  @Column({ name: 'days_past_due', type: 'integer', default: 0 })
  daysPastDue: number;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ name: 'status', type: 'varchar', length: 32, default: "NEW" })
  status: string;

  @Column({ name: 'last_contacted_at', type: 'timestamptz', nullable: true })
  lastContactedAt: Date | null;

  @Column({ name: 'next_action_at', type: 'timestamptz', nullable: true })
  nextActionAt: Date | null;

  @Column({ name: 'payment_link_url', type: 'text', nullable: true })
  paymentLinkUrl: string | null;

  @Column({ name: 'meta', type: 'jsonb', default: () => "'{}'::jsonb" })
  meta: Record<string, any>;

  @Column({ name: 'case_public_id', type: 'varchar', length: 64, nullable: true })
  casePublicId: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'approval_status', type: 'varchar', length: 32, default: "APPROVED" })
  approvalStatus: string;

  @Column({ name: 'external_key', type: 'varchar', length: 512, nullable: true })
  externalKey: string | null;

  @Column({ name: 'last_pms_sync_at', type: 'timestamptz', nullable: true })
  lastPmsSyncAt: Date | null;

  @Column({ name: 'risk_tier', type: 'varchar', length: 16, nullable: true })
  riskTier: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'interaction_logs' })
export class InteractionLog {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'debt_case_id', type: 'uuid', nullable: true })
  debtCaseId: string | null;

  @Column({ name: 'debtor_id', type: 'uuid', nullable: true })
  debtorId: string | null;

  @Column({ name: 'type', type: 'varchar', length: 16, default: "CALL" })
  type: string;

  @Column({ name: 'direction', type: 'varchar', length: 16, default: "OUTBOUND" })
  direction: string;

  @Column({ name: 'channel_provider', type: 'varchar', length: 60, nullable: true })
  channelProvider: string | null;

  @Column({ name: 'provider_ref', type: 'varchar', length: 160, nullable: true })
  providerRef: string | null;

  @Column({ name: 'status', type: 'varchar', length: 40, default: "queued" })
  status: string;

  @Column({ name: 'outcome', type: 'varchar', length: 32, nullable: true })
  outcome: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'transcript', type: 'text', nullable: true })
  transcript: string | null;

  @Column({ name: 'summary', type: 'text', nullable: true })
  summary: string | null;

  @Column({ name: 'ai_data', type: 'jsonb', nullable: true })
  aiData: Record<string, any> | null;

  @Column({ name: 'error', type: 'jsonb', nullable: true })
  error: Record<string, any> | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 256, nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'evidence', type: 'jsonb', nullable: true })
  evidence: Record<string, any> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'payment_agreements' })
export class PaymentAgreement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'debt_case_id', type: 'uuid' })
  debtCaseId: string;

  @Column({ name: 'type', type: 'varchar', length: 32 })
  type: string;

  @Column({ name: 'status', type: 'varchar', length: 32, default: "PROPOSED" })
  status: string;

  @Column({ name: 'total_amount_cents', type: 'bigint', transformer: bigintCents, nullable: true })
  totalAmountCents: number | null;

  @Column({ name: 'down_payment_cents', type: 'bigint', transformer: bigintCents, nullable: true })
  downPaymentCents: number | null;

  @Column({ name: 'installments', type: 'integer', nullable: true })
  installments: number | null;

  @Column({ name: 'start_date', type: 'date', nullable: true })
  startDate: string | null;

  @Column({ name: 'promise_date', type: 'date', nullable: true })
  promiseDate: string | null;

  @Column({ name: 'provider', type: 'varchar', length: 60, nullable: true })
  provider: string | null;

  @Column({ name: 'provider_ref', type: 'varchar', length: 160, nullable: true })
  providerRef: string | null;

  @Column({ name: 'terms', type: 'jsonb', nullable: true })
  terms: Record<string, any> | null;

  @Column({ name: 'created_by', type: 'varchar', length: 16, default: "AI" })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'case_disputes' })
export class CaseDispute {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'debt_case_id', type: 'uuid' })
  debtCaseId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'status', type: 'varchar', length: 32, default: "OPEN" })
  status: string;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'notes', type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz', default: () => "now()" })
  openedAt: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export const ENTITIES = [Tenant, Software, PmsConnection, SyncRun, ExternalMapping, PmsPortfolio, PmsProperty, PmsUnit, PmsDebtor, PmsDebtorContact, PmsLease, ArCharge, ArPayment, ArAdjustment, ArBalance, ArAgingSnapshot, ArLeaseAgingSnapshot, ArPortfolioAgingSnapshot, Debtor, FlowPolicy, DebtCase, InteractionLog, PaymentAgreement, CaseDispute];
