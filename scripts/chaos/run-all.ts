import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * `npm run chaos`: every scenario in turn, each in its own process (its own Redis, database and
 * queue prefix, cleaned up on exit). Prints each scenario's summary line, then a total line; exits
 * non-zero when any property was violated. CHAOS_ONLY=a,b runs a subset.
 */
const SCENARIOS: { name: string; file: string; env?: Record<string, string> }[] = [
  { name: 'flood', file: 'flood.js' },
  { name: 'redis-restart', file: 'faults.js', env: { CHAOS_FAULT: 'redis' } },
  { name: 'pg-terminate', file: 'faults.js', env: { CHAOS_FAULT: 'pg' } },
  { name: 'sync-kill', file: 'sync-kill.js' },
  { name: 'calls-kill', file: 'calls-kill.js' },
  { name: 'multi-process', file: 'multi-process.js' },
  { name: 'secrets', file: 'secrets.js' },
  { name: 'cluster', file: 'cluster.js' },
];

/**
 * A private copy of dist/ (the app and these scripts) for the whole run: a rebuild of dist/ by
 * someone else during the ~40 minutes cannot remove the files under a restarted worker.
 */
const DIST = path.resolve(__dirname, '../../..');
const SNAP = path.join(DIST, '..', 'node_modules', '.cache', `chaos-run-${process.pid}`);

async function runOne(s: (typeof SCENARIOS)[number]): Promise<{ code: number; line: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(SNAP, 'chaos', 'scripts', 'chaos', s.file)], {
      env: { ...process.env, ...s.env, CHAOS_APP_DIST: process.env.CHAOS_APP_DIST ?? SNAP },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      process.stdout.write(b);
    });
    child.on('exit', (code, signal) => {
      const line = out.trim().split('\n').filter((l) => l.startsWith('chaos:')).pop() ?? `chaos:${s.name} FAIL exited ${code ?? signal} without a summary`;
      if (!out.includes('chaos:')) process.stdout.write(`${line}\n`);
      resolve({ code: code ?? 1, line });
    });
  });
}

async function main() {
  const only = process.env.CHAOS_ONLY?.split(',').map((x) => x.trim());
  fs.cpSync(DIST, SNAP, { recursive: true });
  const dropSnapshot = () => fs.rmSync(SNAP, { recursive: true, force: true });
  process.on('exit', dropSnapshot);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
  const started = Date.now();
  const results: { name: string; code: number }[] = [];
  for (const s of SCENARIOS) {
    if (only && !only.includes(s.name)) continue;
    const r = await runOne(s);
    results.push({ name: s.name, code: r.code });
  }
  const failed = results.filter((r) => r.code !== 0).map((r) => r.name);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`chaos ${failed.length ? 'FAIL' : 'PASS'} scenarios=${results.length} failed=${failed.length}${failed.length ? ` (${failed.join(',')})` : ''} ${secs}s\n`);
  process.exit(failed.length ? 1 : 0);
}

void main();
