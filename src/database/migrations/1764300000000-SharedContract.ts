import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shared database contract (shared/docs/schema.md), frozen as of this migration.
 *
 * Safe on an empty database, a no-op when run again, and applies cleanly where the API already
 * created these tables: every table is `CREATE TABLE IF NOT EXISTS`, then every column is added
 * with `ADD COLUMN IF NOT EXISTS` (so an API table that lacks a column of ours gets it, and one
 * that has it is left alone), then indexes `IF NOT EXISTS`. Nothing is ever dropped or renamed.
 * Foreign keys are only declared on tables this migration creates.
 *
 * On a table the API created (Sequelize: ids, timestamps and defaults filled in by the ORM, not
 * by the database), a column that has no database default gets the one of our contract
 * (gen_random_uuid(), now(), '{}', ...) when its base type is the same, because our set-based
 * inserts rely on them; an existing default is never changed. A unique index is not created when the API already has an equivalent one (same
 * table, same columns, same predicate), so the API's own constraint serves our ON CONFLICT targets.
 * Before the "one active sync run per connection" index is built, older duplicate active runs
 * (left by a crashed API sync) are marked failed, keeping the newest one.
 */

type Col = [name: string, type: string];
interface TableSpec {
  name: string;
  columns: Col[];
  /** unique indexes: [name, columns, where?] */
  unique?: [string, string, string?][];
  /** plain indexes: [name, columns, where?] */
  index?: [string, string, string?][];
  /** foreign keys, only for tables we create: [column, table] */
  fks?: [string, string, 'CASCADE' | 'SET NULL'][];
  noUpdatedAt?: boolean;
}

const ID: Col = ['id', 'uuid NOT NULL DEFAULT gen_random_uuid()'];
const TS: Col[] = [
  ['created_at', 'timestamptz NOT NULL DEFAULT now()'],
  ['updated_at', 'timestamptz NOT NULL DEFAULT now()'],
];
const CANON: Col[] = [
  ['tenant_id', 'uuid NOT NULL'],
  ['pms_connection_id', 'uuid NOT NULL'],
  ['external_id', 'varchar(256) NOT NULL'],
  ['last_external_updated_at', 'timestamptz'],
];
const CANON_OPTIONAL_EXTERNAL: Col[] = [
  ['tenant_id', 'uuid NOT NULL'],
  ['pms_connection_id', 'uuid NOT NULL'],
  ['external_id', 'varchar(256)'],
  ['last_external_updated_at', 'timestamptz'],
];
const BUCKETS: Col[] = [
  ['bucket_0_30_cents', 'bigint NOT NULL DEFAULT 0'],
  ['bucket_31_60_cents', 'bigint NOT NULL DEFAULT 0'],
  ['bucket_61_90_cents', 'bigint NOT NULL DEFAULT 0'],
  ['bucket_90_plus_cents', 'bigint NOT NULL DEFAULT 0'],
];
const canonUnique = (t: string): [string, string][] => [[`uq_${t}_connection_external`, 'pms_connection_id, external_id']];
const canonFk: [string, string, 'CASCADE'][] = [['pms_connection_id', 'pms_connections', 'CASCADE']];

export const SHARED_TABLES: TableSpec[] = [
  {
    name: 'tenants',
    columns: [
      ID,
      ['name', 'varchar(120) NOT NULL'],
      ['timezone', "varchar(64) NOT NULL DEFAULT 'America/New_York'"],
      ['status', "varchar(16) NOT NULL DEFAULT 'active'"],
      ['settings', "jsonb NOT NULL DEFAULT '{}'::jsonb"],
      ...TS,
    ],
  },
  {
    name: 'softwares',
    columns: [
      ID,
      ['key', 'varchar(64) NOT NULL'],
      ['name', 'varchar(120)'],
      ['category', 'varchar(64)'],
      ['auth_type', 'varchar(32)'],
      ['auth_config', 'jsonb'],
      ['capabilities', 'jsonb'],
      ['is_enabled', 'boolean NOT NULL DEFAULT true'],
      ...TS,
    ],
    unique: [['uq_softwares_key', 'key']],
  },
  {
    name: 'pms_connections',
    columns: [
      ID,
      ['tenant_id', 'uuid NOT NULL'],
      ['software_id', 'uuid NOT NULL'],
      ['status', "varchar(32) NOT NULL DEFAULT 'draft'"],
      ['credentials', 'jsonb'],
      ['external_account_id', 'varchar(256)'],
      ['capabilities', 'jsonb'],
      ['last_synced_at', 'timestamptz'],
      ['last_error', 'jsonb'],
      ['sync_state', "jsonb NOT NULL DEFAULT '{}'::jsonb"],
      ...TS,
    ],
    unique: [['uq_pms_connections_tenant_software', 'tenant_id, software_id']],
    index: [['ix_pms_connections_status', 'status']],
    fks: [
      ['tenant_id', 'tenants', 'CASCADE'],
      ['software_id', 'softwares', 'CASCADE'],
    ],
  },
  {
    name: 'sync_runs',
    columns: [
      ID,
      ['pms_connection_id', 'uuid NOT NULL'],
      ['status', "varchar(16) NOT NULL DEFAULT 'pending'"],
      ['trigger', "varchar(16) NOT NULL DEFAULT 'manual'"],
      ['idempotency_key', 'varchar(256)'],
      ['triggered_at', 'timestamptz NOT NULL DEFAULT now()'],
      ['started_at', 'timestamptz'],
      ['finished_at', 'timestamptz'],
      ['step', 'varchar(64)'],
      ['stats', "jsonb NOT NULL DEFAULT '{}'::jsonb"],
      ['error_message', 'text'],
      ['error_details', 'jsonb'],
      ...TS,
    ],
    unique: [
      ['uq_sync_runs_connection_idempotency', 'pms_connection_id, idempotency_key', 'idempotency_key IS NOT NULL'],
      ['uq_sync_runs_one_active', 'pms_connection_id', "status IN ('pending','running')"],
    ],
    index: [['ix_sync_runs_connection_triggered', 'pms_connection_id, triggered_at DESC']],
    fks: canonFk,
  },
  {
    name: 'external_mappings',
    columns: [
      ID,
      ['pms_connection_id', 'uuid NOT NULL'],
      ['entity_type', 'varchar(32) NOT NULL'],
      ['external_id', 'varchar(256) NOT NULL'],
      ['internal_entity_type', 'varchar(64)'],
      ['internal_id', 'uuid'],
      ...TS,
    ],
    unique: [['uq_external_mappings_key', 'pms_connection_id, entity_type, external_id']],
    fks: canonFk,
  },
  {
    name: 'pms_portfolios',
    columns: [ID, ...CANON, ['name', 'varchar(256)'], ['meta', 'jsonb'], ...TS],
    unique: canonUnique('pms_portfolios'),
    fks: canonFk,
  },
  {
    name: 'pms_properties',
    columns: [ID, ...CANON, ['pms_portfolio_id', 'uuid'], ['name', 'varchar(256)'], ['address', 'jsonb'], ...TS],
    unique: canonUnique('pms_properties'),
    index: [['ix_pms_properties_portfolio', 'pms_portfolio_id']],
    fks: [...canonFk, ['pms_portfolio_id', 'pms_portfolios', 'SET NULL']],
  },
  {
    name: 'pms_units',
    columns: [ID, ...CANON, ['pms_property_id', 'uuid'], ['unit_number', 'varchar(64)'], ...TS],
    unique: canonUnique('pms_units'),
    fks: [...canonFk, ['pms_property_id', 'pms_properties', 'SET NULL']],
  },
  {
    name: 'pms_debtors',
    columns: [
      ID,
      ...CANON,
      ['display_name', 'varchar(256) NOT NULL'],
      ['type', "varchar(16) NOT NULL DEFAULT 'person'"],
      ['email', 'varchar(256)'],
      ['phone', 'varchar(64)'],
      ['address', 'jsonb'],
      ['language', 'varchar(16)'],
      ['timezone', 'varchar(64)'],
      ['do_not_contact', 'boolean NOT NULL DEFAULT false'],
      ['do_not_call', 'boolean NOT NULL DEFAULT false'],
      ['meta', 'jsonb'],
      ['deleted_at', 'timestamptz'],
      ...TS,
    ],
    unique: canonUnique('pms_debtors'),
    fks: canonFk,
  },
  {
    name: 'pms_debtor_contacts',
    columns: [
      ID,
      ...CANON,
      ['pms_debtor_id', 'uuid NOT NULL'],
      ['contact_type', 'varchar(16) NOT NULL'],
      ['value', 'varchar(512) NOT NULL'],
      ['label', 'varchar(64)'],
      ['is_primary', 'boolean NOT NULL DEFAULT false'],
      ...TS,
    ],
    unique: canonUnique('pms_debtor_contacts'),
    index: [['ix_pms_debtor_contacts_debtor', 'pms_debtor_id']],
    fks: [...canonFk, ['pms_debtor_id', 'pms_debtors', 'CASCADE']],
  },
  {
    name: 'pms_leases',
    columns: [
      ID,
      ...CANON,
      ['pms_debtor_id', 'uuid NOT NULL'],
      ['pms_property_id', 'uuid'],
      ['pms_unit_id', 'uuid'],
      ['lease_number', 'varchar(64)'],
      ['status', "varchar(16) NOT NULL DEFAULT 'active'"],
      ['move_in_date', 'date'],
      ['move_out_date', 'date'],
      ['last_note_summary', 'text'],
      ['in_collections', 'boolean NOT NULL DEFAULT false'],
      ['risk_tier', 'varchar(16)'],
      ['deleted_at', 'timestamptz'],
      ...TS,
    ],
    unique: canonUnique('pms_leases'),
    index: [
      ['ix_pms_leases_debtor', 'pms_debtor_id'],
      ['ix_pms_leases_property', 'pms_property_id'],
    ],
    fks: [
      ...canonFk,
      ['pms_debtor_id', 'pms_debtors', 'CASCADE'],
      ['pms_property_id', 'pms_properties', 'SET NULL'],
      ['pms_unit_id', 'pms_units', 'SET NULL'],
    ],
  },
  {
    name: 'ar_charges',
    columns: [
      ID,
      ...CANON,
      ['pms_lease_id', 'uuid NOT NULL'],
      ['charge_type', 'varchar(64)'],
      ['amount_cents', 'bigint NOT NULL'],
      ['open_amount_cents', 'bigint'],
      ['currency', "varchar(8) NOT NULL DEFAULT 'USD'"],
      ['due_date', 'date NOT NULL'],
      ['post_date', 'date'],
      ['description', 'text'],
      ...TS,
    ],
    unique: canonUnique('ar_charges'),
    index: [['ix_ar_charges_lease_due', 'pms_lease_id, due_date']],
    fks: [...canonFk, ['pms_lease_id', 'pms_leases', 'CASCADE']],
  },
  {
    name: 'ar_payments',
    columns: [
      ID,
      ...CANON,
      ['pms_lease_id', 'uuid'],
      ['amount_cents', 'bigint NOT NULL'],
      ['currency', "varchar(8) NOT NULL DEFAULT 'USD'"],
      ['paid_at', 'timestamptz NOT NULL'],
      ['payment_method', 'varchar(64)'],
      ['applied_to_charges', 'jsonb'],
      ...TS,
    ],
    unique: canonUnique('ar_payments'),
    index: [['ix_ar_payments_lease', 'pms_lease_id']],
    fks: [...canonFk, ['pms_lease_id', 'pms_leases', 'SET NULL']],
  },
  {
    name: 'ar_adjustments',
    columns: [
      ID,
      ...CANON_OPTIONAL_EXTERNAL,
      ['pms_lease_id', 'uuid'],
      ['adjustment_type', 'varchar(64)'],
      ['amount_cents', 'bigint NOT NULL DEFAULT 0'],
      ['currency', "varchar(8) NOT NULL DEFAULT 'USD'"],
      ['applied_at', 'timestamptz'],
      ['description', 'text'],
      ...TS,
    ],
    unique: canonUnique('ar_adjustments'),
    index: [['ix_ar_adjustments_lease', 'pms_lease_id']],
    fks: [...canonFk, ['pms_lease_id', 'pms_leases', 'SET NULL']],
  },
  {
    name: 'ar_balances',
    columns: [
      ID,
      ...CANON_OPTIONAL_EXTERNAL,
      ['pms_lease_id', 'uuid NOT NULL'],
      ['balance_cents', 'bigint NOT NULL DEFAULT 0'],
      ['past_due_total_cents', 'bigint NOT NULL DEFAULT 0'],
      ['past_due_rent_cents', 'bigint NOT NULL DEFAULT 0'],
      ['unpaid_rent_cents', 'bigint NOT NULL DEFAULT 0'],
      ['currency', "varchar(8) NOT NULL DEFAULT 'USD'"],
      ['as_of_date', 'date NOT NULL'],
      ...TS,
    ],
    unique: [['uq_ar_balances_lease_date', 'pms_lease_id, as_of_date']],
    index: [['ix_ar_balances_connection_date', 'pms_connection_id, as_of_date']],
    fks: [...canonFk, ['pms_lease_id', 'pms_leases', 'CASCADE']],
  },
  {
    name: 'ar_aging_snapshots',
    columns: [
      ID,
      ...CANON_OPTIONAL_EXTERNAL,
      ['as_of_date', 'date NOT NULL'],
      ['total_cents', 'bigint NOT NULL DEFAULT 0'],
      ...BUCKETS,
      ['currency', "varchar(8) NOT NULL DEFAULT 'USD'"],
      ['meta', 'jsonb'],
      ['created_at', 'timestamptz NOT NULL DEFAULT now()'],
    ],
    noUpdatedAt: true,
    unique: [['uq_ar_aging_snapshots_connection_date', 'pms_connection_id, as_of_date']],
    fks: canonFk,
  },
  {
    name: 'ar_lease_aging_snapshots',
    columns: [
      ID,
      ...CANON_OPTIONAL_EXTERNAL,
      ['pms_lease_id', 'uuid NOT NULL'],
      ['as_of_date', 'date NOT NULL'],
      ['balance_cents', 'bigint NOT NULL DEFAULT 0'],
      ['past_due_cents', 'bigint NOT NULL DEFAULT 0'],
      ['bucket_label', "varchar(16) NOT NULL DEFAULT 'current'"],
      ['days_past_due', 'integer NOT NULL DEFAULT 0'],
      ['meta', 'jsonb'],
      ...TS,
    ],
    unique: [['uq_ar_lease_aging_lease_date', 'pms_lease_id, as_of_date']],
    index: [['ix_ar_lease_aging_connection_date', 'pms_connection_id, as_of_date']],
    fks: [...canonFk, ['pms_lease_id', 'pms_leases', 'CASCADE']],
  },
  {
    name: 'ar_portfolio_aging_snapshots',
    columns: [
      ID,
      ...CANON_OPTIONAL_EXTERNAL,
      ['pms_portfolio_id', 'uuid NOT NULL'],
      ['as_of_date', 'date NOT NULL'],
      ['total_cents', 'bigint NOT NULL DEFAULT 0'],
      ...BUCKETS,
      ['past_due_total_cents', 'bigint NOT NULL DEFAULT 0'],
      ['currency', "varchar(8) NOT NULL DEFAULT 'USD'"],
      ['meta', 'jsonb'],
      ...TS,
    ],
    unique: [['uq_ar_portfolio_aging_portfolio_date', 'pms_portfolio_id, as_of_date']],
    fks: [...canonFk, ['pms_portfolio_id', 'pms_portfolios', 'CASCADE']],
  },
  {
    name: 'debtors',
    columns: [
      ID,
      ['tenant_id', 'uuid NOT NULL'],
      ['external_ref', 'varchar(128)'],
      ['full_name', 'varchar(160)'],
      ['email', 'varchar(160)'],
      ['phone', 'varchar(40)'],
      ['metadata', "jsonb NOT NULL DEFAULT '{}'::jsonb"],
      // (new) contact flags and time zone set by calls or copied from the PMS debtor
      ['do_not_call', 'boolean NOT NULL DEFAULT false'],
      ['do_not_contact', 'boolean NOT NULL DEFAULT false'],
      ['timezone', 'varchar(64)'],
      ...TS,
    ],
    index: [['ix_debtors_tenant_external_ref', 'tenant_id, external_ref']],
    fks: [['tenant_id', 'tenants', 'CASCADE']],
  },
  {
    name: 'flow_policies',
    columns: [
      ID,
      ['tenant_id', 'uuid NOT NULL'],
      ['name', 'varchar(120) NOT NULL'],
      ['min_days_past_due', 'integer NOT NULL DEFAULT 0'],
      ['max_days_past_due', 'integer'],
      ['channels', `jsonb NOT NULL DEFAULT '{"call":false,"sms":false,"email":false,"whatsapp":false}'::jsonb`],
      ['tone', 'varchar(32)'],
      ['rules', 'jsonb'],
      ['is_active', 'boolean NOT NULL DEFAULT true'],
      ...TS,
    ],
    index: [['ix_flow_policies_tenant', 'tenant_id']],
    fks: [['tenant_id', 'tenants', 'CASCADE']],
  },
  {
    name: 'debt_cases',
    columns: [
      ID,
      ['tenant_id', 'uuid NOT NULL'],
      ['debtor_id', 'uuid NOT NULL'],
      ['flow_policy_id', 'uuid'],
      ['import_batch_id', 'uuid'],
      ['pms_lease_id', 'uuid'],
      ['amount_due_cents', 'bigint NOT NULL DEFAULT 0'],
      ['currency', "varchar(8) NOT NULL DEFAULT 'USD'"],
      ['days_past_due', 'integer NOT NULL DEFAULT 0'],
      ['due_date', 'date'],
      ['status', "varchar(32) NOT NULL DEFAULT 'NEW'"],
      ['last_contacted_at', 'timestamptz'],
      ['next_action_at', 'timestamptz'],
      ['payment_link_url', 'text'],
      ['meta', "jsonb NOT NULL DEFAULT '{}'::jsonb"],
      ['case_public_id', 'varchar(64)'],
      ['closed_at', 'timestamptz'],
      ['approval_status', "varchar(32) NOT NULL DEFAULT 'APPROVED'"],
      ['external_key', 'varchar(512)'],
      ['last_pms_sync_at', 'timestamptz'],
      ['risk_tier', 'varchar(16)'],
      ...TS,
    ],
    unique: [['uq_debt_cases_tenant_external_key', 'tenant_id, external_key']],
    index: [
      ['ix_debt_cases_debtor', 'debtor_id'],
      ['ix_debt_cases_pms_lease', 'pms_lease_id'],
    ],
    fks: [
      ['tenant_id', 'tenants', 'CASCADE'],
      ['debtor_id', 'debtors', 'CASCADE'],
      ['flow_policy_id', 'flow_policies', 'SET NULL'],
      ['pms_lease_id', 'pms_leases', 'SET NULL'],
    ],
  },
  {
    name: 'interaction_logs',
    columns: [
      ID,
      ['tenant_id', 'uuid NOT NULL'],
      ['debt_case_id', 'uuid'],
      ['debtor_id', 'uuid'],
      ['type', "varchar(16) NOT NULL DEFAULT 'CALL'"],
      ['direction', "varchar(16) NOT NULL DEFAULT 'OUTBOUND'"],
      ['channel_provider', 'varchar(60)'],
      ['provider_ref', 'varchar(160)'],
      ['status', "varchar(40) NOT NULL DEFAULT 'queued'"],
      ['outcome', 'varchar(32)'],
      ['started_at', 'timestamptz'],
      ['ended_at', 'timestamptz'],
      ['transcript', 'text'],
      ['summary', 'text'],
      ['ai_data', 'jsonb'],
      ['error', 'jsonb'],
      // (new) one row per dial intent, and the evidence a placed call relied on (compliance.md §5)
      ['idempotency_key', 'varchar(256)'],
      ['evidence', 'jsonb'],
      ...TS,
    ],
    unique: [['uq_interaction_logs_idempotency', 'tenant_id, idempotency_key', 'idempotency_key IS NOT NULL']],
    index: [
      ['ix_interaction_logs_tenant_provider_ref', 'tenant_id, provider_ref'],
      ['ix_interaction_logs_case_started', 'debt_case_id, started_at'],
    ],
    fks: [['tenant_id', 'tenants', 'CASCADE']],
  },
  {
    name: 'payment_agreements',
    columns: [
      ID,
      ['tenant_id', 'uuid NOT NULL'],
      ['debt_case_id', 'uuid NOT NULL'],
      ['type', 'varchar(32) NOT NULL'],
      ['status', "varchar(32) NOT NULL DEFAULT 'PROPOSED'"],
      ['total_amount_cents', 'bigint'],
      ['down_payment_cents', 'bigint'],
      ['installments', 'integer'],
      ['start_date', 'date'],
      ['promise_date', 'date'],
      ['provider', 'varchar(60)'],
      ['provider_ref', 'varchar(160)'],
      ['terms', 'jsonb'],
      ['created_by', "varchar(16) NOT NULL DEFAULT 'AI'"],
      ...TS,
    ],
    index: [['ix_payment_agreements_case', 'debt_case_id']],
    fks: [['debt_case_id', 'debt_cases', 'CASCADE']],
  },
  {
    name: 'case_disputes',
    columns: [
      ID,
      ['debt_case_id', 'uuid NOT NULL'],
      ['tenant_id', 'uuid NOT NULL'],
      ['status', "varchar(32) NOT NULL DEFAULT 'OPEN'"],
      ['reason', 'text'],
      ['notes', 'text'],
      ['opened_at', 'timestamptz NOT NULL DEFAULT now()'],
      ['resolved_at', 'timestamptz'],
      ...TS,
    ],
    index: [['ix_case_disputes_case_status', 'debt_case_id, status']],
    fks: [['debt_case_id', 'debt_cases', 'CASCADE']],
  },
];

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/** A column definition usable in ADD COLUMN on an existing table: NOT NULL only when a default exists. */
function addableType(type: string): string {
  if (/NOT NULL/i.test(type) && !/DEFAULT/i.test(type)) return type.replace(/\s*NOT NULL/i, '');
  return type;
}

const UDT: Record<string, string> = { uuid: 'uuid', timestamptz: 'timestamptz', jsonb: 'jsonb', boolean: 'bool', bigint: 'int8', integer: 'int4', varchar: 'varchar', text: 'text', date: 'date' };

/**
 * Database defaults on an API-made table: where our contract has a DEFAULT (gen_random_uuid(),
 * now(), '{}', false, ...) and the API's column has none and the same base type, the default is
 * set, so inserts that omit the column work. An existing default is never changed.
 */
async function addMissingDefaults(db: QueryRunner, t: TableSpec): Promise<void> {
  const wanted = new Map<string, { udt: string; expr: string }>();
  for (const [n, ty] of t.columns) {
    const m = /DEFAULT\s+(.+)$/i.exec(ty);
    const base = /^([a-z]+)/i.exec(ty)?.[1].toLowerCase() ?? '';
    if (m && UDT[base]) wanted.set(n, { udt: UDT[base], expr: m[1].trim() });
  }
  if (wanted.size === 0) return;
  const rows: { column_name: string; udt_name: string }[] = await db.query(
    `SELECT column_name, udt_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 AND column_name = ANY($2::text[]) AND column_default IS NULL`,
    [t.name, [...wanted.keys()]],
  );
  for (const { column_name, udt_name } of rows) {
    const w = wanted.get(column_name)!;
    if (w.udt !== udt_name) continue; // an API type of its own (e.g. an ENUM): left alone
    await db.query(`ALTER TABLE ${q(t.name)} ALTER COLUMN ${q(column_name)} SET DEFAULT ${w.expr}`);
  }
}

/** True when the table already has a valid, non-partial unique index on exactly these columns (any order). */
async function hasEquivalentUniqueIndex(db: QueryRunner, table: string, ownName: string, cols: string): Promise<boolean> {
  const wanted = cols.split(',').map((c) => c.trim());
  if (wanted.some((c) => !/^[a-z_][a-z0-9_]*$/.test(c))) return false; // expressions / DESC: no equivalence check
  const rows: { name: string }[] = await db.query(
    `SELECT ic.relname AS name
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class tc ON tc.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = tc.relnamespace
      WHERE n.nspname = current_schema() AND tc.relname = $1
        AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
        AND i.indnatts = $2
        AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
               FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = k) = $3::text[]`,
    [table, wanted.length, [...wanted].sort()],
  );
  return rows.some((r) => r.name !== ownName);
}

/** Keeps the newest pending/running run per connection; older ones are marked failed (they can never finish). */
async function resolveDuplicateActiveRuns(db: QueryRunner): Promise<void> {
  const exists = await db.query(
    `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = 'uq_sync_runs_one_active'`,
  );
  if (exists.length > 0) return;
  await db.query(
    `UPDATE sync_runs s
        SET status = 'failed',
            finished_at = COALESCE(s.finished_at, now()),
            error_message = COALESCE(s.error_message, 'marked failed by the worker''s migration: a newer run of this connection was active')
      WHERE s.status::text IN ('pending', 'running')
        AND EXISTS (SELECT 1 FROM sync_runs n
                     WHERE n.pms_connection_id = s.pms_connection_id AND n.status::text IN ('pending', 'running')
                       AND (n.triggered_at, n.id) > (s.triggered_at, s.id))`,
  );
}

export class SharedContract1764300000000 implements MigrationInterface {
  name = 'SharedContract1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
    for (const t of SHARED_TABLES) {
      const existed = (await db.query('SELECT to_regclass($1) IS NOT NULL AS e', [`public.${t.name}`]))[0].e as boolean;
      if (!existed) {
        const cols = t.columns.map(([n, ty]) => `${q(n)} ${ty}`);
        await db.query(`CREATE TABLE IF NOT EXISTS ${q(t.name)} (${cols.join(', ')}, PRIMARY KEY ("id"))`);
        for (const [col, ref, onDelete] of t.fks ?? []) {
          await db.query(
            `ALTER TABLE ${q(t.name)} ADD CONSTRAINT ${q(`fk_${t.name}_${col}`)} FOREIGN KEY (${q(col)}) REFERENCES ${q(ref)}("id") ON DELETE ${onDelete}`,
          );
        }
      } else {
        for (const [n, ty] of t.columns) {
          await db.query(`ALTER TABLE ${q(t.name)} ADD COLUMN IF NOT EXISTS ${q(n)} ${addableType(ty)}`);
        }
        await addMissingDefaults(db, t);
      }
      if (t.name === 'sync_runs') await resolveDuplicateActiveRuns(db);
      for (const [name, cols, where] of t.unique ?? []) {
        if (!where && (await hasEquivalentUniqueIndex(db, t.name, name, cols))) continue;
        await db.query(`CREATE UNIQUE INDEX IF NOT EXISTS ${q(name)} ON ${q(t.name)} (${cols})${where ? ` WHERE ${where}` : ''}`);
      }
      for (const [name, cols, where] of t.index ?? []) {
        await db.query(`CREATE INDEX IF NOT EXISTS ${q(name)} ON ${q(t.name)} (${cols})${where ? ` WHERE ${where}` : ''}`);
      }
    }
  }

  async down(): Promise<void> {
    // Shared tables belong to the API as much as to us: never dropped by a rollback.
  }
}
