import * as fs from 'fs';
import * as path from 'path';
import { AppProcess } from '../../../src/common/app-process';
import { log, onCleanup, ROOT, sleep } from './harness';

const all: AppProcess[] = [];

let snapshot: string | undefined;

/**
 * The built app the scenario starts: CHAOS_APP_DIST when set (run-all sets it), else a private copy
 * of dist/ taken at the first start, so a rebuild of dist/ during a long scenario (someone else's
 * `npm run build`) cannot pull the files from under a restarted worker. Removed on exit.
 */
export function appDist(): string {
  if (process.env.CHAOS_APP_DIST) return path.resolve(process.env.CHAOS_APP_DIST);
  if (!snapshot) {
    const src = path.join(ROOT, 'dist');
    if (!fs.existsSync(path.join(src, 'main-worker.js'))) throw new Error('dist/main-worker.js is missing: run `npm run build` first');
    const dir = path.join(ROOT, 'node_modules', '.cache', `chaos-app-${process.pid}`);
    fs.cpSync(src, dir, { recursive: true, filter: (p) => p !== path.join(src, 'chaos') });
    onCleanup('app snapshot', () => fs.rmSync(dir, { recursive: true, force: true }));
    snapshot = dir;
  }
  return snapshot;
}

/**
 * Starts a built app (dist/main-worker.js, dist/main-scheduler.js, dist/cli.js) of the snapshot,
 * kept for the cleanup and the secrets scan; with logDir, its output is also kept in a file there.
 */
export function startApp(label: string, script: string, env: Record<string, string>, args: string[] = [], logDir?: string): AppProcess {
  const p = new AppProcess(path.join(appDist(), script.replace(/^dist\//, '')), { label, env: { NODE_ENV: 'test', ...env }, args, cwd: ROOT, logDir });
  all.push(p);
  log(`${label} started pid ${p.child.pid}`);
  return p;
}

/** Rejects when the process exits (races with a wait so a crash fails the scenario at once). */
export function death(p: AppProcess): Promise<never> {
  return p.exited.then(({ code, signal }) => {
    const tail = p.raw.filter((l) => !l.startsWith('{')).slice(0, 6).join(' | ') || p.raw.slice(-2).join(' | ');
    throw new Error(`${p.label} (pid ${p.child.pid}) died (${code ?? signal}): ${tail.slice(0, 400)}`);
  });
}

/** SIGKILL, then a bounded wait for the exit. */
export async function sigkill(p: AppProcess): Promise<void> {
  if (!p.alive) return;
  p.kill('SIGKILL');
  await Promise.race([p.exited, sleep(5000)]);
}

/** Resident set size in kB, from /proc (Linux). */
export function rssKb(p: AppProcess): number | undefined {
  try {
    const s = fs.readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(s);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

onCleanup('child processes', async () => {
  await Promise.all(all.map((p) => p.stop(5000)));
}, true);

export function startWorker(env: Record<string, string>, label = 'worker', logDir?: string): AppProcess {
  return startApp(label, 'dist/main-worker.js', env, [], logDir);
}

export function startScheduler(env: Record<string, string>, args: string[] = [], label = 'scheduler', logDir?: string): AppProcess {
  return startApp(label, 'dist/main-scheduler.js', env, args, logDir);
}

export function allProcesses(): AppProcess[] {
  return all;
}
