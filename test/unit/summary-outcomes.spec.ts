import { CallSummary } from '../../src/calls/summary/call-summary.schema';
import { planForOutcome } from '../../src/calls/summary/summary-outcomes';

/** The plan of each summary outcome, field by field (which events count, which date wins). */

const summary = (over: Partial<CallSummary>): CallSummary =>
  ({
    callSid: 'CA' + 'a'.repeat(32),
    streamSid: 'MZ1',
    startedAt: '2026-11-28T15:00:00.000Z',
    endedAt: '2026-11-28T15:03:00.000Z',
    transcript: [{ role: 'agent', text: 'Hi' }],
    events: [],
    final_state: {},
    outcome: 'UNKNOWN',
    summary: 'ok',
    ...over,
  }) as CallSummary;

describe('PROMISE_TO_PAY', () => {
  it('the latest promise by date wins, with its note and every event in the terms', () => {
    const events = [
      { type: 'PROMISE_TO_PAY', amount_cents: 5000, date: '2026-12-10T15:00:00Z', note: 'second' },
      { type: 'PROMISE_TO_PAY', amount_cents: 3000, date: '2026-12-05', note: 'first' },
      { type: 'PAYMENT', amount_cents: 9999, date: '2026-12-20' }, // not a promise: ignored while promises exist
    ];
    const p = planForOutcome(summary({ outcome: 'PROMISE_TO_PAY', events }));
    expect(p).toEqual({
      interactionOutcome: 'PROMISE_TO_PAY',
      caseStatus: 'PROMISE_TO_PAY',
      next: 'lawful',
      notBefore: new Date('2026-12-11T00:00:00.000Z'),
      doNotCall: false,
      agreement: {
        type: 'PROMISE_TO_PAY',
        totalAmountCents: 5000,
        downPaymentCents: null,
        installments: null,
        startDate: null,
        promiseDate: '2026-12-10',
        terms: { source: 'call-summary', note: 'second', events },
      },
    });
  });

  it('no event typed as a promise: any money event counts; a missing note is null', () => {
    const p = planForOutcome(summary({ outcome: 'PROMISE_TO_PAY', events: [{ type: 'OTHER', amount_cents: 700, date: '2026-12-31' }] }));
    expect(p.agreement).toMatchObject({ totalAmountCents: 700, promiseDate: '2026-12-31', terms: { note: null } });
    expect(p.notBefore).toEqual(new Date('2027-01-01T00:00:00.000Z'));
  });

  it('events without a positive amount or without a date are not promises', () => {
    const p = planForOutcome(
      summary({
        outcome: 'PROMISE_TO_PAY',
        events: [
          { type: 'PROMISE_TO_PAY', amount_cents: 0, date: '2026-12-05' },
          { type: 'PROMISE_TO_PAY', amount_cents: -5, date: '2026-12-06' },
          { type: 'PROMISE_TO_PAY', amount_cents: 100, date: null },
          { type: 'PROMISE_TO_PAY', amount_cents: null, date: '2026-12-07' },
        ],
      }),
    );
    expect(p).toMatchObject({ interactionOutcome: 'PROMISE_TO_PAY', caseStatus: 'PROMISE_TO_PAY', next: 'lawful', agreement: null, notBefore: null });
  });

  it('two promises for the same day: the one stated last wins', () => {
    const p = planForOutcome(
      summary({ outcome: 'PROMISE_TO_PAY', events: [{ type: 'PROMISE_TO_PAY', amount_cents: 100, date: '2026-12-05' }, { type: 'PROMISE_TO_PAY', amount_cents: 200, date: '2026-12-05' }] }),
    );
    expect(p.agreement?.totalAmountCents).toBe(200);
  });

  it('an amount that is not a number is not money (even if it looks like one)', () => {
    const events = [{ type: 'PROMISE_TO_PAY', amount_cents: '500', date: '2026-12-05' }] as unknown as CallSummary['events'];
    expect(planForOutcome(summary({ outcome: 'PROMISE_TO_PAY', events })).agreement).toBeNull();
  });

  it('the type match ignores case', () => {
    const p = planForOutcome(
      summary({ outcome: 'PROMISE_TO_PAY', events: [{ type: 'promise', amount_cents: 10, date: '2026-12-01' }, { type: 'OTHER', amount_cents: 20, date: '2026-12-09' }] }),
    );
    expect(p.agreement?.totalAmountCents).toBe(10);
  });
});

describe('PARTIAL_PAYMENT', () => {
  it('an installments plan in date order: down payment = the first, total = all', () => {
    const p = planForOutcome(
      summary({
        outcome: 'PARTIAL_PAYMENT',
        events: [
          { type: 'INSTALLMENT', amount_cents: 300, date: '2027-01-15', note: 'b' },
          { type: 'payment', amount_cents: 100, date: '2026-12-15T12:00:00Z' },
          { type: 'PLAN', amount_cents: 200, date: '2027-01-01' },
          { type: 'NOTE', amount_cents: 5000, date: '2026-12-01' }, // not a payment type
        ],
      }),
    );
    expect(p).toEqual({
      interactionOutcome: 'PAYMENT_PLAN',
      caseStatus: 'PAYMENT_PLAN',
      next: 'lawful',
      notBefore: new Date('2026-12-16T00:00:00.000Z'),
      doNotCall: false,
      agreement: {
        type: 'INSTALLMENTS',
        totalAmountCents: 600,
        downPaymentCents: 100,
        installments: 3,
        startDate: '2026-12-15',
        promiseDate: '2026-12-15',
        terms: {
          source: 'call-summary',
          schedule: [
            { amountCents: 100, date: '2026-12-15', note: null },
            { amountCents: 200, date: '2027-01-01', note: null },
            { amountCents: 300, date: '2027-01-15', note: 'b' },
          ],
        },
      },
    });
  });

  it('no money events: no plan, no date', () => {
    expect(planForOutcome(summary({ outcome: 'PARTIAL_PAYMENT', events: [{ type: 'PAYMENT', date: '2026-12-01' }] }))).toMatchObject({
      interactionOutcome: 'PAYMENT_PLAN',
      agreement: null,
      notBefore: null,
    });
  });
});

describe('CALLBACK_REQUESTED', () => {
  it('a callback event wins over an earlier event with a date', () => {
    const p = planForOutcome(
      summary({ outcome: 'CALLBACK_REQUESTED', events: [{ type: 'NOTE', date: '2026-12-01T10:00:00Z' }, { type: 'callback', date: '2026-12-02T18:30:00Z' }] }),
    );
    expect(p).toEqual({ interactionOutcome: 'CALLBACK_REQUESTED', caseStatus: 'CONTACTED', next: 'lawful', notBefore: new Date('2026-12-02T18:30:00Z'), agreement: null, doNotCall: false });
  });
  it('without a callback event, the first event with a date; a callback event without a date is skipped', () => {
    const p = planForOutcome(
      summary({ outcome: 'CALLBACK_REQUESTED', events: [{ type: 'CALLBACK', date: null }, { type: 'NOTE' }, { type: 'NOTE', date: '2026-12-03T09:00:00Z' }] }),
    );
    expect(p.notBefore).toEqual(new Date('2026-12-03T09:00:00Z'));
  });
  it('no date at all: no time', () => {
    expect(planForOutcome(summary({ outcome: 'CALLBACK_REQUESTED', events: [{ type: 'CALLBACK' }] })).notBefore).toBeNull();
  });
});

describe('the other outcomes', () => {
  it.each([
    ['REFUSED', { interactionOutcome: 'REFUSED', caseStatus: 'CONTACTED', next: 'lawful', doNotCall: false }],
    ['DO_NOT_CALL', { interactionOutcome: 'REFUSED', caseStatus: 'CONTACTED', next: 'none', doNotCall: true }],
    ['WRONG_NUMBER', { interactionOutcome: 'FAILED', caseStatus: 'INVALID_CONTACT', next: 'none', doNotCall: false }],
    ['NO_ANSWER', { interactionOutcome: 'NO_ANSWER', caseStatus: 'NO_ANSWER', next: 'lawful', doNotCall: false }],
  ] as const)('%s', (outcome, plan) => {
    const events = [{ type: 'PROMISE_TO_PAY', amount_cents: 100, date: '2026-12-01' }];
    expect(planForOutcome(summary({ outcome, events }))).toEqual({ ...plan, notBefore: null, agreement: null });
  });
  it('UNKNOWN: someone spoke -> CONNECTED / CONTACTED; silence -> NO_ANSWER / NO_ANSWER', () => {
    expect(planForOutcome(summary({ outcome: 'UNKNOWN' }))).toEqual({ interactionOutcome: 'CONNECTED', caseStatus: 'CONTACTED', next: 'lawful', notBefore: null, agreement: null, doNotCall: false });
    expect(planForOutcome(summary({ outcome: 'UNKNOWN', transcript: [] }))).toEqual({ interactionOutcome: 'NO_ANSWER', caseStatus: 'NO_ANSWER', next: 'lawful', notBefore: null, agreement: null, doNotCall: false });
  });
});
