import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Repository root (the folder holding package.json), whatever the compiled location. */
export const ROOT = (() => {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('repository root not found');
})();

type Cleanup = { what: string; fn: () => Promise<void> | void };
const cleanups: Cleanup[] = [];
let cleaning: Promise<void> | undefined;

/** Registers a cleanup step; steps run in reverse order, each bounded, on success, failure or signal. */
export function onCleanup(what: string, fn: () => Promise<void> | void, first = false): void {
  if (first) firstCleanups.push({ what, fn });
  else cleanups.push({ what, fn });
}
const firstCleanups: Cleanup[] = [];

export async function runCleanups(): Promise<void> {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    while (firstCleanups.length || cleanups.length) {
      const c = firstCleanups.length ? firstCleanups.pop()! : cleanups.pop()!;
      try {
        await Promise.race([Promise.resolve(c.fn()), sleep(15000).then(() => Promise.reject(new Error('timeout')))]);
      } catch (err) {
        process.stderr.write(`cleanup "${c.what}" failed: ${(err as Error).message}\n`);
      }
    }
  })();
  return cleaning;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until pred() is truthy; throws after timeoutMs. Bounded in time and in iterations. */
export async function waitUntil<T>(what: string, pred: () => Promise<T | false | undefined | null> | T | false | undefined | null, timeoutMs: number, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  const maxIter = Math.ceil(timeoutMs / everyMs) + 2;
  for (let i = 0; i < maxIter; i++) {
    const v = await pred();
    if (v) return v as T;
    if (Date.now() > end) break;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export class PropertyViolation extends Error {}

/** Records property checks; a scenario fails when any check fails. */
export class Checks {
  readonly failures: string[] = [];
  check(ok: boolean, what: string): boolean {
    if (!ok) this.failures.push(what);
    return ok;
  }
}

export function tmpDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mw-chaos-${name}-`));
  onCleanup(`rm ${dir}`, () => {
    if (!process.env.CHAOS_KEEP_LOGS) fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

export type Figures = Record<string, string | number | boolean>;

export function fmtFigures(f: Figures): string {
  return Object.entries(f)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : v}`)
    .join(' ');
}

/**
 * Runs one chaos scenario: prints ONE summary line `chaos:<name> PASS|FAIL <figures> <seconds>s`
 * (plus the violated properties on stderr) and exits 0 only when every property held. A hard
 * deadline kills the scenario (and its children, through the cleanups) if it hangs.
 */
export function scenario(name: string, deadlineMs: number, body: (checks: Checks, figures: Figures) => Promise<void>): void {
  // Monotonic: a scenario may shift its own wall clock (chaosClock).
  const started = performance.now();
  const checks = new Checks();
  const figures: Figures = {};
  let finished = false;
  const finish = async (error?: unknown) => {
    if (finished) return;
    finished = true;
    await runCleanups();
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    const ok = !error && checks.failures.length === 0;
    const reason = error ? ` error="${String((error as Error)?.message ?? error).split('\n')[0].slice(0, 300)}"` : '';
    process.stdout.write(`chaos:${name} ${ok ? 'PASS' : 'FAIL'} ${fmtFigures(figures)}${reason} ${secs}s\n`);
    for (const f of checks.failures) process.stderr.write(`  violated: ${f}\n`);
    if (error && (error as Error).stack && process.env.CHAOS_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(ok ? 0 : 1);
  };
  const deadline = setTimeout(() => void finish(new Error(`deadline of ${deadlineMs / 1000}s exceeded`)), deadlineMs);
  deadline.unref();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void finish(new Error(`interrupted by ${sig}`)));
  process.on('uncaughtException', (err) => void finish(err));
  process.on('unhandledRejection', (err) => void finish(err));
  body(checks, figures).then(
    () => finish(),
    (err) => finish(err),
  );
}

export function log(msg: string): void {
  if (process.env.CHAOS_VERBOSE) process.stderr.write(`[${new Date().toISOString().slice(11, 23)}] ${msg}\n`);
}
