/**
 * The call rules (docs/call-rules.md), as one module shared by the scheduler (at claim time)
 * and CALL_CASE (at dial time). Pure functions over this input; loaders that fill it from Postgres
 * live beside them. These types are the contract between the rules, the scheduler and CALL_CASE.
 */

export type HoldReason =
  | 'OUTSIDE_CALLING_WINDOW'
  | 'NO_TIMEZONE_OVERLAP'
  | 'WEEKLY_ATTEMPT_LIMIT' // 7 attempts in 7 consecutive days
  | 'RECENT_CONVERSATION' // 7 days after a conversation (day of conversation = day 1)
  | 'RECENT_CALL' // another call of the case started less than an hour ago, whichever path placed it
  | 'DO_NOT_CALL'
  | 'DO_NOT_CONTACT'
  | 'OPEN_DISPUTE'
  | 'NOT_APPROVED'
  | 'CASE_CLOSED'
  | 'CASE_STATUS' // INVALID_CONTACT or REFUSED
  | 'ZERO_BALANCE'
  | 'INVALID_PHONE'
  | 'RECONCILIATION_MISMATCH'
  | 'CALL_IN_PROGRESS';

export interface CallRuleInput {
  caseId: string;
  tenantId: string;
  status: string;
  closedAt: Date | null;
  approvalStatus: string;
  amountDueCents: number;
  /** held by a reconciliation mismatch (debt_cases.meta.reconciliation.mismatch === true) */
  reconciliationMismatch: boolean;
  /** raw phone as stored; validated by the rules */
  phone: string | null;
  doNotCall: boolean;
  doNotContact: boolean;
  hasOpenDispute: boolean;
  /** IANA zone from the debtor record, if any */
  debtorTimezone: string | null;
  /** property address of the case's lease */
  propertyState: string | null;
  propertyPostalCode: string | null;
  /** the tenant's timezone: used only when no other candidate is known */
  tenantTimezone: string;
  /** start times of every call attempt of this case in the last 14 days (any outcome) */
  recentAttempts: Date[];
  /**
   * start time of the latest call attempt of this case other than the caller's own interaction (a
   * redelivered CALL_CASE does not space itself from its own record)
   */
  lastAttemptAt: Date | null;
  /** start time of the latest call where the debtor was reached (conversation), if any */
  lastConversationAt: Date | null;
  /** an interaction of this case is queued or in progress */
  callInProgress: boolean;
  /**
   * Seconds after the check that the call may still ring (ring timeout + provider queue delay, see
   * callMarginSeconds): the whole span must be inside 08:00-21:00. 0 or absent at claim time.
   */
  windowMarginSeconds?: number;
}

export interface TimezoneEvidence {
  zone: string;
  source: 'debtor' | 'property_state' | 'property_postal_code' | 'area_code' | 'phone_country' | 'tenant';
  localTime: string; // ISO local time at `now`
}

export type CallDecision =
  | {
      allowed: true;
      /** evidence kept on the interaction (docs/call-rules.md, evidence) */
      evidence: {
        timezones: TimezoneEvidence[];
        checks: string[];
        phoneE164: string;
        evaluatedAt: string;
        /** (added by the rules module) candidates that could not be used: unknown area code, unknown state... */
        notes?: string[];
        /** (added) attempts counted in the rolling 7x24h window before this call */
        attemptsLast7Days?: number;
        /** (added) the span the window was checked over: evaluatedAt + marginSeconds */
        window?: { marginSeconds: number; until: string };
      };
    }
  | {
      allowed: false;
      reason: HoldReason;
      detail: string;
      /** earliest moment the rule allows a call; null = never on its own (needs a human or new data) */
      nextAllowedAt: Date | null;
      /** the case must not be called again for this reason until data changes (e.g. INVALID_PHONE) */
      permanent: boolean;
      /** (added) the candidate zones the decision used, when the rules got that far */
      timezones?: TimezoneEvidence[];
    };
