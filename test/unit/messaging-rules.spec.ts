import { CallRuleInput } from '../../src/calls/rules';
import { callRuleInput } from '../utils/call-rule-input';
import { ChannelFlag, evaluateMessageRules, isValidEmail, MessageChannel } from '../../src/messaging/message-rules';

/** A debtor in New York by their own record, not only by area code. */
function rules(over: Partial<CallRuleInput> = {}): CallRuleInput {
  return callRuleInput({ phone: '+12125550123', debtorTimezone: 'America/New_York', ...over });
}

// 15:00 UTC = 10:00 in New York (EST), 07:00 in Los Angeles
const NOON_NY = new Date('2026-12-01T15:00:00Z');
const decide = (channel: MessageChannel, over: Partial<CallRuleInput> = {}, o: { email?: string | null; flag?: ChannelFlag | null; at?: Date } = {}) =>
  evaluateMessageRules({ channel, rules: rules(over), email: o.email === undefined ? 'pat@mail.example' : o.email, channelFlag: o.flag ?? null }, o.at ?? NOON_NY);

describe('message rules', () => {
  it('allows inside 08:00-21:00 at the debtor, with the recipient and the checks', () => {
    const sms = decide('SMS');
    expect(sms).toMatchObject({ allowed: true, to: '+12125550123' });
    const mail = decide('EMAIL');
    expect(mail).toMatchObject({ allowed: true, to: 'pat@mail.example' });
    if (mail.allowed) expect(mail.evidence.checks).toEqual(expect.arrayContaining(['approved', 'not do_not_contact', 'no open dispute', 'EMAIL not opted out']));
  });

  it.each([
    ['CASE_CLOSED', { status: 'PAID' }],
    ['CASE_STATUS', { status: 'REFUSED' }],
    ['NOT_APPROVED', { approvalStatus: 'PENDING_APPROVAL' }],
    ['ZERO_BALANCE', { amountDueCents: 0 }],
    ['DO_NOT_CONTACT', { doNotContact: true }],
    ['OPEN_DISPUTE', { hasOpenDispute: true }],
  ] as const)('%s holds both channels, permanently (no moment to wait for)', (reason, over) => {
    for (const ch of ['SMS', 'EMAIL'] as const) expect(decide(ch, over)).toMatchObject({ allowed: false, reason, nextAllowedAt: null, permanent: true });
  });

  it('do_not_call and a case INVALID_CONTACT hold SMS, not email', () => {
    expect(decide('SMS', { doNotCall: true })).toMatchObject({ allowed: false, reason: 'DO_NOT_CALL' });
    expect(decide('EMAIL', { doNotCall: true }).allowed).toBe(true);
    expect(decide('SMS', { status: 'INVALID_CONTACT' })).toMatchObject({ allowed: false, reason: 'CASE_STATUS' });
    expect(decide('EMAIL', { status: 'INVALID_CONTACT' }).allowed).toBe(true);
  });

  it('a missing or bad contact, and a channel the provider refused or the debtor left', () => {
    expect(decide('SMS', { phone: null })).toMatchObject({ reason: 'NO_CONTACT' });
    expect(decide('SMS', { phone: '12' })).toMatchObject({ reason: 'INVALID_CONTACT' });
    expect(decide('EMAIL', {}, { email: null })).toMatchObject({ reason: 'NO_CONTACT' });
    expect(decide('EMAIL', {}, { email: 'pat at mail' })).toMatchObject({ reason: 'INVALID_CONTACT' });
    expect(decide('SMS', {}, { flag: { status: 'opted_out', code: '21610' } })).toMatchObject({ reason: 'CHANNEL_OPTED_OUT' });
    expect(decide('EMAIL', {}, { flag: { status: 'invalid', code: 'BadRequestException' } })).toMatchObject({ reason: 'CHANNEL_INVALID' });
    expect(isValidEmail(' a@b.co ')).toBe(true);
    expect(isValidEmail('a@b')).toBe(false);
  });

  it('outside the window at any candidate zone: held until the next lawful moment (margin 0)', () => {
    // a Los Angeles number for a New York debtor: 07:00 in LA -> held until 08:00 LA = 16:00 UTC
    const d = decide('SMS', { phone: '+12135550123' });
    expect(d).toMatchObject({ allowed: false, reason: 'OUTSIDE_WINDOW', permanent: false });
    if (!d.allowed) expect(d.nextAllowedAt?.toISOString()).toBe('2026-12-01T16:00:00.000Z');
    // the email has no area code: the New York debtor alone decides
    expect(decide('EMAIL', { phone: '+12135550123' }).allowed).toBe(true);
    // exactly 21:00 in New York is closed; 20:59 is open
    expect(decide('EMAIL', {}, { at: new Date('2026-12-02T02:00:00Z') })).toMatchObject({ reason: 'OUTSIDE_WINDOW' });
    expect(decide('EMAIL', {}, { at: new Date('2026-12-02T01:59:00Z') }).allowed).toBe(true);
  });
});
