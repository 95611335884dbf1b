import { RISK_TIERS } from '../../pms-sync/risk-tier';
import { duration, money, table } from '../format';
import { DEMO_STAGES, DemoAutomationFacts } from './demo-automation';
import type { AgingRow, CallsByStatusRow, CasesByPolicyRow, LeaseBucketRow, RiskTierRow } from './demo.repository';

export interface DemoFacts {
  options: { seed: number; leases: number; live: boolean };
  /** the instant the demo ran at, and whether --at shifted the clocks to it (absent in older facts) */
  instant?: string;
  instantShifted?: boolean;
  /** the automation's tick and what each channel did (absent in older facts) */
  automation?: DemoAutomationFacts;
  dbName: string;
  kept: boolean;
  rows: Record<string, number>;
  syncMs: number;
  aging: AgingRow | null;
  leaseBuckets: LeaseBucketRow[];
  cases: CasesByPolicyRow[];
  /** leases per pms_leases.risk_tier (absent in facts gathered before tiers were reported) */
  riskTiers?: RiskTierRow[];
  calls: CallsByStatusRow[];
  planned: number | null;
  heldBySchedule: Record<string, number>;
  heldInDb: Record<string, number>;
  /** the per-tenant limit when the pass reached it */
  heldTotalCapped?: number;
  totalMs: number;
}

const BUCKET_ORDER = ['current', '1_30', '31_60', '61_90', '91_plus'];

/** The demo's printed report (docs/demo.md shows it). Pure: facts in, text out. */
export function renderDemoReport(f: DemoFacts): string {
  const out: string[] = [];
  out.push('=== Demo report ===');
  if (f.instant) out.push(`Instant: ${f.instant}${f.instantShifted ? ' (--at)' : ' (the real clock)'}`);
  out.push(`Rows synced (sync-full-flow took ${duration(f.syncMs)}):`);
  out.push(indent(table(Object.entries(f.rows).map(([t, n]) => ({ table: t, rows: n })))));

  if (f.aging) {
    const a = f.aging;
    out.push(`Aging as of ${a.as_of_date} (total ${money(a.total_cents, a.currency)}):`);
    const counts = Object.fromEntries(f.leaseBuckets.map((b) => [b.bucket_label, b.n]));
    out.push(
      indent(
        table([
          { bucket: '0-30 days', amount: money(a.bucket_0_30_cents, a.currency), leases_by_oldest_charge: counts['1_30'] ?? 0 },
          { bucket: '31-60 days', amount: money(a.bucket_31_60_cents, a.currency), leases_by_oldest_charge: counts['31_60'] ?? 0 },
          { bucket: '61-90 days', amount: money(a.bucket_61_90_cents, a.currency), leases_by_oldest_charge: counts['61_90'] ?? 0 },
          { bucket: '90+ days', amount: money(a.bucket_90_plus_cents, a.currency), leases_by_oldest_charge: counts['91_plus'] ?? 0 },
        ]),
      ),
    );
  } else if (f.leaseBuckets.length) {
    out.push('Aging (leases per bucket):');
    const sorted = [...f.leaseBuckets].sort((x, y) => BUCKET_ORDER.indexOf(x.bucket_label) - BUCKET_ORDER.indexOf(y.bucket_label));
    out.push(indent(table(sorted.map((b) => ({ bucket: b.bucket_label, leases: b.n, past_due: money(b.cents) })))));
  } else out.push('Aging: no aging snapshot written');

  if (f.riskTiers?.length) {
    // The API's words, in its order; anything else (none expected) is listed after them.
    const n = new Map(f.riskTiers.map((t) => [t.risk_tier ?? '(none)', t.n]));
    const words = [...RISK_TIERS, ...[...n.keys()].filter((k) => !(RISK_TIERS as readonly string[]).includes(k))];
    out.push(`Leases by risk tier: ${words.map((w) => `${w} ${n.get(w) ?? 0}`).join(', ')}`);
  }

  const totalCases = f.cases.reduce((a, c) => a + c.n, 0);
  out.push(`Cases: ${totalCases} (by flow policy and status):`);
  out.push(indent(table(f.cases.map((c) => ({ policy: c.policy, status: c.status, cases: c.n, amount_due: money(c.cents) })))));

  const simulated = f.calls.reduce((a, c) => a + c.n, 0);
  const held = Object.keys(f.heldBySchedule).length ? f.heldBySchedule : f.heldInDb;
  const heldTotal = Object.values(held).reduce((a, b) => a + b, 0);
  out.push(`Calls: ${f.planned ?? '?'} planned by the scheduler, ${simulated} ${f.options.live ? 'placed' : 'simulated (dry run)'}, ${heldTotal} case(s) held back`);
  if (f.calls.length) out.push(indent(table(f.calls.map((c) => ({ status: c.status, outcome: c.outcome, calls: c.n })))));
  if (heldTotal) {
    out.push('Held back by rule:');
    out.push(indent(table(Object.entries(held).sort((a, b) => b[1] - a[1]).map(([rule, n]) => ({ rule, cases: n })))));
    if (held.OUTSIDE_CALLING_WINDOW) out.push('  (calls are placed 08:00-21:00 in every time zone that may be the debtor\'s; run the demo inside that window to see calls simulated)');
  }
  if (f.planned !== null && f.heldTotalCapped) out.push(`  (the scheduler looks at SCHEDULER_PER_TENANT_LIMIT=${f.heldTotalCapped} due cases per tenant and pass; the rest wait for later passes)`);
  if (f.automation) out.push(...renderAutomation(f.automation, f.options.live));
  out.push(`Finished in ${duration(f.totalMs)}.`);
  return out.join('\n');
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

const channelWords = (c: Record<string, boolean>) =>
  Object.entries(c)
    .filter(([, on]) => on)
    .map(([k]) => (k === 'call' ? 'call' : k.toUpperCase().replace('EMAIL', 'email')))
    .join('+');

function counts(m: Record<string, number>): string {
  const e = Object.entries(m).sort((a, b) => b[1] - a[1]);
  return e.length ? e.map(([k, n]) => `${k} ${n}`).join(', ') : '-';
}

function renderAutomation(a: DemoAutomationFacts, live: boolean): string[] {
  const out: string[] = [];
  out.push(`Automation: ${DEMO_STAGES.map((s) => `${s.name} ${channelWords(s.channels)}`).join('; ')}; approval needed over 60 days`);
  out.push(`  ${a.enrolled} case(s) enrolled, ${a.pendingApproval} awaiting approval`);
  const jobs = Object.entries(a.tick.jobs).map(([k, n]) => `${n} ${k}`).join(', ') || 'no job';
  out.push(`  tick at ${a.tick.at}: ${a.tick.claimed} due, ${a.tick.dispatched} dispatched (${jobs}); not dispatched: ${counts(a.tick.skipped)}`);
  out.push('  What each channel did (texts and emails simulated: rendered, checked and recorded, not sent):');
  out.push(
    indent(
      indent(
        table(
          a.channels.map((c) => ({
            channel: c.channel,
            jobs: c.jobs,
            [live ? 'done' : 'simulated']: c.done,
            held_by_rule: counts(c.held),
            failed: counts(c.failed),
          })),
        ),
      ),
    ),
  );
  if (a.exampleSms) out.push(`  Example text:\n${indent(indent(a.exampleSms))}`);
  if (a.exampleEmailSubject) out.push(`  Example email subject: ${a.exampleEmailSubject}`);
  if (a.exampleEmailOptOut) out.push(`  Email opt-out line: ${a.exampleEmailOptOut}`);
  return out;
}
