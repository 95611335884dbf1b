import { startOfLocalDayPlus, localIso } from '../../src/calls/rules/timezones';

/**
 * startOfLocalDayPlus does its own wall-clock arithmetic over cached offsets (the scheduler calls it
 * for every zone of every case with a recent conversation). Fixed cases here; the sweep against luxon
 * over a whole year is local-day-sweep.spec.ts.
 */
describe('startOfLocalDayPlus', () => {
  it('starts the day at 01:00 where midnight is skipped, at the first midnight where it repeats, and on local midnight elsewhere', () => {
    // Cuba moves its clocks at 00:00 to 01:00 on 8 March 2026: that local day has no 00:00.
    const havana = startOfLocalDayPlus(new Date('2026-03-08T12:00:00Z'), 'America/Havana', 0);
    expect(localIso(havana, 'America/Havana')).toBe('2026-03-08T01:00:00-04:00');
    // a week later the day has its midnight again: day 8 starts at 00:00, not at the 01:00 of day 1
    expect(localIso(startOfLocalDayPlus(new Date('2026-03-08T12:00:00Z'), 'America/Havana', 7), 'America/Havana')).toBe('2026-03-15T00:00:00-04:00');
    // Cuba moves them back from 01:00 to 00:00 on 1 November 2026: the day starts at the first 00:00 (-04)
    const fold = startOfLocalDayPlus(new Date('2026-11-01T18:00:00Z'), 'America/Havana', 0);
    expect(fold.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfLocalDayPlus(new Date('2026-10-25T18:00:00Z'), 'America/Havana', 7).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    const ny = startOfLocalDayPlus(new Date('2026-11-01T12:00:00Z'), 'America/New_York', 7);
    expect(localIso(ny, 'America/New_York')).toBe('2026-11-08T00:00:00-05:00');
    expect(ny.toISOString()).toBe('2026-11-08T05:00:00.000Z');
  });

  it('takes the local date, not the UTC one, east and west of UTC and at half-hour offsets', () => {
    // 01:30 on 11 June in Kolkata (+05:30) is still 10 June in UTC
    expect(startOfLocalDayPlus(new Date('2026-06-10T20:00:00Z'), 'Asia/Kolkata', 0).toISOString()).toBe('2026-06-10T18:30:00.000Z');
    expect(startOfLocalDayPlus(new Date('2026-06-10T20:00:00Z'), 'Asia/Kolkata', 1).toISOString()).toBe('2026-06-11T18:30:00.000Z');
    // 02:00 on 11 June at +14:00
    expect(startOfLocalDayPlus(new Date('2026-06-10T12:00:00Z'), 'Pacific/Kiritimati', 0).toISOString()).toBe('2026-06-10T10:00:00.000Z');
    // 23:00 on 9 June in Honolulu (-10:00) is already 10 June in UTC
    expect(startOfLocalDayPlus(new Date('2026-06-10T09:00:00Z'), 'Pacific/Honolulu', 0).toISOString()).toBe('2026-06-09T10:00:00.000Z');
    // exactly at local midnight the day is that day
    expect(startOfLocalDayPlus(new Date('2026-06-09T10:00:00Z'), 'Pacific/Honolulu', 0).toISOString()).toBe('2026-06-09T10:00:00.000Z');
  });

  it('takes the offset after a change made in the evening before the day: the day starts on its own midnight', () => {
    // Nuuk sets its clocks forward at 23:00 on 28 March 2026 (-02:00 to -01:00): 29 March starts at 00:00 -01:00
    expect(startOfLocalDayPlus(new Date('2026-03-29T12:00:00Z'), 'America/Nuuk', 0).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // Easter Island sets them back at 22:00 on 4 April 2026 (-05:00 to -06:00): 5 April starts at 00:00 -06:00
    expect(startOfLocalDayPlus(new Date('2026-04-05T12:00:00Z'), 'Pacific/Easter', 0).toISOString()).toBe('2026-04-05T06:00:00.000Z');
    expect(startOfLocalDayPlus(new Date('2026-04-04T12:00:00Z'), 'Pacific/Easter', 1).toISOString()).toBe('2026-04-05T06:00:00.000Z');
  });
});
