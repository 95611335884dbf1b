import { toE164 } from '../common/phone';
import { CallRuleInput, localIso, nextLawfulMoment, OPEN_DISPUTE_STATUSES, resolveTimezones, TimezoneEvidence } from '../calls/rules';

/**
 * Whether an SMS or an email may go to a case's debtor now: one pure function over the call rules'
 * input (case, debtor flags, dispute, addresses, zones) plus the message's own contact and the
 * debtor's per-channel flags. Deliberate choices:
 *  - The window is the calls' one (08:00-21:00 in every candidate zone of the debtor: Reg F's
 *    inconvenient times apply to texts and emails too), with no margin: a message is instant. For SMS
 *    the number's area code is a candidate zone; for email it is not.
 *  - do_not_contact and an open dispute block every channel; do_not_call also blocks SMS (a text is a
 *    call for the TCPA) but not email.
 *  - The 7-in-7 call limit and the 7 days after a conversation are call rules (Reg F 1006.14 counts
 *    telephone calls): not applied to messages. The strategy's own cadence is the tick's.
 *  - A case INVALID_CONTACT (its number failed) blocks SMS, not email; REFUSED blocks both.
 */

export type MessageChannel = 'SMS' | 'EMAIL';

export type MessageHoldReason =
  | 'CASE_CLOSED'
  | 'CASE_STATUS'
  | 'NOT_APPROVED'
  | 'ZERO_BALANCE'
  | 'RECONCILIATION_MISMATCH'
  | 'DO_NOT_CONTACT'
  | 'DO_NOT_CALL'
  | 'OPEN_DISPUTE'
  | 'NO_CONTACT'
  | 'INVALID_CONTACT'
  | 'CHANNEL_OPTED_OUT'
  | 'CHANNEL_INVALID'
  | 'NO_TIMEZONE_OVERLAP'
  | 'OUTSIDE_WINDOW';

/** What the workers recorded about one channel of a debtor (worker_debtor_flags.source.channels.<sms|email>). */
export interface ChannelFlag {
  status: 'invalid' | 'opted_out';
  code?: string | null;
  at?: string;
}

export interface MessageRuleInput {
  channel: MessageChannel;
  rules: CallRuleInput;
  /** the debtor's email address (EMAIL only) */
  email: string | null;
  channelFlag: ChannelFlag | null;
}

export type MessageDecision =
  | { allowed: true; to: string; evidence: { checks: string[]; timezones: TimezoneEvidence[]; evaluatedAt: string; notes: string[] } }
  | { allowed: false; reason: MessageHoldReason; detail: string; nextAllowedAt: Date | null; permanent: boolean };

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function isValidEmail(v: string | null | undefined): v is string {
  return !!v && v.length <= 254 && EMAIL.test(v.trim());
}

function hold(reason: MessageHoldReason, detail: string, nextAllowedAt: Date | null = null, permanent = true): MessageDecision {
  return { allowed: false, reason, detail, nextAllowedAt, permanent };
}

export function evaluateMessageRules(input: MessageRuleInput, now: Date): MessageDecision {
  const r = input.rules;
  const ch = input.channel;
  const checks: string[] = [];
  if (r.closedAt || r.status === 'PAID') return hold('CASE_CLOSED', r.closedAt ? `case closed at ${r.closedAt.toISOString()}` : 'case is PAID');
  if (r.status === 'REFUSED' || (ch === 'SMS' && r.status === 'INVALID_CONTACT')) return hold('CASE_STATUS', `case status is ${r.status}`);
  checks.push(`case open (${r.status})`);
  if (r.approvalStatus !== 'APPROVED') return hold('NOT_APPROVED', `approval_status is ${r.approvalStatus}: the case needs approval before any message`);
  checks.push('approved');
  if (!(r.amountDueCents > 0)) return hold('ZERO_BALANCE', `amount due is ${r.amountDueCents} cents`);
  checks.push(`amount due ${r.amountDueCents} cents > 0`);
  if (r.reconciliationMismatch) return hold('RECONCILIATION_MISMATCH', 'held by a reconciliation mismatch (meta.reconciliation.mismatch)');
  if (r.doNotContact) return hold('DO_NOT_CONTACT', 'debtor is marked do_not_contact');
  checks.push('not do_not_contact');
  if (ch === 'SMS' && r.doNotCall) return hold('DO_NOT_CALL', 'debtor is marked do_not_call (a text message is a call under the TCPA)');
  if (r.hasOpenDispute) return hold('OPEN_DISPUTE', `case has a dispute in ${OPEN_DISPUTE_STATUSES.join('/')}`);
  checks.push('no open dispute');

  let to: string;
  let phoneE164: string | null = null;
  if (ch === 'SMS') {
    if (!r.phone) return hold('NO_CONTACT', 'debtor has no phone number');
    phoneE164 = toE164(r.phone);
    if (!phoneE164) return hold('INVALID_CONTACT', 'debtor phone is not a valid number');
    to = phoneE164;
  } else {
    if (!input.email || input.email.trim() === '') return hold('NO_CONTACT', 'debtor has no email address');
    if (!isValidEmail(input.email)) return hold('INVALID_CONTACT', 'debtor email is not a valid address');
    to = input.email.trim();
  }
  checks.push(`${ch === 'SMS' ? 'phone' : 'email'} valid`);
  if (input.channelFlag?.status === 'opted_out') {
    return hold('CHANNEL_OPTED_OUT', `debtor opted out of ${ch}${input.channelFlag.code ? ` (provider code ${input.channelFlag.code})` : ''}${input.channelFlag.at ? ` at ${input.channelFlag.at}` : ''}`);
  }
  if (input.channelFlag?.status === 'invalid') {
    return hold('CHANNEL_INVALID', `the provider refused this ${ch === 'SMS' ? 'number' : 'address'} before${input.channelFlag.code ? ` (code ${input.channelFlag.code})` : ''}`);
  }
  checks.push(`${ch} not opted out`);

  const tz = resolveTimezones({
    debtorTimezone: r.debtorTimezone,
    propertyState: r.propertyState,
    propertyPostalCode: r.propertyPostalCode,
    phoneE164,
    tenantTimezone: r.tenantTimezone,
  });
  const timezones: TimezoneEvidence[] = tz.candidates.map((c) => ({ zone: c.zone, source: c.source, localTime: localIso(now, c.zone) }));
  const next = nextLawfulMoment(now, tz.zones);
  if (next === null) return hold('NO_TIMEZONE_OVERLAP', `zones ${tz.zones.join(', ')} never share an hour inside 08:00-21:00`);
  if (next.getTime() !== now.getTime()) {
    const local = timezones.map((t) => `${t.zone} ${t.localTime.slice(11, 16)}`).join(', ');
    return hold('OUTSIDE_WINDOW', `outside 08:00-21:00 local (${local})`, next, false);
  }
  checks.push(`inside 08:00-21:00 in ${tz.zones.join(', ')}`);
  return { allowed: true, to, evidence: { checks, timezones, evaluatedAt: now.toISOString(), notes: tz.notes } };
}
