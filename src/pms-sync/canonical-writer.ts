import { StreamKind } from '../connectors/canonical';
import { MARK_SEEN, REPORTED_BALANCE_COLUMNS, UPSERT_REPORTED_BALANCES, UPSERTS } from './canonical-writer.sql';
import { Row } from './record-validation';

/** The smallest database surface the writer needs (a pg Client or PoolClient). */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
}

export interface PageCounts {
  created: number;
  updated: number;
  stale: number;
  accepted: number;
  missingCounts: Record<string, number>;
  missingSample: { rel: string; ext: string; required: boolean }[];
}

/** Streams whose ids are remembered during a full pull (soft-delete of what was not returned). */
export const TRACKED_FOR_DELETE: StreamKind[] = ['debtors', 'leases', 'balances'];

function columnArrays(rows: Row[], columns: string[]): unknown[][] {
  const arrays: unknown[][] = columns.map(() => new Array(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < columns.length; c++) {
      const v = row[columns[c]];
      arrays[c][r] = v === undefined ? null : v;
    }
  }
  return arrays;
}

/**
 * Writes one validated page into its canonical table with one set-based statement (plus one for the
 * seen-ids of a full pull). Runs inside the caller's transaction: the page commits atomically with
 * its checkpoint.
 */
export async function writePage(
  db: SqlClient,
  p: { connectionId: string; tenantId: string; runId: string | null; kind: StreamKind; rows: Row[]; trackSeen: boolean },
): Promise<PageCounts> {
  if (p.rows.length === 0) return { created: 0, updated: 0, stale: 0, accepted: 0, missingCounts: {}, missingSample: [] };
  let sql: string;
  let columns: string[];
  if (p.kind === 'balances') {
    sql = UPSERT_REPORTED_BALANCES;
    columns = REPORTED_BALANCE_COLUMNS;
  } else {
    const built = UPSERTS[p.kind];
    if (!built) throw new Error(`no writer for stream ${p.kind}`);
    ({ sql, columns } = built);
  }
  const res = await db.query(sql, [p.connectionId, p.tenantId, ...columnArrays(p.rows, columns)]);
  if (p.trackSeen && p.runId && TRACKED_FOR_DELETE.includes(p.kind)) {
    await db.query(MARK_SEEN, [p.runId, p.kind, p.rows.map((r) => r.external_id)]);
  }
  const row = res.rows[0];
  return {
    created: row.created,
    updated: row.updated,
    stale: row.stale ?? 0,
    accepted: row.accepted,
    missingCounts: row.missing_counts ?? {},
    missingSample: row.missing_sample ?? [],
  };
}
