import { SyncRunRow } from './cli.repository';
import { duration, table } from './format';

/**
 * Renders a sync run's stats (sync_runs.stats) for humans: rows per table, missing relations,
 * duration. Tolerant of the exact stats layout: per-table counts may be numbers or objects of
 * numbers ({inserted, updated, ...}).
 */
export function tableCounts(stats: Record<string, unknown> | null | undefined): Record<string, Record<string, number>> {
  if (!stats) return {};
  const source = ['tables', 'counts', 'rows', 'upserts', 'written'].map((k) => stats[k]).find((v) => v && typeof v === 'object' && !Array.isArray(v)) as Record<string, unknown> | undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const [t, v] of Object.entries(source ?? {})) {
    if (typeof v === 'number') out[t] = { rows: v };
    else if (v && typeof v === 'object') {
      const nums = Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, n]) => typeof n === 'number')) as Record<string, number>;
      if (Object.keys(nums).length) out[t] = nums;
    }
  }
  return out;
}

export function missingRelations(stats: Record<string, unknown> | null | undefined): Record<string, number> {
  const m = stats?.missingRelations;
  if (!m || typeof m !== 'object') return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
    if (Array.isArray(v)) out[k] = v.length;
    else if (typeof v === 'number') out[k] = v;
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      out[k] = typeof o.count === 'number' ? o.count : Array.isArray(o.ids) ? o.ids.length : 0;
    }
  }
  return out;
}

export function runDurationMs(run: Pick<SyncRunRow, 'started_at' | 'finished_at' | 'stats'>): number | null {
  const s = run.stats?.durationMs;
  if (typeof s === 'number') return s;
  if (run.started_at && run.finished_at) return new Date(run.finished_at).getTime() - new Date(run.started_at).getTime();
  return null;
}

const COUNT_ORDER = ['rows', 'received', 'created', 'updated', 'unchanged', 'stale', 'skipped', 'missingRelations'];

export function renderSyncSummary(run: SyncRunRow): string {
  const lines = [`sync run ${run.id}: ${run.status}${run.step ? ` (step ${run.step})` : ''}, ${run.trigger}, duration ${duration(runDurationMs(run))}`];
  if (run.error_message) lines.push(`error: ${run.error_message}`);
  const counts = tableCounts(run.stats);
  const rows = Object.entries(counts).map(([t, c]) => ({ table: t, ...c }));
  if (rows.length) {
    const seen = new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k !== 'table')));
    const cols = ['table', ...COUNT_ORDER.filter((k) => seen.has(k)), ...[...seen].filter((k) => !COUNT_ORDER.includes(k))];
    lines.push('rows per table:', table(rows, cols));
  }
  const missing = missingRelations(run.stats);
  const missingText = Object.entries(missing)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  lines.push(`missing relations: ${missingText || 'none'}`);
  return lines.join('\n');
}
