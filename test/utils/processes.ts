import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The built apps live in dist/; MW_DIST_DIR points the tests at another build of the same tree
 * (e.g. `npx tsc -p tsconfig.build.json --outDir .fdist` while someone else rebuilds dist/).
 */
export function distPath(script: string): string {
  const dir = process.env.MW_DIST_DIR;
  return path.join(ROOT, dir && script.startsWith('dist/') ? path.join(dir, script.slice('dist/'.length)) : script);
}

export interface LogLine {
  level?: string;
  msg?: string;
  [k: string]: unknown;
}

/**
 * A real child process of a built app (dist/main-worker.js, dist/main-scheduler.js, dist/cli.js),
 * its JSON log lines parsed as they arrive.
 */
export class AppProcess {
  readonly lines: LogLine[] = [];
  readonly raw: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  readonly child: ChildProcess;

  constructor(script: string, env: Record<string, string>, args: string[] = []) {
    this.child = spawn(process.execPath, [distPath(script), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (buf: Buffer) => {
      for (const text of buf.toString('utf8').split('\n')) {
        if (!text.trim()) continue;
        this.raw.push(text);
        let line: LogLine;
        try {
          line = JSON.parse(text) as LogLine;
        } catch {
          line = { msg: text };
        }
        this.lines.push(line);
        this.waiters = this.waiters.filter((w) => {
          if (w.pred(line)) {
            w.resolve(line);
            return false;
          }
          return true;
        });
      }
    };
    let pending = '';
    const splitter = (buf: Buffer) => {
      pending += buf.toString('utf8');
      const idx = pending.lastIndexOf('\n');
      if (idx >= 0) {
        onData(Buffer.from(pending.slice(0, idx + 1)));
        pending = pending.slice(idx + 1);
      }
    };
    this.child.stdout!.on('data', splitter);
    this.child.stderr!.on('data', splitter);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  waitFor(pred: (l: LogLine) => boolean, timeoutMs = 60000, what = 'log line'): Promise<LogLine> {
    const found = this.lines.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last lines:\n${this.raw.slice(-15).join('\n')}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  waitForMsg(fragment: string | RegExp, timeoutMs = 60000): Promise<LogLine> {
    return this.waitFor((l) => (typeof fragment === 'string' ? String(l.msg ?? '').includes(fragment) : fragment.test(String(l.msg ?? ''))), timeoutMs, String(fragment));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  async stop(timeoutMs = 30000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.kill('SIGTERM');
    const t = setTimeout(() => this.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(t);
  }
}

export function startWorker(env: Record<string, string>): AppProcess {
  return new AppProcess('dist/main-worker.js', env);
}

export function startScheduler(env: Record<string, string>, args: string[] = []): AppProcess {
  return new AppProcess('dist/main-scheduler.js', env, args);
}

export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 60000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distPath('dist/cli.js'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli ${args.join(' ')} timed out; stdout=${stdout} stderr=${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
