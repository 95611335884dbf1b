import { CallSummary, SummaryEvent, SummaryOutcome } from './call-summary.schema';

/**
 * What a summary outcome does (SYNC_CALL_SUMMARY). The interaction outcome must be one of
 * the API's values (docs/schema.md, vocabularies); the raw summary outcome is kept in ai_data.summary.outcome.
 *
 * | summary outcome     | interaction outcome          | case status     | next action                          |
 * |---------------------|------------------------------|-----------------|--------------------------------------|
 * | PROMISE_TO_PAY      | PROMISE_TO_PAY               | PROMISE_TO_PAY  | day after the promise date, lawful   |
 * | PARTIAL_PAYMENT     | PAYMENT_PLAN                 | PAYMENT_PLAN    | day after the first installment      |
 * | REFUSED             | REFUSED                      | CONTACTED       | next lawful attempt                  |
 * | CALLBACK_REQUESTED  | CALLBACK_REQUESTED           | CONTACTED       | requested time, moved into the rules |
 * | DO_NOT_CALL         | REFUSED (+ debtor do_not_call)| CONTACTED      | none (never called again)            |
 * | WRONG_NUMBER        | FAILED                       | INVALID_CONTACT | none                                 |
 * | NO_ANSWER           | NO_ANSWER                    | NO_ANSWER       | next lawful attempt                  |
 * | UNKNOWN             | CONNECTED if anyone spoke, else NO_ANSWER | CONTACTED / NO_ANSWER | next lawful attempt |
 *
 * A verbal refusal is not a stop condition (a written refusal or cease request is, and needs a
 * person), so REFUSED keeps the case callable under the 7-day conversation rule.
 */
export interface OutcomePlan {
  interactionOutcome: string | null;
  caseStatus: string;
  /** 'none' = no further calls; 'lawful' = next lawful attempt from `notBefore` */
  next: 'none' | 'lawful';
  /** earliest time the next action may be (before the rules move it) */
  notBefore: Date | null;
  agreement: AgreementPlan | null;
  doNotCall: boolean;
}

export interface AgreementPlan {
  type: 'PROMISE_TO_PAY' | 'INSTALLMENTS';
  totalAmountCents: number;
  downPaymentCents: number | null;
  installments: number | null;
  startDate: string | null;
  promiseDate: string | null;
  terms: Record<string, unknown>;
}

const day = (s: string) => s.slice(0, 10);
const dayAfter = (s: string) => new Date(Date.parse(`${day(s)}T00:00:00Z`) + 24 * 3600 * 1000);

function moneyEvents(events: SummaryEvent[], typePattern: RegExp): { amount: number; date: string; note: string | null; type: string }[] {
  const all = events
    .filter((e) => typeof e.amount_cents === 'number' && e.amount_cents > 0 && typeof e.date === 'string')
    .map((e) => ({ amount: e.amount_cents as number, date: e.date as string, note: e.note ?? null, type: e.type }));
  const typed = all.filter((e) => typePattern.test(e.type));
  return (typed.length > 0 ? typed : all).sort((a, b) => (a.date < b.date ? -1 : 1));
}

export function planForOutcome(s: CallSummary): OutcomePlan {
  const base = { agreement: null, doNotCall: false, notBefore: null } as const;
  const o: SummaryOutcome = s.outcome;
  switch (o) {
    case 'PROMISE_TO_PAY': {
      const ev = moneyEvents(s.events, /PROMISE/i);
      const first = ev.length > 0 ? ev[ev.length - 1] : null; // the latest promise stated wins
      return {
        ...base,
        interactionOutcome: 'PROMISE_TO_PAY',
        caseStatus: 'PROMISE_TO_PAY',
        next: 'lawful',
        notBefore: first ? dayAfter(first.date) : null,
        agreement: first
          ? { type: 'PROMISE_TO_PAY', totalAmountCents: first.amount, downPaymentCents: null, installments: null, startDate: null, promiseDate: day(first.date), terms: { source: 'call-summary', note: first.note, events: s.events } }
          : null,
      };
    }
    case 'PARTIAL_PAYMENT': {
      const ev = moneyEvents(s.events, /PAY|INSTALL|PLAN/i);
      const total = ev.reduce((n, e) => n + e.amount, 0);
      return {
        ...base,
        interactionOutcome: 'PAYMENT_PLAN',
        caseStatus: 'PAYMENT_PLAN',
        next: 'lawful',
        notBefore: ev.length > 0 ? dayAfter(ev[0].date) : null,
        agreement:
          ev.length > 0
            ? {
                type: 'INSTALLMENTS',
                totalAmountCents: total,
                downPaymentCents: ev[0].amount,
                installments: ev.length,
                startDate: day(ev[0].date),
                promiseDate: day(ev[0].date),
                terms: { source: 'call-summary', schedule: ev.map((e) => ({ amountCents: e.amount, date: day(e.date), note: e.note })) },
              }
            : null,
      };
    }
    case 'REFUSED':
      return { ...base, interactionOutcome: 'REFUSED', caseStatus: 'CONTACTED', next: 'lawful' };
    case 'CALLBACK_REQUESTED': {
      const ev = s.events.find((e) => /CALLBACK/i.test(e.type) && typeof e.date === 'string') ?? s.events.find((e) => typeof e.date === 'string');
      return { ...base, interactionOutcome: 'CALLBACK_REQUESTED', caseStatus: 'CONTACTED', next: 'lawful', notBefore: ev?.date ? new Date(ev.date) : null };
    }
    case 'DO_NOT_CALL':
      return { ...base, interactionOutcome: 'REFUSED', caseStatus: 'CONTACTED', next: 'none', doNotCall: true };
    case 'WRONG_NUMBER':
      return { ...base, interactionOutcome: 'FAILED', caseStatus: 'INVALID_CONTACT', next: 'none' };
    case 'NO_ANSWER':
      return { ...base, interactionOutcome: 'NO_ANSWER', caseStatus: 'NO_ANSWER', next: 'lawful' };
    // Stryker disable next-line StringLiteral: equivalent: UNKNOWN shares its branch with default, so a changed label still lands there
    case 'UNKNOWN':
    default: {
      const spoke = s.transcript.length > 0;
      return { ...base, interactionOutcome: spoke ? 'CONNECTED' : 'NO_ANSWER', caseStatus: spoke ? 'CONTACTED' : 'NO_ANSWER', next: 'lawful' };
    }
  }
}
