'use strict';
/**
 * Shifts this process's wall clock (Date.now(), new Date(), Date()) by MW_CLOCK_OFFSET_MS, for
 * tests and scripts only: loaded with `node --require` (NODE_OPTIONS) into the built apps they
 * start, so the call rules see a chosen instant instead of whatever hour the suite runs at.
 * Timers, performance.now() and the clocks of Postgres and Redis are not touched: only "what time
 * is it" changes, never how fast time passes.
 */
const RealDate = Date;
let offset = 0;

/** Sets this process's clock to read `offsetMs` ahead of the real one (0: the real clock). */
function install(offsetMs) {
  const next = Number(offsetMs);
  if (!Number.isFinite(next)) throw new Error(`MW_CLOCK_OFFSET_MS must be a number of ms, got ${offsetMs}`);
  offset = next;
  if (globalThis.Date !== RealDate) return;
  const now = () => RealDate.now() + offset;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget);
    },
    apply() {
      return new RealDate(now()).toString();
    },
    get(target, prop, receiver) {
      if (prop === 'now') return now;
      return Reflect.get(target, prop, receiver);
    },
  });
}

module.exports = { install, realNow: () => RealDate.now() };

if (process.env.MW_CLOCK_OFFSET_MS) install(process.env.MW_CLOCK_OFFSET_MS);
