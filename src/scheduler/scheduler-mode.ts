/**
 * How the scheduler process runs, set by main-scheduler.ts from its arguments before the app boots:
 * 'cron' registers the cron jobs; 'once' (--once / --dry-run) registers none and runs one pass.
 */
export const schedulerMode: { mode: 'cron' | 'once' } = { mode: 'cron' };
