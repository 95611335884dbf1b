import { CallRuleInput, evaluateCallRules, MIN_CALL_SPACING_MS, spacingReleaseAt, weeklyLimitReleaseAt } from '../../src/calls/rules';
import { callRuleInput as input } from '../utils/call-rule-input';

const d = (iso: string) => new Date(iso);
const H = 3600 * 1000;

// Monday 2026-11-30 10:00 EST = 15:00Z (lawful in New York and Denver)
const MON_10_NY = d('2026-11-30T15:00:00Z');

describe('evaluateCallRules: holds that need new data', () => {
  it.each([
    ['closed_at set', { closedAt: d('2026-11-01T00:00:00Z') }, 'CASE_CLOSED'],
    ['status PAID', { status: 'PAID' }, 'CASE_CLOSED'],
    ['status INVALID_CONTACT', { status: 'INVALID_CONTACT' }, 'CASE_STATUS'],
    ['status REFUSED', { status: 'REFUSED' }, 'CASE_STATUS'],
    ['approval pending', { approvalStatus: 'PENDING_APPROVAL' }, 'NOT_APPROVED'],
    ['approval rejected', { approvalStatus: 'REJECTED' }, 'NOT_APPROVED'],
    ['approval excluded', { approvalStatus: 'EXCLUDED' }, 'NOT_APPROVED'],
    ['zero balance', { amountDueCents: 0 }, 'ZERO_BALANCE'],
    ['negative balance (credit)', { amountDueCents: -500 }, 'ZERO_BALANCE'],
    ['reconciliation mismatch', { reconciliationMismatch: true }, 'RECONCILIATION_MISMATCH'],
    ['do not call', { doNotCall: true }, 'DO_NOT_CALL'],
    ['do not contact', { doNotContact: true }, 'DO_NOT_CONTACT'],
    ['open dispute', { hasOpenDispute: true }, 'OPEN_DISPUTE'],
    ['no phone', { phone: null }, 'INVALID_PHONE'],
    ['empty phone', { phone: '  ' }, 'INVALID_PHONE'],
    ['invalid phone', { phone: '12345' }, 'INVALID_PHONE'],
    ['closed wins over do-not-call', { closedAt: d('2026-11-01T00:00:00Z'), doNotCall: true }, 'CASE_CLOSED'],
  ])('%s -> %s, permanent, no moment to wait for', (_what, over, reason) => {
    const r = evaluateCallRules(input(over as Partial<CallRuleInput>), MON_10_NY);
    expect(r).toMatchObject({ allowed: false, reason, nextAllowedAt: null, permanent: true });
  });

  it('IN_PROGRESS status is callable', () => {
    expect(evaluateCallRules(input({ status: 'IN_PROGRESS' }), MON_10_NY).allowed).toBe(true);
  });

  it('a call in progress holds for 15 minutes (then the window)', () => {
    const r = evaluateCallRules(input({ callInProgress: true }), MON_10_NY);
    expect(r).toMatchObject({ allowed: false, reason: 'CALL_IN_PROGRESS', permanent: false, nextAllowedAt: d('2026-11-30T15:15:00Z') });
    const late = evaluateCallRules(input({ callInProgress: true }), d('2026-12-01T01:50:00Z')); // 20:50 NY
    expect(late).toMatchObject({ reason: 'CALL_IN_PROGRESS', nextAllowedAt: d('2026-12-01T13:00:00Z') });
  });
});

describe('evaluateCallRules: calling window with all candidate zones', () => {
  it.each([
    // [what, overrides, now, allowed, nextAllowedAt]
    ['LA debtor is not called at 08:30 New York time', { debtorTimezone: 'America/Los_Angeles', phone: '+13104567890' }, '2026-11-30T13:30:00Z', false, '2026-11-30T16:00:00Z'],
    ['LA debtor with a New York number: LA clock decides the morning', { debtorTimezone: 'America/Los_Angeles' }, '2026-11-30T15:30:00Z', false, '2026-11-30T16:00:00Z'],
    ['LA debtor with a New York number: New York clock decides the evening', { debtorTimezone: 'America/Los_Angeles' }, '2026-12-01T02:30:00Z', false, '2026-12-01T16:00:00Z'],
    ['Denver address + New York area code, New York 08:30 (Denver 06:30)', { propertyState: 'CO', propertyPostalCode: '80202' }, '2026-11-30T13:30:00Z', false, '2026-11-30T15:00:00Z'],
    ['Denver address + New York area code, Denver 08:00', { propertyState: 'CO', propertyPostalCode: '80202' }, '2026-11-30T15:00:00Z', true, null],
    ['Denver address + New York area code, New York 20:59', { propertyState: 'CO', propertyPostalCode: '80202' }, '2026-12-01T01:59:00Z', true, null],
    ['Denver address + New York area code, New York 21:00', { propertyState: 'CO', propertyPostalCode: '80202' }, '2026-12-01T02:00:00Z', false, '2026-12-01T15:00:00Z'],
    ['spring forward Sunday, New York 08:30 EDT', {}, '2026-03-08T12:30:00Z', true, null],
    ['spring forward Sunday, Denver address 06:30 MDT', { propertyState: 'CO', propertyPostalCode: '80202' }, '2026-03-08T12:30:00Z', false, '2026-03-08T14:00:00Z'],
    ['fall back Sunday, New York 07:30 EST', {}, '2026-11-01T12:30:00Z', false, '2026-11-01T13:00:00Z'],
    ['toll-free number, nothing else known: every US zone, not the tenant zone (Honolulu opens last)', { phone: '+18004567890', tenantTimezone: 'America/Chicago' }, '2026-11-30T13:00:00Z', false, '2026-11-30T18:00:00Z'],
    ['tenant zone ignored when a candidate is known', { tenantTimezone: 'Pacific/Honolulu' }, '2026-11-30T15:00:00Z', true, null],
    ['Texas address without postal code: Mountain part counts too', { propertyState: 'TX', phone: '+12144567890' }, '2026-11-30T14:30:00Z', false, '2026-11-30T15:00:00Z'],
  ])('%s', (_what, over, now, allowed, next) => {
    const r = evaluateCallRules(input(over), d(now));
    expect(r.allowed).toBe(allowed);
    if (!r.allowed) {
      expect(r.reason).toBe('OUTSIDE_CALLING_WINDOW');
      expect(r.nextAllowedAt?.toISOString()).toBe(d(next!).toISOString());
      expect(r.permanent).toBe(false);
    }
  });

  it('an allowed call carries its evidence', () => {
    const r = evaluateCallRules(input({ propertyState: 'CO', propertyPostalCode: '80202', phone: '(212) 456-7890' }), MON_10_NY);
    if (!r.allowed) throw new Error(`unexpected hold ${r.reason}`);
    expect(r.evidence.phoneE164).toBe('+12124567890');
    expect(r.evidence.timezones).toEqual([
      { zone: 'America/Denver', source: 'property_postal_code', localTime: '2026-11-30T08:00:00-07:00' },
      { zone: 'America/New_York', source: 'area_code', localTime: '2026-11-30T10:00:00-05:00' },
    ]);
    expect(r.evidence.checks).toEqual(expect.arrayContaining(['approved', 'phone valid', 'no open dispute', 'inside 08:00-21:00 in America/Denver, America/New_York']));
    expect(r.evidence.evaluatedAt).toBe(MON_10_NY.toISOString());
    expect(r.evidence.attemptsLast7Days).toBe(0);
  });
});

describe('7 attempts in 7 consecutive days (rolling 7x24h)', () => {
  // 7 attempts, one a day at 10:00 EST (15:00Z), Mon 2026-11-16 .. Sun 2026-11-22
  const seven = Array.from({ length: 7 }, (_, i) => new Date(d('2026-11-16T15:00:00Z').getTime() + i * 24 * H));

  it.each([
    ['6 attempts: allowed', seven.slice(1), '2026-11-22T16:00:00Z', true, null],
    ['7th attempt itself is allowed (6 before it)', seven.slice(0, 6), '2026-11-21T16:00:00Z', true, null],
    ['7 attempts, 1 ms before the oldest is 168h old: held', seven, '2026-11-23T14:59:59.999Z', false, '2026-11-23T15:00:00Z'],
    ['7 attempts, oldest exactly 168h old: the 8th is allowed', seven, '2026-11-23T15:00:00Z', true, null],
    ['7 attempts, the next day but before the hour: held to the hour', seven, '2026-11-23T13:30:00Z', false, '2026-11-23T15:00:00Z'],
    ['8 attempts: the 7th most recent decides', [d('2026-11-15T15:00:00Z'), ...seven], '2026-11-23T14:00:00Z', false, '2026-11-23T15:00:00Z'],
    ['release falls outside the window: moved to 08:00 next day', seven.map((a) => new Date(a.getTime() + 11 * H)), '2026-11-23T22:00:00Z', false, '2026-11-24T13:00:00Z'],
  ])('%s', (_what, attempts, now, allowed, next) => {
    const r = evaluateCallRules(input({ recentAttempts: attempts }), d(now));
    expect(r.allowed).toBe(allowed);
    if (!r.allowed) {
      expect(r.reason).toBe('WEEKLY_ATTEMPT_LIMIT');
      expect(r.nextAllowedAt?.toISOString()).toBe(d(next!).toISOString());
    }
  });

  it('over the fall-back week the rolling window is 168 real hours', () => {
    // 7 attempts at 14:00Z from Mon Oct 26 (10:00 EDT) to Sun Nov 1 (09:00 EST)
    const attempts = Array.from({ length: 7 }, (_, i) => new Date(d('2026-10-26T14:00:00Z').getTime() + i * 24 * H));
    expect(weeklyLimitReleaseAt(attempts, d('2026-11-02T13:00:00Z'))?.toISOString()).toBe('2026-11-02T14:00:00.000Z');
    const r = evaluateCallRules(input({ recentAttempts: attempts }), d('2026-11-02T13:59:00Z'));
    expect(r).toMatchObject({ reason: 'WEEKLY_ATTEMPT_LIMIT', nextAllowedAt: d('2026-11-02T14:00:00Z') });
    expect(evaluateCallRules(input({ recentAttempts: attempts }), d('2026-11-02T14:00:00Z')).allowed).toBe(true);
  });
});

describe('an hour between two calls of a case, whichever path placed them', () => {
  // Monday 2026-11-30, New York (EST = UTC-5)
  it('is one hour', () => {
    expect(MIN_CALL_SPACING_MS).toBe(3_600_000);
  });

  it.each([
    ['no earlier attempt', null, '2026-11-30T15:00:00Z', null],
    ['59:59.999 ago: held', '2026-11-30T14:00:00.001Z', '2026-11-30T15:00:00Z', '2026-11-30T15:00:00.001Z'],
    ['exactly an hour ago: free', '2026-11-30T14:00:00Z', '2026-11-30T15:00:00Z', null],
    ['a minute ago', '2026-11-30T14:59:00Z', '2026-11-30T15:00:00Z', '2026-11-30T15:59:00Z'],
  ])('spacingReleaseAt: %s', (_what, last, now, release) => {
    expect(spacingReleaseAt(last ? d(last) : null, d(now))?.toISOString() ?? null).toBe(release ? d(release).toISOString() : null);
  });

  it('holds a call 20 minutes after another until an hour after it, naming the rule and the earlier call', () => {
    const last = d('2026-11-30T14:40:00Z');
    const r = evaluateCallRules(input({ recentAttempts: [last] }), MON_10_NY);
    expect(r).toMatchObject({
      allowed: false,
      reason: 'RECENT_CALL',
      detail: 'a call of this case started at 2026-11-30T14:40:00.000Z: the next may start 60 min after it',
      nextAllowedAt: d('2026-11-30T15:40:00Z'),
      permanent: false,
    });
  });

  it("allows it an hour after, and says so in the checks", () => {
    const r = evaluateCallRules(input({ recentAttempts: [d('2026-11-30T14:00:00Z')] }), MON_10_NY);
    expect(r.allowed).toBe(true);
    if (r.allowed) expect(r.evidence.checks).toContain('last call 2026-11-30T14:00:00.000Z, 60 min or more ago');
    const none = evaluateCallRules(input(), MON_10_NY);
    if (none.allowed) expect(none.evidence.checks.some((c) => c.startsWith('last call'))).toBe(false);
  });

  it('an hour that ends after 21:00 local waits for 08:00 the next day', () => {
    // 20:30 New York; the earlier call started at 20:10
    const r = evaluateCallRules(input({ recentAttempts: [d('2026-12-01T01:10:00Z')] }), d('2026-12-01T01:30:00Z'));
    expect(r).toMatchObject({ reason: 'RECENT_CALL', nextAllowedAt: d('2026-12-01T13:00:00Z') });
  });

  it('reads the latest attempt as given (the loader leaves out the caller\'s own record), not the attempt list', () => {
    const attempts = [d('2026-11-30T14:50:00Z')];
    expect(evaluateCallRules(input({ recentAttempts: attempts, lastAttemptAt: null }), MON_10_NY).allowed).toBe(true);
    expect(evaluateCallRules(input({ recentAttempts: [], lastAttemptAt: d('2026-11-30T14:30:00Z') }), MON_10_NY)).toMatchObject({ reason: 'RECENT_CALL', nextAllowedAt: d('2026-11-30T15:30:00Z') });
  });

  it('the 7-in-7 limit and the conversation hold are named first; the moment is the latest of all', () => {
    const seven = Array.from({ length: 7 }, (_, i) => d(`2026-11-${String(24 + i).padStart(2, '0')}T14:50:00Z`));
    expect(evaluateCallRules(input({ recentAttempts: seven }), MON_10_NY)).toMatchObject({ reason: 'WEEKLY_ATTEMPT_LIMIT', nextAllowedAt: d('2026-12-01T14:50:00Z') });
    const conv = evaluateCallRules(input({ recentAttempts: [d('2026-11-30T14:50:00Z')], lastConversationAt: d('2026-11-30T14:50:00Z') }), MON_10_NY);
    expect(conv).toMatchObject({ reason: 'RECENT_CONVERSATION', nextAllowedAt: d('2026-12-07T13:00:00Z') });
  });

  it('zones that never share a lawful hour: held by the spacing with no moment, permanent', () => {
    const r = evaluateCallRules(input({ recentAttempts: [d('2026-11-30T14:50:00Z')], propertyState: 'CA', debtorTimezone: 'Europe/London', phone: '+16714567890' }), MON_10_NY);
    expect(r).toMatchObject({ allowed: false, reason: 'RECENT_CALL', nextAllowedAt: null, permanent: true });
  });
});

describe('7 days after a conversation, conversation day = day 1 (local calendar days)', () => {
  // Conversation Monday 2026-11-16 at 20:00 New York (Tuesday 01:00Z): blocks Mon..Sun, next Monday 08:00 local.
  const conv = d('2026-11-17T01:00:00Z');
  it.each([
    ['same evening', '2026-11-17T01:30:00Z', false, '2026-11-23T13:00:00Z'],
    ['day 7 (Sunday) at 20:59 local', '2026-11-23T01:59:00Z', false, '2026-11-23T13:00:00Z'],
    ['day 8 (Monday) at 07:59 local: the window still holds', '2026-11-23T12:59:00Z', false, '2026-11-23T13:00:00Z'],
    ['day 8 (Monday) at 08:00 local: allowed', '2026-11-23T13:00:00Z', true, null],
  ])('%s', (_what, now, allowed, next) => {
    const r = evaluateCallRules(input({ lastConversationAt: conv }), d(now));
    expect(r.allowed).toBe(allowed);
    if (!r.allowed) expect(r.nextAllowedAt?.toISOString()).toBe(d(next!).toISOString());
  });

  it('the reason is RECENT_CONVERSATION while inside the 7 days', () => {
    const r = evaluateCallRules(input({ lastConversationAt: conv }), d('2026-11-20T15:00:00Z'));
    expect(r).toMatchObject({ allowed: false, reason: 'RECENT_CONVERSATION', permanent: false, nextAllowedAt: d('2026-11-23T13:00:00Z') });
  });

  it('with two zones the later local calendar decides', () => {
    // LA debtor, New York number. Conversation Tue 01:30 New York = Mon 22:30 Los Angeles.
    // New York: day 1 = Tuesday -> free from next Tuesday 00:00 NY; LA: free from next Monday 00:00 LA.
    // Latest is Tuesday 00:00 NY (05:00Z), then 08:00 in LA (16:00Z).
    const r = evaluateCallRules(input({ debtorTimezone: 'America/Los_Angeles', lastConversationAt: d('2026-11-17T06:30:00Z') }), d('2026-11-23T18:00:00Z'));
    expect(r).toMatchObject({ reason: 'RECENT_CONVERSATION', nextAllowedAt: d('2026-11-24T16:00:00Z') });
  });

  it('across spring forward: released at local midnight of day 8, then 08:00 EDT', () => {
    // Conversation Thursday 2026-03-05 12:00 EST; day 8 = Thursday 2026-03-12 (EDT)
    const r = evaluateCallRules(input({ lastConversationAt: d('2026-03-05T17:00:00Z') }), d('2026-03-11T15:00:00Z'));
    expect(r).toMatchObject({ reason: 'RECENT_CONVERSATION', nextAllowedAt: d('2026-03-12T12:00:00Z') });
  });

  it('conversation and weekly limit together: the later release wins', () => {
    const attempts = Array.from({ length: 7 }, (_, i) => new Date(d('2026-11-20T15:00:00Z').getTime() + i * H));
    const r = evaluateCallRules(input({ lastConversationAt: conv, recentAttempts: attempts }), d('2026-11-21T15:00:00Z'));
    // conversation frees Mon 23rd 13:00Z; weekly limit frees Fri 27th 15:00Z (first attempt + 168h)
    expect(r).toMatchObject({ reason: 'RECENT_CONVERSATION', nextAllowedAt: d('2026-11-27T15:00:00Z') });
  });
});

describe('evaluateCallRules on real geography at fixed instants (DST days included)', () => {
  it.each([
    // [what, overrides, now (UTC), allowed, nextAllowedAt]
    ['Gary IN address, Indianapolis number, day after spring forward: 08:30 EDT is 07:30 CDT in Gary', { propertyState: 'IN', propertyPostalCode: '46402', phone: '+13174567890' }, '2026-03-09T12:30:00Z', false, '2026-03-09T13:00:00Z'],
    ['Gary IN address, Indianapolis number: 08:00 CDT', { propertyState: 'IN', propertyPostalCode: '46402', phone: '+13174567890' }, '2026-03-09T13:00:00Z', true, null],
    ['Paducah KY address, 270 number, fall-back evening: 20:30 EST / 19:30 CST', { propertyState: 'KY', propertyPostalCode: '42001', phone: '+12704567890' }, '2026-11-02T01:30:00Z', true, null],
    ['Paducah KY address, 270 number: 21:00 EST closes the Eastern half of 270', { propertyState: 'KY', propertyPostalCode: '42001', phone: '+12704567890' }, '2026-11-02T02:00:00Z', false, '2026-11-02T14:00:00Z'],
    ['San Juan address, New York number, winter: 21:30 AST', { propertyState: 'PR', propertyPostalCode: '00901' }, '2026-12-01T01:30:00Z', false, '2026-12-01T13:00:00Z'],
    ['San Juan address, New York number, summer: 20:30 EDT = 20:30 AST', { propertyState: 'PR', propertyPostalCode: '00901' }, '2026-07-02T00:30:00Z', true, null],
    ['Adak AK address, 907 number: 07:30 HST in Adak, 08:30 AKST', { propertyState: 'AK', propertyPostalCode: '99546', phone: '+19074567890' }, '2026-11-30T17:30:00Z', false, '2026-11-30T18:00:00Z'],
    ['Ontario OR (Malheur) address, 541 number: 07:30 MST', { propertyState: 'OR', propertyPostalCode: '97914', phone: '+15414567890' }, '2026-11-30T14:30:00Z', false, '2026-11-30T16:00:00Z'],
    ['Hazen ND address, 701 number, 21:00 CST (20:00 MST): the Central zone closes', { propertyState: 'ND', propertyPostalCode: '58545', phone: '+17014567890' }, '2026-12-01T03:00:00Z', false, '2026-12-01T15:00:00Z'],
    ['UK number, tenant in New York: 01:00 in London', { phone: '+442079460958' }, '2026-12-01T01:00:00Z', false, '2026-12-01T08:00:00Z'],
    ['UK number on the UK spring-forward day: 07:30 BST', { phone: '+442079460958' }, '2026-03-29T06:30:00Z', false, '2026-03-29T07:00:00Z'],
    ['Mexican number: every zone of Mexico (Tijuana opens last)', { phone: '+525555555555' }, '2026-12-01T14:00:00Z', false, '2026-12-01T16:00:00Z'],
    ['debtor "EST" in July: 21:30 EDT', { debtorTimezone: 'EST' }, '2026-07-02T01:30:00Z', false, '2026-07-02T12:00:00Z'],
    ['debtor "MST" in July: 08:30 Denver, 07:30 Phoenix', { debtorTimezone: 'MST', phone: '+16024567890' }, '2026-07-01T14:30:00Z', false, '2026-07-01T15:00:00Z'],
    ['debtor "PST" in July: Pacific with DST, 08:00 PDT', { debtorTimezone: 'PST', phone: '+12134567890' }, '2026-07-01T15:00:00Z', true, null],
  ])('%s', (_what, over, now, allowed, next) => {
    const r = evaluateCallRules(input(over as Partial<CallRuleInput>), d(now));
    expect(r.allowed).toBe(allowed);
    if (!r.allowed) {
      expect(r.reason).toBe('OUTSIDE_CALLING_WINDOW');
      expect(r.nextAllowedAt?.toISOString()).toBe(d(next!).toISOString());
    }
  });
});
