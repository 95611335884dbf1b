import { spawn } from 'child_process';
import * as path from 'path';

/**
 * chaos:cluster: the suite against a three-node Redis Cluster started locally (3 masters, no
 * replicas) with a hash-tagged BULLMQ_PREFIX ("{mwc-...}"); the worker and the scheduler connect
 * through REDIS_CLUSTER_NODES. Each scenario runs in its own process with CHAOS_REDIS=cluster (smaller
 * sizes than the single-node run, set below; override with the same CHAOS_* variables). Prints each
 * scenario's line on stderr and one summary line on stdout.
 */
const SUITE: { name: string; file: string; env: Record<string, string> }[] = [
  { name: 'flood', file: 'flood.js', env: { CHAOS_FLOOD_INVALID: process.env.CHAOS_CLUSTER_FLOOD_INVALID ?? '10000' } },
  { name: 'redis-restart', file: 'faults.js', env: { CHAOS_FAULT: 'redis', CHAOS_FAULT_LEASES: '1500' } },
  { name: 'sync-kill', file: 'sync-kill.js', env: { CHAOS_SYNC_LEASES: process.env.CHAOS_CLUSTER_SYNC_LEASES ?? '3000' } },
  { name: 'calls-kill', file: 'calls-kill.js', env: { CHAOS_CALLS: process.env.CHAOS_CLUSTER_CALLS ?? '300' } },
  { name: 'multi-process', file: 'multi-process.js', env: { CHAOS_MP_CASES: '150' } },
];

function runOne(s: (typeof SUITE)[number]): Promise<{ ok: boolean; line: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, s.file)], { env: { ...process.env, ...s.env, CHAOS_REDIS: 'cluster' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code, signal) => {
      const line = out.split('\n').filter((l) => l.startsWith('chaos:')).pop() ?? `chaos:cluster-${s.name} FAIL exited ${code ?? signal}`;
      process.stderr.write(`  ${line}\n`);
      resolve({ ok: code === 0, line });
    });
  });
}

async function main() {
  const started = Date.now();
  const only = process.env.CHAOS_CLUSTER_ONLY?.split(',');
  const results: { name: string; ok: boolean }[] = [];
  for (const s of SUITE) {
    if (only && !only.includes(s.name)) continue;
    const r = await runOne(s);
    results.push({ name: s.name, ok: r.ok });
  }
  const failed = results.filter((r) => !r.ok).map((r) => r.name);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `chaos:cluster ${failed.length ? 'FAIL' : 'PASS'} nodes=3 scenarios=${results.length} passed=${results.length - failed.length}${failed.length ? ` failed=${failed.join(',')}` : ''} ${secs}s\n`,
  );
  process.exit(failed.length ? 1 : 0);
}

void main();
