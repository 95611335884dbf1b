import { spawn } from 'child_process';
import * as path from 'path';
import { GlobalOptions, loadEnv } from '../context';
import { CommandFailed } from '../exit-codes';
import { checkPostgres, checkRedis } from '../preflight';
import { renderScheduleReport } from '../schedule-report';

/** Runs `dist/main-scheduler.js --once [--dry-run]` with this environment and returns its JSON result. */
export async function runSchedulerOnce(env: Record<string, string | undefined>, dryRun: boolean, timeoutMs = 120000): Promise<Record<string, unknown>> {
  const script = path.resolve(__dirname, '../../main-scheduler.js');
  const args = [script, '--once', ...(dryRun ? ['--dry-run'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => reject(new CommandFailed(`could not start the scheduler: ${err.message}`)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      const report = parseReport(stdout);
      if (code === 0 && report) return resolve(report);
      const tail = (stderr || stdout).trim().split('\n').slice(-5).join('\n');
      reject(new CommandFailed(`the scheduler exited with code ${code}${report ? '' : ' without a JSON report'}${tail ? `:\n${tail}` : ''}`, code === 78 ? 78 : 1));
    });
  });
}

/** The report is the last stdout line that is a JSON object and not a log record. */
export function parseReport(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const l of lines) {
    try {
      const v = JSON.parse(l) as Record<string, unknown>;
      if (v && typeof v === 'object' && !('level' in v && 'msg' in v)) return v;
    } catch {
      /* not JSON */
    }
  }
  // a multi-line (pretty-printed) JSON document
  const start = stdout.indexOf('\n{');
  if (start >= 0 || stdout.startsWith('{')) {
    try {
      return JSON.parse(stdout.slice(start >= 0 ? start + 1 : 0)) as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
  }
  return undefined;
}

export async function schedule(o: { dryRun?: boolean; json?: boolean }, g: GlobalOptions): Promise<void> {
  const env = loadEnv(g);
  await checkPostgres(env);
  await checkRedis(env);
  const report = await runSchedulerOnce(process.env, !!o.dryRun);
  console.log(o.json ? JSON.stringify(report) : renderScheduleReport(report, !!o.dryRun));
}
