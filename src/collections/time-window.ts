import { DateTime } from 'luxon';
import { memoized } from '../common/memoized';

/**
 * A strategy's allowed time window ("HH:MM-HH:MM", the API's format) read at the DEBTOR's location:
 * the API compares it with the UTC clock, which lets a 09:00-20:00 window text a Californian at 01:00.
 * Both ends are inclusive (as the API reads them); a window whose start is after its end spans midnight.
 */
export interface TimeWindow {
  startMinutes: number;
  endMinutes: number;
}

/** The API's parse: null (no window: any time) for an empty or malformed value. */
export function parseTimeWindow(value: string | null | undefined): TimeWindow | null {
  if (!value || typeof value !== 'string') return null;
  const parts = value.split('-').map((s) => s.trim());
  if (parts.length !== 2) return null;
  const [start, end] = parts.map((p) => {
    const [h, m] = p.split(':').map(Number);
    return (h || 0) * 60 + (m || 0);
  });
  return { startMinutes: start, endMinutes: end };
}

const MINUTE = 60_000;

// A tick reads every state at the same instant: one zone conversion per zone, not per state.
const localMinutesMemo = memoized((key: string): number => {
  const bar = key.indexOf('|');
  const t = DateTime.fromMillis(Number(key.slice(0, bar)), { zone: key.slice(bar + 1) });
  return t.hour * 60 + t.minute;
}, 20000);

export function localMinutesOf(ms: number, zone: string): number {
  return localMinutesMemo(`${ms}|${zone}`);
}

export function minutesInWindow(m: number, w: TimeWindow): boolean {
  if (w.startMinutes <= w.endMinutes) return m >= w.startMinutes && m <= w.endMinutes;
  return m >= w.startMinutes || m <= w.endMinutes;
}

/** Inside the window in every zone (the debtor may be in any of them). */
export function inWindowEverywhere(ms: number, zones: readonly string[], w: TimeWindow): boolean {
  return zones.every((z) => minutesInWindow(localMinutesOf(ms, z), w));
}

/** The next local window start in `zone` strictly after `ms`, DST-aware (luxon keeps the wall clock). */
function nextStart(ms: number, zone: string, w: TimeWindow): number {
  const t = DateTime.fromMillis(ms, { zone });
  let start = t.set({ hour: Math.floor(w.startMinutes / 60), minute: w.startMinutes % 60, second: 0, millisecond: 0 });
  if (start.toMillis() <= ms) start = start.plus({ days: 1 });
  return start.toMillis();
}

/**
 * The earliest instant >= from inside the window in every zone, minute precision; null when the zones
 * never share a minute of it in the next 8 days. Jumps to the latest next window start among the zones
 * that are closed: a closed zone stays closed until its own next start, so nothing lawful is skipped.
 */
export function nextMomentInWindow(from: Date, zones: readonly string[], w: TimeWindow): Date | null {
  if (zones.length === 0) return null;
  const limit = from.getTime() + 8 * 24 * 60 * MINUTE;
  let t = from.getTime();
  while (t <= limit) {
    let next = t;
    for (const z of zones) if (!minutesInWindow(localMinutesOf(t, z), w)) next = Math.max(next, nextStart(t, z, w));
    if (next === t) return new Date(t);
    t = next;
  }
  return null;
}
