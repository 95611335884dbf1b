import { Pool } from 'pg';
import { Queue } from 'bullmq';

/** Tables a sync writes, and the scope column that ties a row to one connection or tenant. */
export const SYNC_TABLES: { table: string; scope: 'connection' | 'tenant' | 'debtor' }[] = [
  { table: 'pms_portfolios', scope: 'connection' },
  { table: 'pms_properties', scope: 'connection' },
  { table: 'pms_units', scope: 'connection' },
  { table: 'pms_debtors', scope: 'connection' },
  // (a contact is tied to its connection through its debtor: the API's table has no scope column)
  { table: 'pms_debtor_contacts', scope: 'debtor' },
  { table: 'pms_leases', scope: 'connection' },
  { table: 'ar_charges', scope: 'connection' },
  { table: 'ar_payments', scope: 'connection' },
  { table: 'ar_balances', scope: 'tenant' },
  { table: 'ar_aging_snapshots', scope: 'connection' },
  { table: 'ar_lease_aging_snapshots', scope: 'tenant' },
  { table: 'ar_portfolio_aging_snapshots', scope: 'tenant' },
  { table: 'external_mappings', scope: 'connection' },
  { table: 'debtors', scope: 'tenant' },
  { table: 'debt_cases', scope: 'tenant' },
  // the workers' own state a sync writes beside the API's rows
  { table: 'worker_soft_deletes', scope: 'connection' },
  { table: 'worker_debtor_flags', scope: 'tenant' },
];

/** Timestamps that carry data (from the PMS); every other timestamptz is "when we wrote it". */
const DATA_TIMESTAMPS = new Set(['last_external_updated_at', 'paid_at', 'applied_at']);

export interface TableSum {
  rows: number;
  md5: string;
}

/**
 * Row count and content checksum per table for one tenant/connection: md5 of the sorted rows, each
 * row the text of its columns, ids and write timestamps reduced to "is null" (they differ between
 * two equal runs), the connection and tenant ids replaced by placeholders (they appear inside
 * external keys).
 */
export async function syncChecksums(pool: Pool, tenantId: string, connectionId: string): Promise<Record<string, TableSum>> {
  const out: Record<string, TableSum> = {};
  for (const { table, scope } of SYNC_TABLES) {
    const cols = (
      await pool.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`, [table])
    ).rows as { column_name: string; data_type: string }[];
    if (cols.length === 0) continue;
    const has = (c: string) => cols.some((x) => x.column_name === c);
    const exprs = cols.map(({ column_name: c, data_type: t }) => {
      const q = `"${c}"`;
      if (t === 'uuid' || (t.startsWith('timestamp') && !DATA_TIMESTAMPS.has(c)) || c === 'heartbeat_at') return `(${q} IS NULL)::text`;
      return `coalesce(${q}::text, '∅')`;
    });
    const where =
      scope === 'debtor'
        ? `pms_debtor_id IN (SELECT id FROM pms_debtors WHERE pms_connection_id = $1::uuid)`
        : scope === 'connection' && has('pms_connection_id')
          ? `pms_connection_id = $1::uuid`
          : `tenant_id = $2::uuid`;
    // ids inside text/jsonb (external keys, metadata.pms_debtor_id) differ between two equal runs too
    const rowText = `regexp_replace(replace(replace(${exprs.join(` || '|' || `)}, $1::text, 'CONN'), $2::text, 'TENANT'), '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', 'UUID', 'g')`;
    const r = await pool.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t, E'\\n' ORDER BY t), '')) AS md5 FROM (SELECT ${rowText} AS t FROM ${table} WHERE ${where}) x`,
      [connectionId, tenantId],
    );
    out[table] = { rows: r.rows[0].n, md5: r.rows[0].md5 };
  }
  return out;
}

export function compareChecksums(a: Record<string, TableSum>, b: Record<string, TableSum>): string[] {
  const diffs: string[] = [];
  for (const t of Object.keys(a)) {
    if (!b[t]) diffs.push(`${t}: missing`);
    else if (a[t].rows !== b[t].rows || a[t].md5 !== b[t].md5) diffs.push(`${t}: rows ${a[t].rows} vs ${b[t].rows}, md5 ${a[t].md5.slice(0, 8)} vs ${b[t].md5.slice(0, 8)}`);
  }
  return diffs;
}

export function totalRows(s: Record<string, TableSum>): number {
  return Object.values(s).reduce((n, x) => n + x.rows, 0);
}

/** A sync job exactly as the API enqueues it (attempts 2, exponential backoff 5 s). */
export function enqueueSync(queue: Queue, tenantId: string, connectionId: string, jobId: string) {
  return queue.add('sync', { connectionId, tenantId, trigger: 'manual' }, { jobId, attempts: 2, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: false, removeOnFail: false });
}

/** Sync runs left pending/running, and connections left 'syncing'. */
export async function stuckState(pool: Pool): Promise<{ stuckRuns: number; syncingConnections: number }> {
  const r = await pool.query(
    `SELECT (SELECT count(*)::int FROM sync_runs WHERE status IN ('pending','running')) AS runs, (SELECT count(*)::int FROM pms_connections WHERE status = 'syncing') AS conns`,
  );
  return { stuckRuns: r.rows[0].runs, syncingConnections: r.rows[0].conns };
}

/** Progress of the running sync of a connection: rows written so far in the biggest tables. */
export async function rowsSoFar(pool: Pool, connectionId: string): Promise<number> {
  const r = await pool.query(
    `SELECT (SELECT count(*) FROM ar_charges WHERE pms_connection_id = $1) + (SELECT count(*) FROM pms_leases WHERE pms_connection_id = $1) + (SELECT count(*) FROM ar_payments WHERE pms_connection_id = $1) AS n`,
    [connectionId],
  );
  return Number(r.rows[0].n);
}
