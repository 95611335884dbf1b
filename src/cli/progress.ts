import { Job, Queue } from 'bullmq';
import { SingleBar, Presets } from 'cli-progress';

/** Job progress as the sync engine reports it: a number (0-100) or an object with a percentage and a step. */
export function readProgress(p: unknown): { pct: number | null; label: string; phase: string } {
  if (typeof p === 'number') return { pct: clamp(p), label: '', phase: '' };
  if (p && typeof p === 'object') {
    const o = p as Record<string, unknown>;
    const raw = o.percent ?? o.pct ?? o.progress ?? o.percentage;
    let pct = typeof raw === 'number' ? clamp(raw) : null;
    if (pct === null && typeof o.done === 'number' && typeof o.total === 'number' && o.total > 0) pct = clamp((100 * o.done) / o.total);
    if (pct === null) pct = phasePercent(o);
    const parts = [o.step ?? o.phase ?? o.stage, o.stream, o.message ?? o.detail].filter((x) => typeof x === 'string' && x) as string[];
    if (typeof o.page === 'number') parts.push(`page ${o.page}`);
    if (typeof o.received === 'number') parts.push(`${o.received} received`);
    const phase = [o.step ?? o.phase ?? o.stage, o.stream].filter((x) => typeof x === 'string').join(' ');
    return { pct, label: parts.join(' '), phase };
  }
  return { pct: null, label: '', phase: '' };
}

/** The sync engine reports where it is (step pull + stream, then aging, then cases), not a percentage: place it in that order. */
const PHASES = ['debtors', 'portfolios', 'properties', 'units', 'leases', 'charges', 'payments', 'balances', 'aging', 'cases'];
function phasePercent(o: Record<string, unknown>): number | null {
  const key = typeof o.stream === 'string' ? o.stream : typeof o.step === 'string' ? o.step : null;
  const i = key ? PHASES.indexOf(key) : -1;
  return i < 0 ? null : clamp((100 * i) / PHASES.length);
}

function clamp(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}

/**
 * Polls a job until it completes or fails, showing its progress: a bar on a TTY, plain lines
 * (one per change of step or 10%) otherwise. Returns the final job and its state.
 */
export async function followJob(queue: Queue, jobId: string, opts: { timeoutMs: number; title: string; out?: NodeJS.WriteStream }): Promise<{ job: Job | undefined; state: string }> {
  const out = opts.out ?? process.stdout;
  const tty = !!out.isTTY;
  const bar = tty ? new SingleBar({ format: `${opts.title} [{bar}] {percentage}% | {label}`, hideCursor: true, stream: out }, Presets.shades_classic) : null;
  bar?.start(100, 0, { label: 'waiting' });
  let lastLine = '';
  const deadline = Date.now() + opts.timeoutMs;
  let state = 'unknown';
  let current: Job | undefined;
  try {
    for (;;) {
      // State first, then the job: read the other way round, a job that completes in between is
      // reported completed with the return value it did not have yet (null).
      state = await queue.getJobState(jobId);
      current = (await queue.getJob(jobId)) ?? current;
      if (!current) break;
      // a completed job is done whatever its last progress report said (the engine's last one is "cases", 90%)
      const { pct, label, phase } = state === 'completed' ? { pct: 100, label: 'done', phase: 'done' } : readProgress(current.progress);
      const shownLabel = label || state;
      if (bar) bar.update(pct ?? 0, { label: shownLabel });
      else {
        // one line per change of state or phase (not per page), so logs stay short
        const key = `${state}|${phase}|${pct === null ? '' : Math.floor(pct / 10)}`;
        if (key !== lastLine) {
          const bucket = pct === null ? '' : `${Math.floor(pct / 10) * 10}%`;
          out.write(`${opts.title}: ${state}${bucket ? ` ${bucket}` : ''}${label ? ` ${label}` : ''}\n`);
          lastLine = key;
        }
      }
      if (state === 'completed' || state === 'failed' || state === 'unknown') break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (bar && state === 'completed') bar.update(100, { label: 'done' });
  } finally {
    bar?.stop();
  }
  return { job: current, state };
}
