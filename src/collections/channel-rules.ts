import { nanpAreaCode, toE164 } from '../common/phone';
import { memoized } from '../common/memoized';
import { CallDecision, CallRuleInput, evaluateCallRules, nextLawfulMoment, resolveTimezones } from '../calls/rules';

export type Channel = 'call' | 'sms' | 'email';

export type ChannelDecision = { allowed: true } | { allowed: false; reason: string; detail: string; nextAllowedAt: Date | null };

const BLOCKING_STATUSES = ['INVALID_CONTACT', 'REFUSED'];

// The zones depend on the number only through its area code: debtors of a tick share a few keys.
const zonesMemo = memoized((key: string): string[] => {
  const [debtorTimezone, propertyState, propertyPostalCode, areaCode, tenantTimezone] = JSON.parse(key) as (string | null)[];
  return resolveTimezones({ debtorTimezone, propertyState, propertyPostalCode, phoneE164: areaCode ? `+1${areaCode}0000000` : null, tenantTimezone }).zones as string[];
}, 20000);

/** Every candidate zone of the debtor (debtor zone, property state/postal code, phone area code, tenant). */
export function debtorZones(input: CallRuleInput): string[] {
  const areaCode = nanpAreaCode(toE164(input.phone));
  return zonesMemo(JSON.stringify([input.debtorTimezone, input.propertyState, input.propertyPostalCode, areaCode, input.tenantTimezone]));
}

/**
 * The rules of the call-rules module that apply to a channel. A call goes through all of them
 * (window at the debtor's location, 7-in-7, 7 days after a conversation, do-not-call, ...). A text or
 * an email is an electronic communication: the inconvenient-time rule (08:00-21:00 at the debtor's
 * location), do-not-contact, disputes, approval and a closed or zero-balance case apply; the call
 * frequency rules do not. A text is also held by do-not-call (under the TCPA a text message is a call,
 * and SMS_CASE holds it too: the tick must not enqueue what the send step refuses) and needs a valid
 * phone; the email address is checked by the EMAIL_CASE handler, which reads it.
 */
export function evaluateChannel(channel: Channel, input: CallRuleInput, now: Date, zones: readonly string[]): ChannelDecision {
  if (channel === 'call') {
    const d: CallDecision = evaluateCallRules(input, now);
    return d.allowed ? { allowed: true } : { allowed: false, reason: d.reason, detail: d.detail, nextAllowedAt: d.nextAllowedAt };
  }
  const hold = (reason: string, detail: string, nextAllowedAt: Date | null = null): ChannelDecision => ({ allowed: false, reason, detail, nextAllowedAt });
  if (input.closedAt || input.status === 'PAID') return hold('CASE_CLOSED', input.closedAt ? `case closed at ${input.closedAt.toISOString()}` : 'case is PAID');
  if (BLOCKING_STATUSES.includes(input.status)) return hold('CASE_STATUS', `case status is ${input.status}`);
  if (input.approvalStatus !== 'APPROVED') return hold('NOT_APPROVED', `approval_status is ${input.approvalStatus}`);
  if (!(input.amountDueCents > 0)) return hold('ZERO_BALANCE', `amount due is ${input.amountDueCents} cents`);
  if (input.reconciliationMismatch) return hold('RECONCILIATION_MISMATCH', 'held by a reconciliation mismatch');
  if (input.doNotContact) return hold('DO_NOT_CONTACT', 'debtor is marked do_not_contact');
  if (input.hasOpenDispute) return hold('OPEN_DISPUTE', 'case has an open dispute');
  if (channel === 'sms' && input.doNotCall) return hold('DO_NOT_CALL', 'debtor is marked do_not_call (a text message is a call under the TCPA)');
  if (channel === 'sms' && !toE164(input.phone)) return hold('INVALID_PHONE', input.phone ? 'phone is not a valid number' : 'no phone number');
  const next = nextLawfulMoment(now, zones);
  if (next === null) return hold('NO_TIMEZONE_OVERLAP', `zones ${zones.join(', ')} never share an hour inside 08:00-21:00`);
  if (next.getTime() !== now.getTime()) return hold('OUTSIDE_CALLING_WINDOW', `outside 08:00-21:00 local in ${zones.join(', ')}`, next);
  return { allowed: true };
}
