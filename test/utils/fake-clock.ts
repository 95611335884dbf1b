import * as fs from 'fs';
import * as path from 'path';
import { DateTime } from 'luxon';

/**
 * The instant the built apps believe it is, set explicitly by tests and scripts (never the hour the
 * suite happens to run at). The apps are started with test/utils/fake-clock-preload.cjs, which
 * shifts their Date by MW_CLOCK_OFFSET_MS.
 */
export const CLOCK_OFFSET_ENV = 'MW_CLOCK_OFFSET_MS';

/** The zone whose daytime the call tests use, and a number prefix whose area code (212) is in it. */
export const DAYTIME_ZONE = { zone: 'America/New_York', prefix: '+1212234' };

function repoRoot(): string {
  // The helper runs from its source (ts-jest, tsx) and from the chaos build (dist/chaos/...).
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'test/utils/fake-clock-preload.cjs')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`fake-clock-preload.cjs not found above ${__dirname}`);
  }
}

export const PRELOAD_PATH = path.join(repoRoot(), 'test/utils/fake-clock-preload.cjs');

/**
 * The first instant at or after `from` when it is `hour`:00 in `zone` (11:00 in New York by default:
 * inside the 08:00-21:00 calling window with hours of margin on both sides, whatever the date).
 */
export function nextLocalHour(from: number, zone = DAYTIME_ZONE.zone, hour = 11): number {
  let t = DateTime.fromMillis(from, { zone }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  if (t.toMillis() < from) t = t.plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  return t.toMillis();
}

/**
 * Environment for a child process whose clock reads `offsetMs` ahead of the real one. Keeps any
 * NODE_OPTIONS the caller already passes.
 */
export function clockEnv(offsetMs: number, nodeOptions = process.env.NODE_OPTIONS ?? ''): Record<string, string> {
  if (!Number.isFinite(offsetMs)) throw new Error(`clock offset must be a finite number of ms, got ${offsetMs}`);
  return {
    NODE_OPTIONS: `${nodeOptions} --require ${PRELOAD_PATH}`.trim(),
    [CLOCK_OFFSET_ENV]: String(Math.round(offsetMs)),
  };
}

interface Preload {
  realNow(): number;
  install(offsetMs: number): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const preload = (): Preload => require(PRELOAD_PATH) as Preload;

/** The real wall clock, also when this process's own clock is shifted. */
export function realNow(): number {
  return preload().realNow();
}

/** Shifts this process's own clock (scripts that enqueue jobs share the apps' clock). */
export function shiftOwnClock(offsetMs: number): void {
  preload().install(offsetMs);
}

/** Offset that makes the child's clock read the next 11:00 in New York (from this process's clock). */
export function usDaytimeOffset(from = Date.now()): number {
  return nextLocalHour(from) - realNow();
}
