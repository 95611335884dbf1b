import { table } from './format';

/** Human rendering of the scheduler's once-report. Unknown fields are shown as they are. */
export function renderScheduleReport(r: Record<string, unknown>, dryRun: boolean): string {
  const lines = [`scheduler ${dryRun ? 'dry run (nothing enqueued)' : 'run'}:`];
  const held = heldByReason(r);
  for (const [k, v] of Object.entries(r)) {
    if (v === null || typeof v !== 'object') lines.push(`  ${k}: ${String(v)}`);
  }
  if (Object.keys(held).length) {
    lines.push('held back by rule:');
    lines.push(table(Object.entries(held).map(([reason, count]) => ({ reason, count }))));
  }
  for (const [k, v] of Object.entries(r)) {
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') {
      lines.push(`${k} (${v.length}):`);
      lines.push(table(v.slice(0, 50) as Record<string, unknown>[]));
      if (v.length > 50) lines.push(`  ... ${v.length - 50} more`);
    }
  }
  return lines.join('\n');
}

/** {reason: count} from the report: heldByReason / held / holds as a map, or as a list of {reason}. */
export function heldByReason(r: Record<string, unknown>): Record<string, number> {
  for (const k of ['heldByReason', 'heldByRule', 'held', 'holds', 'skippedByReason']) {
    const v = r[k];
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, n]) => typeof n === 'number')) as Record<string, number>;
    }
    if (Array.isArray(v)) {
      const out: Record<string, number> = {};
      for (const h of v as Record<string, unknown>[]) {
        const reason = String(h?.reason ?? h?.rule ?? 'UNKNOWN');
        out[reason] = (out[reason] ?? 0) + 1;
      }
      return out;
    }
  }
  return {};
}
