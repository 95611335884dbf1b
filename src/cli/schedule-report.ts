import type { SchedulerRunResult } from '../scheduler/scheduler.runner';
import { table } from './format';

type Report = Partial<SchedulerRunResult>;

/** Human rendering of one scheduler pass (`schedule`, `main-scheduler --once [--dry-run]`). */
export function renderScheduleReport(r: Report, dryRun: boolean): string {
  const c = r.calls;
  if (!c || typeof c !== 'object') return JSON.stringify(r, null, 2);
  const verb = dryRun ? 'would be enqueued' : 'enqueued';
  const lines = [`scheduler ${dryRun ? 'dry run (nothing enqueued, nothing changed)' : 'pass'} at ${r.at ?? '?'} (${r.durationMs ?? '?'} ms)`];
  lines.push(`calls: ${c.selected} due case(s) selected, ${c.called} call(s) ${verb}, ${c.held} held back${c.notSelectedByLimits ? `, ${c.notSelectedByLimits} left for a later pass by the limits` : ''}`);
  const held = heldByReason(r);
  if (Object.keys(held).length) {
    lines.push('held back by rule:');
    lines.push(table(Object.entries(held).sort((a, b) => b[1] - a[1]).map(([rule, cases]) => ({ rule, cases }))));
  }
  if (c.calls?.length) {
    lines.push(`calls ${verb}:`);
    lines.push(table(c.calls.slice(0, 50).map((x) => ({ case: x.caseId, tenant: x.tenantId, job: x.jobId, local_time: x.timezones.map((z) => `${z.zone} ${z.localTime.slice(11, 16)}`).join(', ') }))));
    if (c.calls.length > 50) lines.push(`... ${c.calls.length - 50} more`);
  }
  if (c.holds?.length) {
    lines.push('holds:');
    lines.push(table(c.holds.slice(0, 50).map((h) => ({ case: h.caseId, rule: h.reason, next_allowed: h.nextAllowedAt, detail: h.detail }))));
    if (c.holds.length > 50) lines.push(`... ${c.holds.length - 50} more`);
  }
  if (r.collections) {
    const m = r.collections;
    lines.push(`maintenance: ${m.hourly} hourly and ${m.daily} daily job(s) ${verb}; ${m.fullSyncs.length} connection(s) due for a full sync (SYNC_INTERVAL_HOURS), run by their hourly job`);
  }
  if (r.reconcile) lines.push(`stale calls: ${r.reconcile.stale ? 'found' : 'none'}${r.reconcile.submitted ? ' (RECONCILE_CALLS enqueued)' : ''}`);
  return lines.join('\n');
}

/** {rule: cases} held back in the pass. */
export function heldByReason(r: Report): Record<string, number> {
  const h = r.calls?.heldByReason;
  if (!h) return {};
  return Object.fromEntries(Object.entries(h).filter(([, n]) => typeof n === 'number' && n > 0)) as Record<string, number>;
}

export function plannedCalls(r: Report): number | null {
  return typeof r.calls?.called === 'number' ? r.calls.called : null;
}
