/**
 * pm2 process file: the worker and the scheduler (as the old worker was deployed on EC2).
 *   npm ci && npm run build && npm run migrate
 *   pm2 start ecosystem.config.js            # both apps, reading .env from this folder
 *   pm2 reload ecosystem.config.js           # rolling restart after a deploy
 *   pm2 logs mordecai-worker
 *
 * Environment: the apps read process.env; pm2 does not load .env by itself, so it is loaded here
 * (KEY=VALUE lines, # comments). Variables already set in the shell win.
 *
 * Shutdown: pm2 sends SIGINT, waits kill_timeout, then SIGKILL. The worker drains running jobs for
 * up to WORKER_SHUTDOWN_TIMEOUT_MS (default 90 s), so kill_timeout must be longer than that; it is
 * derived from the same variable (+30 s). A second SIGINT would force the exit, and pm2 sends only one.
 */
const fs = require('fs');
const path = require('path');

function loadDotEnv(file) {
  const out = {};
  if (!fs.existsSync(file)) return out;
  for (const raw of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]] = value;
  }
  return out;
}

const env = { ...loadDotEnv(path.join(__dirname, '.env')), ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' };
const drainMs = Number(env.WORKER_SHUTDOWN_TIMEOUT_MS || 90000);

module.exports = {
  apps: [
    {
      name: 'mordecai-worker',
      cwd: __dirname,
      script: 'dist/main-worker.js',
      // One process per machine is the norm: WORKER_CONCURRENCY sets parallelism inside it.
      // More instances are safe (BullMQ distributes jobs), each costs its own idle Redis traffic.
      instances: 1,
      exec_mode: 'fork',
      env,
      kill_timeout: drainMs + 30000,
      // Logs are JSON lines on stdout; let pm2 keep them as they are.
      time: false,
      merge_logs: true,
      autorestart: true,
      // A bad configuration exits 78 at once: do not hammer it.
      exp_backoff_restart_delay: 1000,
      max_memory_restart: '1G',
    },
    {
      name: 'mordecai-scheduler',
      cwd: __dirname,
      script: 'dist/main-scheduler.js',
      // Safe with several instances (claims use SKIP LOCKED), but one is enough.
      instances: 1,
      exec_mode: 'fork',
      env,
      kill_timeout: 30000,
      time: false,
      merge_logs: true,
      autorestart: true,
      exp_backoff_restart_delay: 1000,
      max_memory_restart: '512M',
    },
  ],
};
