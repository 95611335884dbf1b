import { bootstrap } from './bootstrap';
import { SchedulerAppModule } from './scheduler-app.module';
import { SchedulerRunner } from './scheduler/scheduler.runner';

/**
 * The scheduler process.
 *   node dist/main-scheduler.js             cron mode (SCHEDULER_CRON; stale-call check every 5 min)
 *   node dist/main-scheduler.js --once      one pass; prints its JSON result on stdout; exit 0
 *   node dist/main-scheduler.js --dry-run   one pass with no writes and no enqueue: who would be
 *                                           called and why every other due case is held (JSON)
 */
const USAGE = 'usage: main-scheduler [--once] [--dry-run]';
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--once' && a !== '--dry-run');
if (unknown.length > 0) {
  process.stderr.write(`unknown argument(s): ${unknown.join(' ')}\n${USAGE}\n`);
  process.exit(2);
}
const dryRun = args.includes('--dry-run');
const once = dryRun || args.includes('--once');

void bootstrap('scheduler', (env) => SchedulerAppModule.forRoot(env, once ? 'once' : 'cron')).then(async (ctx) => {
  if (!ctx || !once) return;
  try {
    const result = await ctx.get(SchedulerRunner).runOnce({ dryRun });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    await ctx.close();
    process.exit(0);
  } catch (err) {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', app: 'scheduler', msg: `scheduler pass failed: ${(err as Error).message}` })}\n`);
    await ctx.close().catch(() => undefined);
    process.exit(1);
  }
});
