/**
 * The demo's `--at`: shifts what "now" reads in a process (Date.now(), new Date(), Date()) by
 * MORDECAI_DEMO_CLOCK_OFFSET_MS, so a newcomer sees calls, texts and emails whatever hour it is where
 * they run it. Loaded with `node --require` into the worker and scheduler the demo starts, and
 * installed in the demo's own process. Only the reading of the clock moves, never how fast time
 * passes (timers are untouched); Postgres and Redis keep their own clocks. Self-contained (no imports):
 * it runs before anything else in the process. The demo refuses `--at` with live calls, so no real
 * call, text or email is ever placed on a shifted clock.
 */
const ENV = 'MORDECAI_DEMO_CLOCK_OFFSET_MS';
const RealDate = Date;
let offset = 0;

export function installDemoClock(offsetMs: number): void {
  if (!Number.isFinite(offsetMs)) throw new Error(`${ENV} must be a number of milliseconds, got ${offsetMs}`);
  offset = offsetMs;
  if (globalThis.Date !== RealDate) return;
  const now = () => RealDate.now() + offset;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget) as object;
    },
    apply() {
      return new RealDate(now()).toString();
    },
    get(target, prop, receiver) {
      if (prop === 'now') return now;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

export const DEMO_CLOCK_ENV = ENV;

if (process.env[ENV]) installDemoClock(Number(process.env[ENV]));
