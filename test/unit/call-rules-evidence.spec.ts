import {
  ATTEMPT_WINDOW_MS,
  BLOCKING_CASE_STATUSES,
  CONVERSATION_OUTCOMES,
  conversationReleaseAt,
  countAttemptsInWindow,
  evaluateCallRules,
  OPEN_DISPUTE_STATUSES,
  weeklyLimitReleaseAt,
} from '../../src/calls/rules/call-rules';
import { callRuleInput as input } from '../utils/call-rule-input';

/**
 * What the call rules record and decide beyond the window edges: the attempt count kept as evidence,
 * the time-zone evidence on every time-based hold, which holds are permanent, zones that never
 * overlap, the tenant-zone fallback, and zones east of UTC.
 */

const d = (iso: string) => new Date(iso);
const H = 3600 * 1000;

const NOW = d('2026-11-30T15:00:00Z'); // Monday 10:00 New York
const NY_EVIDENCE = [{ zone: 'America/New_York', source: 'area_code', localTime: '2026-11-30T10:00:00-05:00' }];
/** Los Angeles (property), London (debtor) and Guam (area code 671): 8 and 10 hours apart, no common hour in 08:00-21:00. */
const INTL_FREEPHONE = '+80012345678';
const NO_OVERLAP = { propertyState: 'CA', debtorTimezone: 'Europe/London', phone: '+16714567890' };

describe('countAttemptsInWindow: attempts in (now - 168h, now]', () => {
  it('counts the edge exactly', () => {
    const now = NOW.getTime();
    expect(countAttemptsInWindow([], NOW)).toBe(0);
    expect(countAttemptsInWindow([new Date(now - ATTEMPT_WINDOW_MS)], NOW)).toBe(0);
    expect(countAttemptsInWindow([new Date(now - ATTEMPT_WINDOW_MS + 1)], NOW)).toBe(1);
    expect(countAttemptsInWindow([new Date(now)], NOW)).toBe(1);
    expect(countAttemptsInWindow([new Date(now - 200 * H), new Date(now - 100 * H), new Date(now - 1 * H), new Date(now - 168 * H)], NOW)).toBe(2);
  });

  it('the count an allowed call records as evidence leaves out older attempts', () => {
    const attempts = [NOW.getTime() - 2 * H, NOW.getTime() - 30 * H, NOW.getTime() - 167 * H, NOW.getTime() - 168 * H, NOW.getTime() - 400 * H].map((t) => new Date(t));
    const r = evaluateCallRules(input({ recentAttempts: attempts }), NOW);
    if (!r.allowed) throw new Error(`unexpected hold ${r.reason}`);
    expect(r.evidence.attemptsLast7Days).toBe(3);
    expect(r.evidence.checks).toContain('3 attempts in the last 7x24h < 7');
  });

  it('an allowed call lists every check it passed, in order', () => {
    const r = evaluateCallRules(input(), NOW);
    if (!r.allowed) throw new Error(`unexpected hold ${r.reason}`);
    expect(r.evidence).toEqual({
      timezones: NY_EVIDENCE,
      checks: [
        'case open',
        'status NEW',
        'approved',
        'amount due 125000 cents > 0',
        'no reconciliation mismatch',
        'not do_not_call',
        'not do_not_contact',
        'no open dispute',
        'phone valid',
        'no call in progress',
        'no conversation in the last 7 days',
        '0 attempts in the last 7x24h < 7',
        'inside 08:00-21:00 in America/New_York',
      ],
      phoneE164: '+12124567890',
      evaluatedAt: '2026-11-30T15:00:00.000Z',
      notes: [],
      attemptsLast7Days: 0,
      window: { marginSeconds: 0, until: '2026-11-30T15:00:00.000Z' },
    });
  });
});

describe('weeklyLimitReleaseAt and conversationReleaseAt', () => {
  it('the 7th most recent attempt inside the window decides, whatever the order given', () => {
    const t = (h: number) => new Date(NOW.getTime() - h * H);
    const attempts = [t(1), t(150), t(10), t(160), t(20), t(30), t(40), t(170)];
    expect(weeklyLimitReleaseAt(attempts, NOW)).toEqual(new Date(t(160).getTime() + ATTEMPT_WINDOW_MS));
    expect(weeklyLimitReleaseAt(attempts.slice(0, 6), NOW)).toBeNull();
    // an attempt exactly 168h old no longer counts
    expect(weeklyLimitReleaseAt([...attempts.slice(0, 6), t(168)], NOW)).toBeNull();
  });

  it('no conversation, or a release already reached: not blocked', () => {
    expect(conversationReleaseAt(null, ['America/New_York'], NOW)).toBeNull();
    const conv = d('2026-11-16T15:00:00Z'); // Monday: free from the next Monday 00:00 New York = 05:00Z
    expect(conversationReleaseAt(conv, ['America/New_York'], d('2026-11-23T04:59:59.999Z'))).toEqual(d('2026-11-23T05:00:00Z'));
    expect(conversationReleaseAt(conv, ['America/New_York'], d('2026-11-23T05:00:00Z'))).toBeNull();
    // the latest local midnight over the zones: Tokyo's day 1 is already Tuesday (00:00 Tokyo = 15:00Z Monday)
    expect(conversationReleaseAt(conv, ['America/Los_Angeles', 'Asia/Tokyo', 'America/New_York'], d('2026-11-20T00:00:00Z'))).toEqual(d('2026-11-23T15:00:00Z'));
    expect(conversationReleaseAt(conv, ['America/Los_Angeles', 'America/New_York'], d('2026-11-20T00:00:00Z'))).toEqual(d('2026-11-23T08:00:00Z'));
  });
});

describe('holds carry their time-zone evidence and whether they are permanent', () => {
  const seven = Array.from({ length: 7 }, (_, i) => new Date(NOW.getTime() - (i + 1) * 20 * H));

  it('weekly limit: not permanent, next lawful moment, zone evidence', () => {
    const r = evaluateCallRules(input({ recentAttempts: seven }), NOW);
    expect(r).toEqual({
      allowed: false,
      reason: 'WEEKLY_ATTEMPT_LIMIT',
      detail: expect.any(String),
      nextAllowedAt: d('2026-12-01T19:00:00Z'), // the oldest of the seven (140h ago) + 168h, 14:00 New York
      permanent: false,
      timezones: NY_EVIDENCE,
    });
  });

  it('recent conversation: not permanent, zone evidence', () => {
    const r = evaluateCallRules(input({ lastConversationAt: d('2026-11-27T15:00:00Z') }), NOW);
    expect(r).toEqual({
      allowed: false,
      reason: 'RECENT_CONVERSATION',
      detail: expect.any(String),
      nextAllowedAt: d('2026-12-04T13:00:00Z'),
      permanent: false,
      timezones: NY_EVIDENCE,
    });
  });

  it('call in progress: not permanent, zone evidence', () => {
    const r = evaluateCallRules(input({ callInProgress: true }), NOW);
    expect(r).toEqual({ allowed: false, reason: 'CALL_IN_PROGRESS', detail: expect.any(String), nextAllowedAt: d('2026-11-30T15:15:00Z'), permanent: false, timezones: NY_EVIDENCE });
  });

  it('outside the window: not permanent, local time of every zone', () => {
    const r = evaluateCallRules(input({ propertyState: 'CO', propertyPostalCode: '80202' }), d('2026-11-30T13:30:00Z'));
    expect(r).toEqual({
      allowed: false,
      reason: 'OUTSIDE_CALLING_WINDOW',
      detail: 'outside 08:00-21:00 local (America/Denver 06:30, America/New_York 08:30)',
      nextAllowedAt: d('2026-11-30T15:00:00Z'),
      permanent: false,
      timezones: [
        { zone: 'America/Denver', source: 'property_postal_code', localTime: '2026-11-30T06:30:00-07:00' },
        { zone: 'America/New_York', source: 'area_code', localTime: '2026-11-30T08:30:00-05:00' },
      ],
    });
  });

  it('data holds have no zone evidence and no moment', () => {
    expect(evaluateCallRules(input({ doNotCall: true }), NOW)).toEqual({ allowed: false, reason: 'DO_NOT_CALL', detail: expect.any(String), nextAllowedAt: null, permanent: true });
  });
});

describe('zones that never share a lawful hour', () => {
  it('NO_TIMEZONE_OVERLAP: permanent, no moment, every zone in the evidence', () => {
    const r = evaluateCallRules(input(NO_OVERLAP), NOW);
    expect(r).toEqual({
      allowed: false,
      reason: 'NO_TIMEZONE_OVERLAP',
      detail: expect.any(String),
      nextAllowedAt: null,
      permanent: true,
      timezones: [
        { zone: 'Europe/London', source: 'debtor', localTime: '2026-11-30T15:00:00+00:00' },
        { zone: 'America/Los_Angeles', source: 'property_state', localTime: '2026-11-30T07:00:00-08:00' },
        { zone: 'Pacific/Guam', source: 'area_code', localTime: '2026-12-01T01:00:00+10:00' },
      ],
    });
  });

  it('a weekly-limit or conversation hold with no lawful hour ahead is permanent', () => {
    const seven = Array.from({ length: 7 }, (_, i) => new Date(NOW.getTime() - (i + 1) * H));
    expect(evaluateCallRules(input({ ...NO_OVERLAP, recentAttempts: seven }), NOW)).toMatchObject({ reason: 'WEEKLY_ATTEMPT_LIMIT', nextAllowedAt: null, permanent: true });
    expect(evaluateCallRules(input({ ...NO_OVERLAP, lastConversationAt: d('2026-11-29T15:00:00Z') }), NOW)).toMatchObject({
      reason: 'RECENT_CONVERSATION',
      nextAllowedAt: null,
      permanent: true,
    });
  });
});

describe('tenant zone fallback', () => {
  it('an invalid tenant zone falls back to New York, with a note', () => {
    // an international freephone number (+800) has no country: only the tenant zone could apply
    const r = evaluateCallRules(input({ phone: INTL_FREEPHONE, tenantTimezone: 'Mars/Olympus_Mons' }), d('2026-11-30T12:30:00Z'));
    expect(r).toEqual({
      allowed: false,
      reason: 'OUTSIDE_CALLING_WINDOW',
      detail: 'outside 08:00-21:00 local (America/New_York 07:30)',
      nextAllowedAt: d('2026-11-30T13:00:00Z'),
      permanent: false,
      timezones: [{ zone: 'America/New_York', source: 'tenant', localTime: '2026-11-30T07:30:00-05:00' }],
    });
    const ok = evaluateCallRules(input({ phone: INTL_FREEPHONE, tenantTimezone: 'Mars/Olympus_Mons' }), d('2026-11-30T13:00:00Z'));
    if (!ok.allowed) throw new Error(`unexpected hold ${ok.reason}`);
    expect(ok.evidence.notes).toEqual(['no country known for +800…: no candidate from the number', 'tenant timezone "Mars/Olympus_Mons" invalid: America/New_York used']);
  });

  it('a valid tenant zone is used as given (trimmed)', () => {
    const r = evaluateCallRules(input({ phone: INTL_FREEPHONE, tenantTimezone: ' America/Chicago ' }), d('2026-11-30T13:30:00Z'));
    expect(r).toMatchObject({ reason: 'OUTSIDE_CALLING_WINDOW', nextAllowedAt: d('2026-11-30T14:00:00Z'), timezones: [{ zone: 'America/Chicago', source: 'tenant' }] });
  });
});

describe('zones east of UTC', () => {
  const tokyo = { debtorTimezone: 'Asia/Tokyo', phone: '+18004567890' };

  it('the window follows the local clock across the UTC date line', () => {
    const r = evaluateCallRules(input(tokyo), d('2026-11-30T22:30:00Z')); // Tuesday 07:30 in Tokyo
    expect(r).toMatchObject({
      reason: 'OUTSIDE_CALLING_WINDOW',
      nextAllowedAt: d('2026-11-30T23:00:00Z'),
      timezones: [{ zone: 'Asia/Tokyo', source: 'debtor', localTime: '2026-12-01T07:30:00+09:00' }],
    });
    expect(evaluateCallRules(input(tokyo), d('2026-11-30T23:00:00Z')).allowed).toBe(true);
    expect(evaluateCallRules(input(tokyo), d('2026-12-01T11:59:00Z')).allowed).toBe(true); // 20:59
    expect(evaluateCallRules(input(tokyo), d('2026-12-01T12:00:00Z'))).toMatchObject({ reason: 'OUTSIDE_CALLING_WINDOW', nextAllowedAt: d('2026-12-01T23:00:00Z') });
  });

  it('the conversation days are Tokyo calendar days, not UTC days', () => {
    // Tuesday 23:00 in Tokyo (14:00Z): day 1 = Tuesday, free from the next Tuesday 00:00 Tokyo, called at 08:00 Tokyo
    const conv = d('2026-11-17T14:00:00Z');
    // Monday 19:00 Tokyo; a UTC reading would wait for Tuesday 00:00Z (09:00 Tokyo)
    const r = evaluateCallRules(input({ ...tokyo, lastConversationAt: conv }), d('2026-11-23T10:00:00Z'));
    expect(r).toMatchObject({ reason: 'RECENT_CONVERSATION', nextAllowedAt: d('2026-11-23T23:00:00Z'), permanent: false });
  });

  it('a half-hour zone (India) shows its offset in the evidence', () => {
    const r = evaluateCallRules(input({ debtorTimezone: 'Asia/Kolkata', phone: '+18004567890' }), d('2026-11-30T02:00:00Z'));
    expect(r).toMatchObject({
      reason: 'OUTSIDE_CALLING_WINDOW',
      nextAllowedAt: d('2026-11-30T02:30:00Z'),
      timezones: [{ zone: 'Asia/Kolkata', source: 'debtor', localTime: '2026-11-30T07:30:00+05:30' }],
    });
  });
});

describe('the contract lists', () => {
  it('conversation outcomes, open dispute statuses, blocking case statuses', () => {
    expect(CONVERSATION_OUTCOMES).toEqual(['CONNECTED', 'PROMISE_TO_PAY', 'PAYMENT_PLAN', 'REFUSED', 'CALLBACK_REQUESTED', 'PAID', 'PARTIAL_PAYMENT', 'DO_NOT_CALL']);
    expect(OPEN_DISPUTE_STATUSES).toEqual(['OPEN', 'WAITING_TENANT', 'WAITING_DEBTOR']);
    expect(BLOCKING_CASE_STATUSES).toEqual(['INVALID_CONTACT', 'REFUSED']);
  });
});
