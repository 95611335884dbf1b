/**
 * How the scheduler app runs, chosen by whoever boots it: 'cron' registers the cron jobs; 'once'
 * (--once / --dry-run, the CLI) registers none and the caller runs one pass.
 */
export type SchedulerMode = 'cron' | 'once';
export const SCHEDULER_MODE = Symbol('SCHEDULER_MODE');
