import { EntityManager } from 'typeorm';
import { StreamKind } from '../connectors/canonical';
import { MARK_SEEN, REPORTED_BALANCE_COLUMNS, UPSERT_REPORTED_BALANCES, UPSERTS } from './canonical-writer.sql';
import { Row } from './record-validation';

export interface PageCounts {
  created: number;
  updated: number;
  stale: number;
  accepted: number;
  missingCounts: Record<string, number>;
  missingSample: { rel: string; ext: string; required: boolean }[];
  /** debtors: pms_debtor_contacts rows written */
  contacts?: { created: number; updated: number; deleted: number };
}

/** Streams whose ids are remembered during a full pull (soft-delete of what was not returned). */
export const TRACKED_FOR_DELETE: StreamKind[] = ['debtors', 'leases', 'balances'];

/**
 * One Postgres array literal per column ('{"a",NULL,"b"}'), built here rather than by the driver's
 * generic array encoding (the hot path of a page: a few thousand rows x a dozen columns). Values
 * are validated rows: strings, safe integers, booleans or null.
 */
export function columnArrays(rows: Row[], columns: string[]): string[] {
  const out: string[] = new Array(columns.length);
  const parts: string[] = new Array(rows.length);
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c];
    for (let r = 0; r < rows.length; r++) parts[r] = arrayElement(rows[r][col]);
    out[c] = `{${parts.join(',')}}`;
  }
  return out;
}

export function arrayElement(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') {
    return v.indexOf('"') === -1 && v.indexOf('\\') === -1 ? `"${v}"` : `"${v.replace(/["\\]/g, '\\$&')}"`;
  }
  if (typeof v === 'number') return String(v);
  return v ? 't' : 'f';
}

/** The one row a page's statement answers (canonical-writer.sql.ts). */
interface PageRow {
  created: number;
  updated: number;
  stale?: number;
  accepted: number;
  missing_counts?: Record<string, number> | null;
  missing_sample?: PageCounts['missingSample'] | null;
  contacts?: PageCounts['contacts'] | null;
}

/**
 * Writes one validated page into its canonical table with one set-based statement (plus one for the
 * seen-ids of a full pull). Runs inside the caller's transaction: the page commits atomically with
 * its checkpoint.
 */
export async function writePage(
  db: EntityManager,
  p: {
    connectionId: string;
    tenantId: string;
    runId: string | null;
    kind: StreamKind;
    rows: Row[];
    trackSeen: boolean;
    /** called once the page's statement is on its way to Postgres (the caller may work meanwhile) */
    onSent?: () => void;
  },
): Promise<PageCounts> {
  if (p.rows.length === 0) return { created: 0, updated: 0, stale: 0, accepted: 0, missingCounts: {}, missingSample: [] };
  const seenRun = p.trackSeen && p.runId && TRACKED_FOR_DELETE.includes(p.kind) ? p.runId : null;
  let pending: Promise<PageRow[]>;
  let markSeen = false;
  if (p.kind === 'balances') {
    pending = db.query<PageRow[]>(UPSERT_REPORTED_BALANCES, [p.connectionId, p.tenantId, ...columnArrays(p.rows, REPORTED_BALANCE_COLUMNS)]);
    markSeen = seenRun !== null;
  } else {
    const built = UPSERTS[p.kind];
    if (!built) throw new Error(`no writer for stream ${p.kind}`);
    const params: unknown[] = [p.connectionId, p.tenantId, ...columnArrays(p.rows, built.columns)];
    // the statement records the page's ids itself (sync_run_seen) when the table tracks them
    if (built.trackSeen) params.push(seenRun);
    pending = db.query<PageRow[]>(built.sql, params);
  }
  // The driver gets the statement a few promise turns after query() returns: onSent waits for it.
  if (p.onSent) setImmediate(p.onSent);
  const [row] = await pending;
  if (markSeen) await db.query(MARK_SEEN, [seenRun, p.kind, p.rows.map((r) => r.external_id)]);
  return {
    created: row.created,
    updated: row.updated,
    stale: row.stale ?? 0,
    accepted: row.accepted,
    missingCounts: row.missing_counts ?? {},
    missingSample: row.missing_sample ?? [],
    contacts: row.contacts ?? undefined,
  };
}
