import { StreamKind } from '../connectors/canonical';

/**
 * The canonical write path, as named SQL statements built once at load time from the table specs
 * below (identifiers only; every value is a bound parameter). One statement per page and table:
 *
 *   unnest($n::type[] ...)            the page as a relation (one array per column)
 *   LEFT JOIN parents                 relations resolved in SQL by external id
 *   LEFT JOIN the target              existing row by (pms_connection_id, external_id)
 *   INSERT new rows                   plain INSERT: only one sync per connection runs at a time
 *   UPDATE changed rows               only where data differ AND the record is not older
 *                                     (monotonic rule), or where the row was soft-deleted
 *   counts                            created / updated / stale / accepted / missing relations
 *
 * Unchanged rows are never rewritten (no new tuple, updated_at and xmin stay as they were).
 */

export type PgType = 'text' | 'bigint' | 'int' | 'boolean' | 'date' | 'timestamptz' | 'jsonb';

export interface RelationSpec {
  /** input column carrying the parent's external id */
  ext: string;
  /** column of the target receiving the parent's id */
  col: string;
  table: string;
  /** name used in stats.missingRelations */
  name: string;
  /** required: a record whose parent is unknown is skipped; optional: stored with NULL */
  required: boolean;
}

export interface TableSpec {
  kind: StreamKind;
  table: string;
  /** input columns (besides external_id and last_external_updated_at), in the order of the arrays */
  input: [string, PgType][];
  relations: RelationSpec[];
  /** input columns written as-is */
  data: string[];
  softDelete: boolean;
  /**
   * Where the PMS's last-modified time of a row is kept: in the API table's own
   * last_external_updated_at column, or (API tables without that column) in worker_row_versions.
   */
  version: 'column' | 'side';
  /** full pulls record the ids they returned (sync_run_seen, for soft deletes) in the same statement */
  trackSeen?: boolean;
  /** debtors: the input column `contacts` (a JSON array) is synced into pms_debtor_contacts */
  contacts?: boolean;
}

export const TABLES: Partial<Record<StreamKind, TableSpec>> = {
  debtors: {
    kind: 'debtors',
    table: 'pms_debtors',
    input: [
      ['display_name', 'text'],
      ['type', 'text'],
      ['email', 'text'],
      ['phone', 'text'],
      ['address', 'jsonb'],
      ['language', 'text'],
      ['timezone', 'text'],
      ['do_not_contact', 'boolean'],
      ['do_not_call', 'boolean'],
      ['meta', 'jsonb'],
      ['contacts', 'jsonb'],
    ],
    relations: [],
    data: ['display_name', 'type', 'email', 'phone', 'address', 'language', 'timezone', 'do_not_contact', 'do_not_call', 'meta'],
    softDelete: true,
    version: 'column',
    trackSeen: true,
    contacts: true,
  },
  portfolios: {
    kind: 'portfolios',
    table: 'pms_portfolios',
    input: [
      ['name', 'text'],
      ['meta', 'jsonb'],
    ],
    relations: [],
    data: ['name', 'meta'],
    softDelete: false,
    version: 'side',
  },
  properties: {
    kind: 'properties',
    table: 'pms_properties',
    input: [
      ['portfolio_ext', 'text'],
      ['name', 'text'],
      ['address', 'jsonb'],
    ],
    relations: [{ ext: 'portfolio_ext', col: 'pms_portfolio_id', table: 'pms_portfolios', name: 'portfolios', required: false }],
    data: ['name', 'address'],
    softDelete: false,
    version: 'side',
  },
  units: {
    kind: 'units',
    table: 'pms_units',
    input: [
      ['property_ext', 'text'],
      ['unit_number', 'text'],
    ],
    relations: [{ ext: 'property_ext', col: 'pms_property_id', table: 'pms_properties', name: 'properties', required: false }],
    data: ['unit_number'],
    softDelete: false,
    version: 'side',
  },
  leases: {
    kind: 'leases',
    table: 'pms_leases',
    input: [
      ['debtor_ext', 'text'],
      ['property_ext', 'text'],
      ['unit_ext', 'text'],
      ['lease_number', 'text'],
      ['status', 'text'],
      ['move_in_date', 'date'],
      ['move_out_date', 'date'],
      ['in_collections', 'boolean'],
    ],
    relations: [
      { ext: 'debtor_ext', col: 'pms_debtor_id', table: 'pms_debtors', name: 'debtors', required: true },
      { ext: 'property_ext', col: 'pms_property_id', table: 'pms_properties', name: 'properties', required: false },
      { ext: 'unit_ext', col: 'pms_unit_id', table: 'pms_units', name: 'units', required: false },
    ],
    data: ['lease_number', 'status', 'move_in_date', 'move_out_date', 'in_collections'],
    softDelete: true,
    version: 'column',
    trackSeen: true,
  },
  charges: {
    kind: 'charges',
    table: 'ar_charges',
    input: [
      ['lease_ext', 'text'],
      ['charge_type', 'text'],
      ['amount_cents', 'bigint'],
      ['open_amount_cents', 'bigint'],
      ['currency', 'text'],
      ['due_date', 'date'],
      ['post_date', 'date'],
      ['description', 'text'],
    ],
    relations: [{ ext: 'lease_ext', col: 'pms_lease_id', table: 'pms_leases', name: 'leases', required: true }],
    data: ['charge_type', 'amount_cents', 'open_amount_cents', 'currency', 'due_date', 'post_date', 'description'],
    softDelete: false,
    version: 'column',
  },
  payments: {
    kind: 'payments',
    table: 'ar_payments',
    input: [
      ['lease_ext', 'text'],
      ['amount_cents', 'bigint'],
      ['currency', 'text'],
      ['paid_at', 'timestamptz'],
      ['payment_method', 'text'],
      ['applied_to_charges', 'jsonb'],
    ],
    relations: [{ ext: 'lease_ext', col: 'pms_lease_id', table: 'pms_leases', name: 'leases', required: false }],
    data: ['amount_cents', 'currency', 'paid_at', 'payment_method', 'applied_to_charges'],
    softDelete: false,
    version: 'column',
  },
};

/** Arrays travel as text[] for jsonb (cast per element) and as their own type otherwise. */
function arrayType(t: PgType): string {
  return t === 'jsonb' ? 'text[]' : `${t}[]`;
}

export interface BuiltUpsert {
  sql: string;
  /** the order of the array parameters after $1 (connection id) and $2 (tenant id) */
  columns: string[];
  /** a last parameter follows the arrays: the run id recording the page's ids, or NULL */
  trackSeen: boolean;
}

/**
 * $1 connection id, $2 tenant id, $3.. one array per input column: external_id, the spec's input
 * columns, last_external_updated_at; then (trackSeen tables) the run id, NULL when the ids of the
 * page are not to be recorded (incremental pull).
 */
export function buildUpsert(spec: TableSpec): BuiltUpsert {
  const cols: [string, PgType][] = [['external_id', 'text'], ...spec.input, ['last_external_updated_at', 'timestamptz']];
  const unnestArgs = cols.map(([, t], i) => `$${i + 3}::${arrayType(t)}`).join(', ');
  const runParam = `$${cols.length + 3}::uuid`;
  const selectCols = cols.map(([c, t]) => (t === 'jsonb' ? `u.${c}::jsonb AS ${c}` : `u.${c}`)).join(', ');
  const relSelect = spec.relations.map((r, i) => `, p${i}.id AS ${r.col}`).join('');
  const relJoins = spec.relations
    .map((r, i) => `LEFT JOIN ${r.table} p${i} ON p${i}.pms_connection_id = $1 AND p${i}.external_id = i.${r.ext}`)
    .join('\n    ');
  const missing = spec.relations.length
    ? spec.relations.map((r) => `SELECT '${r.name}'::text AS rel, r.${r.ext} AS ext, ${r.required} AS required FROM r WHERE r.${r.ext} IS NOT NULL AND r.${r.col} IS NULL`).join('\n    UNION ALL ')
    : `SELECT NULL::text AS rel, NULL::text AS ext, false AS required WHERE false`;
  const requiredOk = spec.relations.filter((r) => r.required).map((r) => `r.${r.col} IS NOT NULL`);
  const written = [...spec.relations.map((r) => r.col), ...spec.data];
  const diff = `(${written.map((c) => `ok.${c}`).join(', ')}) IS DISTINCT FROM (${written.map((c) => `t.${c}`).join(', ')})`;
  const side = spec.version === 'side';
  // The stored version: the row's own column, or worker_row_versions for API tables without one.
  const storedVersion = side ? 'v.last_external_updated_at' : 't.last_external_updated_at';
  const versionJoin = side ? `LEFT JOIN worker_row_versions v ON v.row_id = t.id` : '';
  const deletedJoin = spec.softDelete ? `LEFT JOIN worker_soft_deletes sd ON sd.row_id = t.id` : '';
  const deleted = spec.softDelete ? 'sd.row_id IS NOT NULL' : 'false';
  const sets = [...written.map((c) => `${c} = c.${c}`), ...(side ? [] : ['last_external_updated_at = c.last_external_updated_at']), 'updated_at = now()'];
  // The id of a new row is chosen here (the API's tables have no id default) so that contacts,
  // versions and the insert itself agree on it.
  const insCols = `id, tenant_id, pms_connection_id, external_id, ${written.join(', ')}${side ? '' : ', last_external_updated_at'}, created_at, updated_at`;
  const insVals = `c.new_id, $2, $1, c.external_id, ${written.map((x) => `c.${x}`).join(', ')}${side ? '' : ', c.last_external_updated_at'}, now(), now()`;

  const seen = spec.trackSeen
    ? `, seen AS (
    INSERT INTO sync_run_seen (sync_run_id, kind, external_id)
    SELECT ${runParam}, '${spec.kind}', i.external_id FROM i WHERE ${runParam} IS NOT NULL
    ON CONFLICT DO NOTHING
)`
    : '';
  const restore = spec.softDelete
    ? `, restored AS (
    DELETE FROM worker_soft_deletes sd USING c WHERE sd.row_id = c.tid AND c.is_deleted
    RETURNING 1
)`
    : '';
  const versions = side
    ? `, ver AS (
    INSERT INTO worker_row_versions AS w (row_id, entity, last_external_updated_at)
    SELECT coalesce(c.tid, c.new_id), '${spec.kind}', c.last_external_updated_at FROM c
    WHERE c.last_external_updated_at IS NOT NULL AND (c.is_new OR (c.is_diff AND NOT c.is_stale) OR c.is_deleted)
    ON CONFLICT (row_id) DO UPDATE SET last_external_updated_at = EXCLUDED.last_external_updated_at
      WHERE w.last_external_updated_at IS DISTINCT FROM EXCLUDED.last_external_updated_at
    RETURNING 1
)`
    : '';
  // Contacts of the debtors this page writes or confirms (new, not older than the stored row, or
  // restored): inserted, updated when label/primary changed, deleted when no longer listed.
  // A contact is identified by its debtor, type and value (the API's table has no connection
  // column: contacts are reached through their debtor).
  const contacts = spec.contacts
    ? `, d AS (
    SELECT coalesce(c.tid, c.new_id) AS id, c.external_id, c.contacts FROM c
    WHERE c.is_new OR NOT c.is_stale OR c.is_deleted
), cin AS (
    SELECT d.id AS pms_debtor_id, x.t AS contact_type, x.v AS value, x.l AS label, coalesce(x.p, false) AS is_primary,
      CASE WHEN length(d.external_id) + length(x.t) + length(x.v) + 2 <= 256 THEN d.external_id || '#' || x.t || ':' || x.v
           ELSE 'md5:' || md5(d.external_id || '#' || x.t || ':' || x.v) END AS external_id
    FROM d CROSS JOIN LATERAL jsonb_to_recordset(coalesce(d.contacts, '[]'::jsonb)) AS x(t text, v text, l text, p boolean)
), cc AS (
    SELECT cin.*, ct.id AS tid, ct.label AS old_label, ct.is_primary AS old_primary
    FROM cin LEFT JOIN pms_debtor_contacts ct ON ct.pms_debtor_id = cin.pms_debtor_id AND ct.contact_type = cin.contact_type AND ct.value = cin.value
), cins AS (
    INSERT INTO pms_debtor_contacts (id, external_id, pms_debtor_id, contact_type, value, label, is_primary, created_at, updated_at)
    SELECT gen_random_uuid(), cc.external_id, cc.pms_debtor_id, cc.contact_type, cc.value, cc.label, cc.is_primary, now(), now() FROM cc WHERE cc.tid IS NULL
    RETURNING 1
), cupd AS (
    UPDATE pms_debtor_contacts ct SET label = cc.label, is_primary = cc.is_primary, updated_at = now()
    FROM cc WHERE ct.id = cc.tid AND (cc.old_label, cc.old_primary) IS DISTINCT FROM (cc.label, cc.is_primary)
    RETURNING 1
), cdel AS (
    DELETE FROM pms_debtor_contacts ct USING d
    WHERE ct.pms_debtor_id = d.id
      AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(coalesce(d.contacts, '[]'::jsonb)) AS x(t text, v text) WHERE x.t = ct.contact_type AND x.v = ct.value)
    RETURNING 1
)`
    : '';
  const contactCounts = spec.contacts
    ? `,
       json_build_object('created', (SELECT count(*) FROM cins), 'updated', (SELECT count(*) FROM cupd), 'deleted', (SELECT count(*) FROM cdel)) AS contacts`
    : '';

  const sql = `
WITH i AS (
    SELECT ${selectCols} FROM unnest(${unnestArgs}) AS u(${cols.map(([c]) => c).join(', ')})
), r AS (
    SELECT i.*${relSelect} FROM i
    ${relJoins}
), miss AS (
    ${missing}
), ok AS (
    SELECT r.* FROM r ${requiredOk.length ? `WHERE ${requiredOk.join(' AND ')}` : ''}
), c AS (
    SELECT ok.*, t.id AS tid, (t.id IS NULL) AS is_new, CASE WHEN t.id IS NULL THEN gen_random_uuid() END AS new_id,
      (t.id IS NOT NULL AND ${storedVersion} IS NOT NULL AND ok.last_external_updated_at IS NOT NULL
        AND ok.last_external_updated_at <= ${storedVersion}) AS is_stale,
      (t.id IS NOT NULL AND ${diff}) AS is_diff,
      (t.id IS NOT NULL AND ${deleted}) AS is_deleted
    FROM ok LEFT JOIN ${spec.table} t ON t.pms_connection_id = $1 AND t.external_id = ok.external_id
    ${versionJoin}
    ${deletedJoin}
), ins AS (
    INSERT INTO ${spec.table} (${insCols})
    SELECT ${insVals} FROM c WHERE c.is_new
    RETURNING 1
), upd AS (
    UPDATE ${spec.table} t SET ${sets.join(', ')}
    FROM c WHERE t.id = c.tid AND ((c.is_diff AND NOT c.is_stale) OR c.is_deleted)
    RETURNING 1
)${restore}${versions}${seen}${contacts}
SELECT (SELECT count(*) FROM ins)::int AS created,
       (SELECT count(*) FROM upd)::int AS updated,
       (SELECT count(*) FROM c WHERE c.is_stale AND c.is_diff AND NOT c.is_deleted)::int AS stale,
       (SELECT count(*) FROM c)::int AS accepted,
       (SELECT coalesce(json_object_agg(rel, n), '{}'::json) FROM (SELECT rel, count(*)::int AS n FROM miss GROUP BY rel) x) AS missing_counts,
       (SELECT coalesce(json_agg(json_build_object('rel', rel, 'ext', ext, 'required', required)), '[]'::json) FROM (SELECT * FROM miss LIMIT 50) m) AS missing_sample${contactCounts}`;
  return { sql, columns: cols.map(([c]) => c), trackSeen: !!spec.trackSeen };
}

export const UPSERTS: Partial<Record<StreamKind, BuiltUpsert>> = Object.fromEntries(
  Object.entries(TABLES).map(([k, spec]) => [k, buildUpsert(spec!)]),
);

/** PMS-reported lease balances: $1 connection, $2 tenant, $3.. arrays. Upsert only when changed. */
export const UPSERT_REPORTED_BALANCES = `
WITH i AS (
    SELECT u.lease_external_id, u.balance_cents, u.past_due_total_cents, u.past_due_rent_cents, u.unpaid_rent_cents, u.buckets::jsonb AS buckets, u.as_of_date
    FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[], $9::date[])
      AS u(lease_external_id, balance_cents, past_due_total_cents, past_due_rent_cents, unpaid_rent_cents, buckets, as_of_date)
), up AS (
    INSERT INTO pms_reported_balances AS t (tenant_id, pms_connection_id, lease_external_id, balance_cents, past_due_total_cents, past_due_rent_cents, unpaid_rent_cents, buckets, as_of_date)
    SELECT $2, $1, i.* FROM i
    ON CONFLICT (pms_connection_id, lease_external_id) DO UPDATE SET
      balance_cents = EXCLUDED.balance_cents, past_due_total_cents = EXCLUDED.past_due_total_cents,
      past_due_rent_cents = EXCLUDED.past_due_rent_cents, unpaid_rent_cents = EXCLUDED.unpaid_rent_cents,
      buckets = EXCLUDED.buckets, as_of_date = EXCLUDED.as_of_date, updated_at = now()
    WHERE (t.balance_cents, t.past_due_total_cents, t.past_due_rent_cents, t.unpaid_rent_cents, t.buckets, t.as_of_date)
      IS DISTINCT FROM (EXCLUDED.balance_cents, EXCLUDED.past_due_total_cents, EXCLUDED.past_due_rent_cents, EXCLUDED.unpaid_rent_cents, EXCLUDED.buckets, EXCLUDED.as_of_date)
    RETURNING (xmax = 0) AS inserted
)
SELECT (SELECT count(*) FROM up WHERE inserted)::int AS created,
       (SELECT count(*) FROM up WHERE NOT inserted)::int AS updated,
       (SELECT count(*) FROM i)::int AS accepted,
       '{}'::json AS missing_counts, '[]'::json AS missing_sample, 0 AS stale`;
export const REPORTED_BALANCE_COLUMNS = ['external_id', 'balance_cents', 'past_due_total_cents', 'past_due_rent_cents', 'unpaid_rent_cents', 'buckets', 'as_of_date'];

/** Ids a full pull returned (soft-delete bookkeeping): $1 run, $2 kind, $3 ids. */
export const MARK_SEEN = `INSERT INTO sync_run_seen (sync_run_id, kind, external_id) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING`;

/** After a complete full pull: soft-delete what it did not return. $1 connection, $2 run. */
const softDelete = (table: string, kind: string) => `
INSERT INTO worker_soft_deletes (row_id, entity, pms_connection_id, deleted_at)
SELECT t.id, '${kind}', $1, now() FROM ${table} t
WHERE t.pms_connection_id = $1
  AND NOT EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = t.id)
  AND NOT EXISTS (SELECT 1 FROM sync_run_seen s WHERE s.sync_run_id = $2 AND s.kind = '${kind}' AND s.external_id = t.external_id)
ON CONFLICT (row_id) DO NOTHING`;
export const SOFT_DELETE_DEBTORS = softDelete('pms_debtors', 'debtors');
export const SOFT_DELETE_LEASES = softDelete('pms_leases', 'leases');
export const DROP_UNREPORTED_BALANCES = `
DELETE FROM pms_reported_balances t
WHERE t.pms_connection_id = $1
  AND NOT EXISTS (SELECT 1 FROM sync_run_seen s WHERE s.sync_run_id = $2 AND s.kind = 'balances' AND s.external_id = t.lease_external_id)`;
export const CLEAR_SEEN = `DELETE FROM sync_run_seen WHERE sync_run_id = $1`;
