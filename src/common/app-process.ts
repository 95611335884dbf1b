import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** One line a child app wrote: its JSON log record, or `{ msg: text }` for a line that is not JSON. */
export interface LogLine {
  level?: number | string;
  msg?: string;
  [k: string]: unknown;
}

export interface AppProcessOptions {
  /** Names the process in errors and in its log file's name. */
  label: string;
  /** The child's environment; PATH is added when missing, nothing else of ours leaks in. */
  env: NodeJS.ProcessEnv;
  args?: string[];
  cwd?: string;
  /** When set, everything the process writes is also kept in `<logDir>/<label>-<pid>.log`. */
  logDir?: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A built app (main-worker.js, main-scheduler.js, cli.js) run as a child process, as the demo,
 * the e2e tests and the chaos scenarios run it: its stdout and stderr are read line by line, kept
 * raw (e.g. for a scan of secrets) and parsed as JSON log lines, which can be waited for.
 */
export class AppProcess {
  readonly label: string;
  readonly child: ChildProcess;
  readonly raw: string[] = [];
  readonly lines: LogLine[] = [];
  readonly logFile?: string;
  /** Settles on 'close', not 'exit': only then has every line the process wrote been read. */
  readonly exited: Promise<Exit>;
  private pending = '';
  private waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];

  constructor(script: string, o: AppProcessOptions) {
    this.label = o.label;
    this.child = spawn(process.execPath, [script, ...(o.args ?? [])], {
      cwd: o.cwd,
      env: { PATH: process.env.PATH ?? '', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (o.logDir) this.logFile = path.join(o.logDir, `${o.label}-${this.child.pid}.log`);
    const file = this.logFile ? fs.createWriteStream(this.logFile) : undefined;
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
      this.child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.pending.trim()) this.push(this.pending);
        this.pending = '';
        file?.end();
        resolve({ code, signal });
      }),
    );
  }

  private push(text: string): void {
    this.raw.push(text);
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text };
    }
    this.lines.push(line);
    for (const w of this.waiters.filter((w) => w.pred(line))) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(line);
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first line (already seen or still to come) that matches; rejects on the timeout or when the process ends first. */
  waitFor(pred: (l: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine> {
    const found = this.lines.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (l: LogLine) => {
          clearTimeout(timer);
          resolve(l);
        },
      };
      const fail = (why: string) => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        clearTimeout(timer);
        reject(new Error(`${this.label}: ${what} ${why}; last lines:\n${this.raw.slice(-10).join('\n')}`));
      };
      const timer = setTimeout(() => fail(`not seen within ${timeoutMs} ms`), timeoutMs);
      void this.exited.then(({ code, signal }) => {
        if (this.waiters.includes(waiter)) fail(`not seen before the process ended (${code ?? signal})`);
      });
      this.waiters.push(waiter);
    });
  }

  /** A line whose msg contains the fragment (or matches the pattern). */
  waitForMsg(fragment: string | RegExp, timeoutMs: number): Promise<LogLine> {
    const matches = (msg: string) => (typeof fragment === 'string' ? msg.includes(fragment) : fragment.test(msg));
    return this.waitFor((l) => matches(String(l.msg ?? '')), timeoutMs, typeof fragment === 'string' ? JSON.stringify(fragment) : String(fragment));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.alive) this.child.kill(signal);
  }

  /** SIGTERM (a graceful shutdown), then SIGKILL if the process is still there after timeoutMs. */
  async stop(timeoutMs = 30000): Promise<void> {
    if (!this.alive) return;
    this.kill('SIGTERM');
    const t = setTimeout(() => this.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(t);
  }
}
