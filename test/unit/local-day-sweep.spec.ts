import { DateTime } from 'luxon';
import { startOfLocalDayPlus } from '../../src/calls/rules/timezones';

/**
 * startOfLocalDayPlus does its own wall-clock arithmetic over cached offsets (the scheduler calls it
 * for every zone of every case with a recent conversation). It must agree with luxon's calendar
 * arithmetic to the millisecond, in particular on the days a zone skips or repeats an hour, and in
 * zones whose DST change happens at midnight (the local day then starts at 01:00).
 *
 * The sweep below takes seconds, so it lives apart from the fixed cases (local-day.spec.ts), which
 * mutation testing runs for every mutant of the time-zone code.
 */
const ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage',
  'Pacific/Honolulu', 'America/Puerto_Rico', 'Pacific/Guam', 'Pacific/Pago_Pago', 'America/St_Johns', 'America/Havana',
  'America/Santiago', 'America/Asuncion', 'Asia/Beirut', 'Europe/London', 'Europe/Berlin', 'Australia/Lord_Howe',
  'Pacific/Chatham', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'Pacific/Apia', 'UTC',
];

// The reference: luxon finds the local date `days` after t's and a start of that day; where midnight
// happens twice luxon may pick either reading, so step back a quarter hour (transitions fall on
// quarter hours) while the wall clock still shows the same date: the first instant of the day.
const luxon = (t: Date, zone: string, days: number) => {
  const day = DateTime.fromJSDate(t, { zone }).plus({ days });
  let start = day.startOf('day');
  while (start.minus({ minutes: 15 }).toISODate() === day.toISODate()) start = start.minus({ minutes: 15 });
  return start.toJSDate();
};

describe('startOfLocalDayPlus against luxon', () => {
  it('agrees with luxon across 2026 in 24 zones, densely in the 8 days before and the day after each DST change', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const end = Date.parse('2027-01-01T00:00:00Z');
    const HOUR = 3_600_000;
    let compared = 0;
    let transitions = 0;
    const mismatches: string[] = [];
    for (const zone of ZONES) {
      // every 12 h 07 min over the year, and every 45 min from 8 days before to 1 day after each change
      // (the instants whose day, or whose day + 7, is the day of the change)
      const instants = new Set<number>();
      for (let ms = start; ms < end; ms += 727 * 60_000) instants.add(ms);
      for (let ms = start; ms < end; ms += HOUR) {
        if (DateTime.fromMillis(ms, { zone }).offset === DateTime.fromMillis(ms + HOUR, { zone }).offset) continue;
        transitions++;
        for (let x = ms - 8 * 24 * HOUR; x < ms + 24 * HOUR; x += 45 * 60_000) instants.add(x);
      }
      for (const ms of instants) {
        const t = new Date(ms);
        for (const days of [0, 7]) {
          const mine = startOfLocalDayPlus(t, zone, days).getTime();
          const theirs = luxon(t, zone, days).getTime();
          compared++;
          if (mine !== theirs && mismatches.length < 5) mismatches.push(`${zone} ${t.toISOString()} +${days}: ${new Date(mine).toISOString()} vs ${new Date(theirs).toISOString()}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // about a dozen of these zones change their clocks in 2026; if the tz data ever lost those changes
    // the dense part of this test would silently test nothing
    expect(transitions).toBeGreaterThanOrEqual(20);
    expect(compared).toBeGreaterThan(40_000);
  });
});
