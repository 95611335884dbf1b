import { callMarginSeconds, contactWindowCheck, evaluateCallRules, nextContactMoment } from '../../src/calls/rules';
import { callRuleInput } from '../utils/call-rule-input';

const d = (iso: string) => new Date(iso);
const NY = 'America/New_York';
const LA = 'America/Los_Angeles';

describe('contactWindowCheck: a contact must not reach the debtor after 21:00 or before 08:00', () => {
  it.each([
    // [what, now (UTC), zones, margin s, allowed, next allowed (UTC) when held]
    ['New York 20:59:00 EST, 35 s margin: ends 20:59:35', '2026-12-01T01:59:00Z', [NY], 35, true, null],
    ['New York 20:59:25 EST, 35 s margin: ends exactly 21:00:00 (the last dial)', '2026-12-01T01:59:25Z', [NY], 35, true, null],
    ['New York 20:59:26 EST, 35 s margin: could ring at 21:00:01', '2026-12-01T01:59:26Z', [NY], 35, false, '2026-12-01T13:00:00Z'],
    ['New York 20:59:59 EST, no margin (SMS/email reading)', '2026-12-01T01:59:59Z', [NY], 0, true, null],
    ['New York 20:59:59 EST, 1 s margin: ends exactly 21:00:00', '2026-12-01T01:59:59Z', [NY], 1, true, null],
    ['New York 20:59:59 EST, 2 s margin', '2026-12-01T01:59:59Z', [NY], 2, false, '2026-12-01T13:00:00Z'],
    ['New York 20:58:00 EST, 5 min queue + ring', '2026-12-01T01:58:00Z', [NY], 300, false, '2026-12-01T13:00:00Z'],
    ['New York 07:59:50 EST, 30 s margin: starts before 08:00', '2026-11-30T12:59:50Z', [NY], 30, false, '2026-11-30T13:00:00Z'],
    ['New York 08:00:00 EST, 30 s margin', '2026-11-30T13:00:00Z', [NY], 30, true, null],
    ['spring forward day (Mar 8 2026), 20:59:30 EDT, 45 s', '2026-03-09T00:59:30Z', [NY], 45, false, '2026-03-09T12:00:00Z'],
    ['spring forward day, 20:59:00 EDT, 45 s', '2026-03-09T00:59:00Z', [NY], 45, true, null],
    ['fall back day (Nov 1 2026), 20:59:50 EST, 5 s', '2026-11-02T01:59:50Z', [NY], 5, true, null],
    ['fall back day, 20:59:50 EST, 15 s', '2026-11-02T01:59:50Z', [NY], 15, false, '2026-11-02T13:00:00Z'],
    ['LA + New York, New York 20:59:40: the New York edge decides', '2026-12-01T01:59:40Z', [LA, NY], 30, false, '2026-12-01T16:00:00Z'],
    ['LA + New York, New York 20:59:20, 30 s', '2026-12-01T01:59:20Z', [LA, NY], 30, true, null],
  ])('%s', (_what, now, zones, margin, allowed, next) => {
    const r = contactWindowCheck({ channel: 'call', zones, now: d(now), marginSeconds: margin });
    expect(r.allowed).toBe(allowed);
    expect(r.marginSeconds).toBe(margin);
    expect(r.until).toBe(new Date(d(now).getTime() + margin * 1000).toISOString());
    expect(r.nextAllowedAt?.toISOString()).toBe(allowed ? d(now).toISOString() : d(next!).toISOString());
    if (!allowed) expect(r.detail).toMatch(/leaves 08:00-21:00/);
  });

  it('reports each zone\'s local span for the evidence', () => {
    const r = contactWindowCheck({ channel: 'call', zones: [LA, NY], now: d('2026-12-01T01:59:40Z'), marginSeconds: 30 });
    expect(r.zones).toEqual([
      { zone: LA, localFrom: '2026-11-30T17:59:40-08:00', localUntil: '2026-11-30T18:00:10-08:00', inside: true },
      { zone: NY, localFrom: '2026-11-30T20:59:40-05:00', localUntil: '2026-11-30T21:00:10-05:00', inside: false },
    ]);
  });

  it('SMS and email use the same window with margin 0', () => {
    for (const channel of ['sms', 'email'] as const) {
      expect(contactWindowCheck({ channel, zones: [NY], now: d('2026-12-01T01:59:59Z'), marginSeconds: 0 })).toMatchObject({ channel, allowed: true });
      expect(contactWindowCheck({ channel, zones: [NY], now: d('2026-12-01T02:00:00Z'), marginSeconds: 0 })).toMatchObject({ channel, allowed: false, nextAllowedAt: d('2026-12-01T13:00:00Z') });
    }
  });

  it('a margin longer than any shared lawful span never allows a contact', () => {
    expect(contactWindowCheck({ channel: 'call', zones: [NY], now: d('2026-11-30T15:00:00Z'), marginSeconds: 14 * 3600 }).nextAllowedAt).toBeNull();
  });

  it.each([
    [{ marginSeconds: -1 }, /marginSeconds must be a number >= 0/],
    [{ marginSeconds: Number.NaN }, /marginSeconds must be a number >= 0/],
    [{ zones: [] }, /zones must not be empty/],
  ])('bad input %j is refused naming the field', (over, message) => {
    expect(() => contactWindowCheck({ channel: 'call', zones: [NY], now: d('2026-11-30T15:00:00Z'), marginSeconds: 0, ...over })).toThrow(message);
  });
});

describe('callMarginSeconds: ring timeout + queue delay', () => {
  it.each([
    [30, 0, 30], [30, 4.2, 35], [0, 0, 0], [60, 120, 180],
  ])('ring %s s + queue %s s = %s s', (ring, queue, margin) => {
    expect(callMarginSeconds({ ringTimeoutSeconds: ring, queueDelaySeconds: queue })).toBe(margin);
  });

  it.each([
    [{ ringTimeoutSeconds: -1, queueDelaySeconds: 0 }, /ringTimeoutSeconds/],
    [{ ringTimeoutSeconds: 30, queueDelaySeconds: Number.POSITIVE_INFINITY }, /queueDelaySeconds/],
    [{ ringTimeoutSeconds: 30, queueDelaySeconds: undefined as unknown as number }, /queueDelaySeconds/],
  ])('bad input %j is refused naming the field', (input, message) => {
    expect(() => callMarginSeconds(input)).toThrow(message);
  });
});

describe('evaluateCallRules with the dial margin', () => {
  const input = callRuleInput;

  it('checked at 20:59:40 with 30 s ring + 5 s queue: held to 08:00 next day', () => {
    const r = evaluateCallRules(input({ windowMarginSeconds: 35 }), d('2026-12-01T01:59:40Z'));
    expect(r).toMatchObject({ allowed: false, reason: 'OUTSIDE_CALLING_WINDOW', nextAllowedAt: d('2026-12-01T13:00:00Z'), permanent: false });
    if (!r.allowed) expect(r.detail).toMatch(/could still ring at 2026-12-01T02:00:15.000Z \(margin 35s\)/);
  });

  it.each([-1, Number.NaN])('a margin of %s is refused naming the field and the case', (m) => {
    expect(() => evaluateCallRules(input({ windowMarginSeconds: m }), d('2026-12-01T01:59:40Z'))).toThrow(
      /case 00000000-0000-4000-8000-000000000001: windowMarginSeconds must be a number >= 0/,
    );
  });

  it('without a margin the same instant is allowed (claim time)', () => {
    expect(evaluateCallRules(input(), d('2026-12-01T01:59:40Z')).allowed).toBe(true);
  });

  it('an allowed dial records the margin used', () => {
    const r = evaluateCallRules(input({ windowMarginSeconds: 35 }), d('2026-12-01T01:59:00Z'));
    if (!r.allowed) throw new Error(`unexpected hold ${r.reason}`);
    expect(r.evidence.window).toEqual({ marginSeconds: 35, until: '2026-12-01T01:59:35.000Z' });
    expect(r.evidence.checks).toContain('inside 08:00-21:00 in America/New_York until 2026-12-01T01:59:35.000Z (margin 35s)');
  });

  it('a held case released by the weekly limit near 21:00 is moved past the margin', () => {
    const attempts = Array.from({ length: 7 }, (_, i) => new Date(d('2026-11-23T01:59:50Z').getTime() + i * 3600_000 * 0.1));
    const r = evaluateCallRules(input({ windowMarginSeconds: 35, recentAttempts: attempts }), d('2026-11-30T01:00:00Z'));
    // release at 2026-11-30T01:59:50Z (20:59:50 EST): with 35 s of ringing that is too late, so 08:00 next day
    expect(r).toMatchObject({ reason: 'WEEKLY_ATTEMPT_LIMIT', nextAllowedAt: d('2026-11-30T13:00:00Z') });
  });
});

describe('the window check says which zone a contact leaves, and when it may go', () => {
  const LA = 'America/Los_Angeles';
  it('names each zone it leaves with its local span; an allowed contact names every zone', () => {
    const held = contactWindowCheck({ channel: 'call', zones: [NY, LA], now: d('2026-11-30T13:30:00Z'), marginSeconds: 30 });
    expect(held.allowed).toBe(false);
    expect(held.detail).toBe('call: 2026-11-30T13:30:00.000Z + 30s leaves 08:00-21:00 in America/Los_Angeles (05:30:00-05:30:30)');
    expect(held.zones.map((z) => [z.zone, z.inside])).toEqual([
      [NY, true],
      [LA, false],
    ]);
    const ok = contactWindowCheck({ channel: 'sms', zones: [NY, LA], now: d('2026-11-30T18:00:00Z'), marginSeconds: 0 });
    expect(ok.detail).toBe('sms: 2026-11-30T18:00:00.000Z + 0s inside 08:00-21:00 in America/New_York, America/Los_Angeles');
  });

  it('a long contact that would cross 21:00 waits for the next morning', () => {
    // 20:30 in New York with an hour's margin: not tonight, 08:00 tomorrow
    expect(nextContactMoment(d('2026-12-01T01:30:00Z'), [NY], 3600)?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(nextContactMoment(d('2026-12-01T01:30:00Z'), [NY], 1800)?.toISOString()).toBe('2026-12-01T01:30:00.000Z');
    // 18:30 with three hours: it steps past tonight by the margin, not minute by minute
    expect(nextContactMoment(d('2026-11-30T23:30:00Z'), [NY], 3 * 3600)?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
  });
});
