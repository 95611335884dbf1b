import type { CallRuleInput } from '../../src/calls/rules/call-rules.types';

/**
 * A complete CallRuleInput for unit tests: an approved, open case with a balance, a valid New York
 * number (area code 212), no debtor or property zone (so the area code decides), a New York tenant,
 * no attempts, no conversation, no call in progress and no dial margin. The latest attempt
 * (lastAttemptAt) is the latest of recentAttempts unless a test names it, as the loader reads both
 * from the same rows. Every rule passes, so the
 * default is allowed whenever it is 08:00-21:00 in New York, e.g. Monday 2026-11-30 15:00Z (10:00 EST);
 * a test overrides only the fields it is about, and what it does not name cannot be the reason for
 * its outcome.
 *
 * The call-rules specs pin the evidence these defaults produce (the New York zone from the area code,
 * the case id in error messages, 'amount due 125000 cents > 0'), so changing a default changes what
 * they assert.
 */
export function callRuleInput(overrides: Partial<CallRuleInput> = {}): CallRuleInput {
  const attempts = overrides.recentAttempts ?? [];
  const latest = attempts.length > 0 ? new Date(Math.max(...attempts.map((a) => a.getTime()))) : null;
  return {
    caseId: '00000000-0000-4000-8000-000000000001',
    tenantId: '00000000-0000-4000-8000-0000000000aa',
    status: 'NEW',
    closedAt: null,
    approvalStatus: 'APPROVED',
    amountDueCents: 125000,
    reconciliationMismatch: false,
    phone: '+12124567890', // New York area code
    doNotCall: false,
    doNotContact: false,
    hasOpenDispute: false,
    debtorTimezone: null,
    propertyState: null,
    propertyPostalCode: null,
    tenantTimezone: 'America/New_York',
    recentAttempts: [],
    lastAttemptAt: latest,
    lastConversationAt: null,
    callInProgress: false,
    ...overrides,
  };
}
