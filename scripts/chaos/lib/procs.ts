import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { log, onCleanup, ROOT, sleep } from './harness';

export interface LogLine {
  level?: number | string;
  msg?: string;
  [k: string]: unknown;
}

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
 * A real built process (dist/main-worker.js, dist/main-scheduler.js, dist/cli.js): every raw log line
 * is kept (for the secrets scan) and appended to a file; JSON lines are parsed as they arrive.
 */
export class AppProcess {
  readonly raw: string[] = [];
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly child: ChildProcess;
  private pending = '';
  private waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];

  constructor(
    readonly label: string,
    script: string,
    env: Record<string, string>,
    args: string[] = [],
    logDir?: string,
  ) {
    this.child = spawn(process.execPath, [path.join(appDist(), script.replace(/^dist\//, '')), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const file = logDir ? fs.createWriteStream(path.join(logDir, `${label}-${this.child.pid}.log`)) : undefined;
    const onChunk = (b: Buffer) => {
      file?.write(b);
      this.pending += b.toString('utf8');
      const idx = this.pending.lastIndexOf('\n');
      if (idx < 0) return;
      const text = this.pending.slice(0, idx);
      this.pending = this.pending.slice(idx + 1);
      for (const t of text.split('\n')) if (t.trim()) this.push(t);
    };
    this.child.stdout!.on('data', onChunk);
    this.child.stderr!.on('data', onChunk);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        if (this.pending.trim()) this.push(this.pending);
        this.pending = '';
        file?.end();
        resolve({ code, signal });
      }),
    );
    all.push(this);
    log(`${label} started pid ${this.child.pid}`);
  }

  private push(t: string) {
    this.raw.push(t);
    let line: LogLine;
    try {
      line = JSON.parse(t) as LogLine;
    } catch {
      line = { msg: t };
    }
    this.lines.push(line);
    if (this.waiters.length) {
      this.waiters = this.waiters.filter((w) => {
        if (w.pred(line)) {
          w.resolve(line);
          return false;
        }
        return true;
      });
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  waitFor(pred: (l: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine> {
    const found = this.lines.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for ${what}; last: ${this.raw.slice(-3).join(' | ').slice(0, 600)}`)), timeoutMs);
      this.child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`${this.label} exited (${code ?? sig}) while waiting for ${what}; last: ${this.raw.slice(-3).join(' | ').slice(0, 600)}`));
      });
      this.waiters.push({
        pred,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  waitForMsg(fragment: string, timeoutMs = 30000): Promise<LogLine> {
    return this.waitFor((l) => String(l.msg ?? '').includes(fragment), timeoutMs, JSON.stringify(fragment));
  }

  /** Worker ready: the lifecycle logs "worker ready, serving queues". */
  ready(timeoutMs = 30000): Promise<LogLine> {
    return this.waitForMsg('worker ready', timeoutMs);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.alive) this.child.kill(signal);
  }

  async sigkill(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await Promise.race([this.exited, sleep(5000)]);
  }

  async stop(timeoutMs = 20000): Promise<void> {
    if (!this.alive) return;
    this.kill('SIGTERM');
    const t = setTimeout(() => this.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(t);
  }

  /** Rejects when the process exits (races with a wait so a crash fails the scenario at once). */
  death(): Promise<never> {
    return this.exited.then(({ code, signal }) => {
      const tail = this.raw.filter((l) => !l.startsWith('{')).slice(0, 6).join(' | ') || this.raw.slice(-2).join(' | ');
      throw new Error(`${this.label} (pid ${this.child.pid}) died (${code ?? signal}): ${tail.slice(0, 400)}`);
    });
  }

  /** Resident set size in kB, from /proc (Linux). */
  rssKb(): number | undefined {
    try {
      const s = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(s);
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }
}

onCleanup('child processes', async () => {
  await Promise.all(all.map((p) => p.stop(5000)));
}, true);

export function startWorker(env: Record<string, string>, label = 'worker', logDir?: string): AppProcess {
  return new AppProcess(label, 'dist/main-worker.js', env, [], logDir);
}

export function startScheduler(env: Record<string, string>, args: string[] = [], label = 'scheduler', logDir?: string): AppProcess {
  return new AppProcess(label, 'dist/main-scheduler.js', env, args, logDir);
}

export function allProcesses(): AppProcess[] {
  return all;
}
