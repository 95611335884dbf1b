import { toE164 } from '../../common/phone';
import { CallDecision, CallRuleInput, HoldReason } from './call-rules.types';
import { contactWindowCheck, nextContactMoment, resolveTimezones, startOfLocalDayPlus, timezoneEvidence } from './timezones';

/**
 * The call rules (docs/call-rules.md) as one pure function: same input and clock, same decision. Used by
 * the scheduler at claim time and by CALL_CASE at dial time.
 *
 * Definitions (the conservative readings, see docs/call-rules.md):
 * - 7 attempts in 7 consecutive days: a rolling 7x24h window. At `now`, attempts in (now - 168h, now]
 *   are counted (every outbound attempt, any outcome). With 7 or more, the next attempt is allowed once
 *   the 7th most recent attempt is at least 168h old. (For attempts placed within the lawful hours this
 *   is never earlier than the calendar-day reading in any zone, including DST weeks.)
 * - 7 days after a conversation, the conversation day being day 1: calendar days in each candidate
 *   zone of the debtor; calls are allowed again at local midnight starting day 8 in the LAST of those
 *   zones, then moved to the first moment inside 08:00-21:00 in every zone. A Monday conversation blocks
 *   Monday to Sunday; the next call is the following Monday at 08:00 local.
 * - Calling window: 08:00 <= local time < 21:00 in every candidate zone.
 * - Spacing: no call starts less than MIN_CALL_SPACING_MS after another call attempt of the case
 *   started, whichever path placed it (the scheduler's flow policy, an automation, an on-demand call).
 *   Each path spaces its own calls more widely (cooldowns); this floor is what keeps two paths from
 *   calling one debtor minutes apart when both decided before either dialed.
 */

export const ATTEMPT_LIMIT = 7;
export const ATTEMPT_WINDOW_MS = 7 * 24 * 3600 * 1000;
export const CONVERSATION_BLOCK_DAYS = 7;
/** The least time between the starts of two call attempts of one case. */
export const MIN_CALL_SPACING_MS = 60 * 60 * 1000;
/** A case with a call queued or in progress is looked at again this much later. */
export const CALL_IN_PROGRESS_RETRY_MS = 15 * 60 * 1000;

/** Interaction outcomes that mean the debtor was reached (a conversation). */
export const CONVERSATION_OUTCOMES = ['CONNECTED', 'PROMISE_TO_PAY', 'PAYMENT_PLAN', 'REFUSED', 'CALLBACK_REQUESTED', 'PAID', 'PARTIAL_PAYMENT', 'DO_NOT_CALL'] as const;
export const OPEN_DISPUTE_STATUSES = ['OPEN', 'WAITING_TENANT', 'WAITING_DEBTOR'] as const;
export const BLOCKING_CASE_STATUSES = ['INVALID_CONTACT', 'REFUSED'] as const;

type Hold = Extract<CallDecision, { allowed: false }>;

function hold(reason: HoldReason, detail: string, nextAllowedAt: Date | null, permanent: boolean, extra: Partial<Hold> = {}): Hold {
  return { allowed: false, reason, detail, nextAllowedAt, permanent, ...extra };
}

/** The moment the rolling-window limit lets the next attempt through (null when under the limit). */
export function weeklyLimitReleaseAt(attempts: Date[], now: Date): Date | null {
  const from = now.getTime() - ATTEMPT_WINDOW_MS;
  const inWindow = attempts
    .map((a) => a.getTime())
    .filter((t) => t > from)
    .sort((a, b) => b - a);
  if (inWindow.length < ATTEMPT_LIMIT) return null;
  return new Date(inWindow[ATTEMPT_LIMIT - 1] + ATTEMPT_WINDOW_MS);
}

export function countAttemptsInWindow(attempts: Date[], now: Date): number {
  const from = now.getTime() - ATTEMPT_WINDOW_MS;
  return attempts.filter((a) => a.getTime() > from).length;
}

/** When the spacing after the latest attempt ends (null when it already has). */
export function spacingReleaseAt(lastAttemptAt: Date | null, now: Date): Date | null {
  if (!lastAttemptAt) return null;
  const release = lastAttemptAt.getTime() + MIN_CALL_SPACING_MS;
  return release > now.getTime() ? new Date(release) : null;
}

/** Local midnight that starts day 8 after the conversation, the latest over the zones (null = not blocked). */
export function conversationReleaseAt(lastConversationAt: Date | null, zones: readonly string[], now: Date): Date | null {
  if (!lastConversationAt) return null;
  let release = 0;
  for (const z of zones) release = Math.max(release, startOfLocalDayPlus(lastConversationAt, z, CONVERSATION_BLOCK_DAYS).getTime());
  return release > now.getTime() ? new Date(release) : null;
}

export function evaluateCallRules(input: CallRuleInput, now: Date): CallDecision {
  const checks: string[] = [];

  // Holds that only new data (or a person) can lift: no moment to wait for.
  if (input.closedAt || input.status === 'PAID') {
    return hold('CASE_CLOSED', input.closedAt ? `case closed at ${input.closedAt.toISOString()}` : 'case is PAID', null, true);
  }
  checks.push('case open');
  if ((BLOCKING_CASE_STATUSES as readonly string[]).includes(input.status)) {
    return hold('CASE_STATUS', `case status is ${input.status}`, null, true);
  }
  checks.push(`status ${input.status}`);
  if (input.approvalStatus !== 'APPROVED') {
    return hold('NOT_APPROVED', `approval_status is ${input.approvalStatus}`, null, true);
  }
  checks.push('approved');
  if (!(input.amountDueCents > 0)) {
    return hold('ZERO_BALANCE', `amount due is ${input.amountDueCents} cents`, null, true);
  }
  checks.push(`amount due ${input.amountDueCents} cents > 0`);
  if (input.reconciliationMismatch) {
    return hold('RECONCILIATION_MISMATCH', 'held by a reconciliation mismatch (meta.reconciliation.mismatch)', null, true);
  }
  checks.push('no reconciliation mismatch');
  if (input.doNotCall) return hold('DO_NOT_CALL', 'debtor is marked do_not_call', null, true);
  checks.push('not do_not_call');
  if (input.doNotContact) return hold('DO_NOT_CONTACT', 'debtor is marked do_not_contact', null, true);
  checks.push('not do_not_contact');
  if (input.hasOpenDispute) return hold('OPEN_DISPUTE', `case has a dispute in ${OPEN_DISPUTE_STATUSES.join('/')}`, null, true);
  checks.push('no open dispute');
  const phoneE164 = toE164(input.phone);
  if (!phoneE164) return hold('INVALID_PHONE', input.phone ? 'phone is not a valid number' : 'no phone number', null, true);
  checks.push('phone valid');

  const tz = resolveTimezones({
    debtorTimezone: input.debtorTimezone,
    propertyState: input.propertyState,
    propertyPostalCode: input.propertyPostalCode,
    phoneE164,
    tenantTimezone: input.tenantTimezone,
  });
  const timezones = timezoneEvidence(tz.candidates, now);
  const marginSeconds = input.windowMarginSeconds ?? 0;
  if (!Number.isFinite(marginSeconds) || marginSeconds < 0) {
    throw new Error(`call rules for case ${input.caseId}: windowMarginSeconds must be a number >= 0, got ${String(input.windowMarginSeconds)}`);
  }
  const windowAt = (from: Date) => contactWindowCheck({ channel: 'call', zones: tz.zones, now: from, marginSeconds });
  const lawful = (from: Date) => nextContactMoment(from, tz.zones, marginSeconds);
  const zoneList = tz.zones.join(', ');

  if (input.callInProgress) {
    return hold('CALL_IN_PROGRESS', 'a call of this case is queued or in progress', lawful(new Date(now.getTime() + CALL_IN_PROGRESS_RETRY_MS)), false, { timezones });
  }
  checks.push('no call in progress');

  // Time-based holds: the earliest moment all of them (and the window) allow.
  const convRelease = conversationReleaseAt(input.lastConversationAt, tz.zones, now);
  const weeklyRelease = weeklyLimitReleaseAt(input.recentAttempts, now);
  const spacingRelease = spacingReleaseAt(input.lastAttemptAt, now);
  const notBefore = new Date(Math.max(now.getTime(), convRelease?.getTime() ?? 0, weeklyRelease?.getTime() ?? 0, spacingRelease?.getTime() ?? 0));
  const next = lawful(notBefore);
  if (convRelease) {
    return hold('RECENT_CONVERSATION', `conversation on ${input.lastConversationAt!.toISOString()}: no call for 7 days (day 1 = that day) in ${zoneList}`, next, next === null, { timezones });
  }
  checks.push('no conversation in the last 7 days');
  const attempts = countAttemptsInWindow(input.recentAttempts, now);
  if (weeklyRelease) {
    return hold('WEEKLY_ATTEMPT_LIMIT', `${attempts} attempts in the last 7x24h (limit ${ATTEMPT_LIMIT})`, next, next === null, { timezones });
  }
  checks.push(`${attempts} attempts in the last 7x24h < ${ATTEMPT_LIMIT}`);
  if (spacingRelease) {
    return hold('RECENT_CALL', `a call of this case started at ${input.lastAttemptAt!.toISOString()}: the next may start ${MIN_CALL_SPACING_MS / 60_000} min after it`, next, next === null, { timezones });
  }
  if (input.lastAttemptAt) checks.push(`last call ${input.lastAttemptAt.toISOString()}, ${MIN_CALL_SPACING_MS / 60_000} min or more ago`);
  if (next === null) {
    return hold('NO_TIMEZONE_OVERLAP', `zones ${zoneList} never share an hour inside 08:00-21:00`, null, true, { timezones });
  }
  if (next.getTime() !== now.getTime()) {
    const local = timezones.map((t) => `${t.zone} ${t.localTime.slice(11, 16)}`).join(', ');
    const margin = marginSeconds > 0 ? ` or could still ring at ${windowAt(now).until} (margin ${marginSeconds}s)` : '';
    return hold('OUTSIDE_CALLING_WINDOW', `outside 08:00-21:00 local (${local})${margin}`, next, false, { timezones });
  }
  const window = { marginSeconds, until: new Date(now.getTime() + Math.ceil(marginSeconds) * 1000).toISOString() };
  checks.push(`inside 08:00-21:00 in ${zoneList}${marginSeconds > 0 ? ` until ${window.until} (margin ${marginSeconds}s)` : ''}`);

  return {
    allowed: true,
    evidence: { timezones, checks, phoneE164, evaluatedAt: now.toISOString(), notes: tz.notes, attemptsLast7Days: attempts, window },
  };
}
