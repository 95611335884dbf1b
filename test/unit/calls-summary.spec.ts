import { parseCallSummary, transcriptText } from '../../src/calls/summary/call-summary.schema';
import { planForOutcome } from '../../src/calls/summary/summary-outcomes';

const SID = 'CA' + 'a'.repeat(32);
const base = (over: Record<string, unknown> = {}) => ({
  callSid: SID,
  streamSid: 'MZ1',
  startedAt: '2026-11-28T15:00:00.000Z',
  endedAt: '2026-11-28T15:03:00.000Z',
  transcript: [{ role: 'agent', text: 'Hi' }, 'raw line'],
  events: [],
  final_state: {},
  outcome: 'UNKNOWN',
  summary: 'ok',
  ...over,
});

describe('call summary validation', () => {
  it('accepts the contract shape and keeps extra fields', () => {
    const s = parseCallSummary(JSON.stringify(base({ extra: 1 })));
    expect(s.callSid).toBe(SID);
    expect((s as Record<string, unknown>).extra).toBe(1);
  });
  it.each([
    ['outcome', { outcome: 'MAYBE' }],
    ['callSid', { callSid: 'not-a-sid' }],
    ['endedAt', { endedAt: 'soon' }],
    ['events.0.amount_cents', { events: [{ type: 'PROMISE_TO_PAY', amount_cents: 'lots' }] }],
    ['transcript', { transcript: 'hello' }],
  ])('names the bad field: %s', (field, over) => {
    expect(() => parseCallSummary(JSON.stringify(base(over)))).toThrow(new RegExp(`${field.replace(/\./g, '\\.')}:`));
  });
  it('says when the body is not JSON', () => {
    expect(() => parseCallSummary('{oops')).toThrow(/not valid JSON/);
  });
  it('renders transcript turns as lines', () => {
    expect(transcriptText(base().transcript as never)).toBe('agent: Hi\nraw line');
  });
});

describe('summary outcome -> interaction and case', () => {
  const plan = (over: Record<string, unknown>) => planForOutcome(parseCallSummary(JSON.stringify(base(over))));
  it('PROMISE_TO_PAY with amount and date makes a promise agreement; follow-up the day after', () => {
    const p = plan({ outcome: 'PROMISE_TO_PAY', events: [{ type: 'PROMISE_TO_PAY', amount_cents: 5000, date: '2026-12-05' }] });
    expect(p).toMatchObject({ interactionOutcome: 'PROMISE_TO_PAY', caseStatus: 'PROMISE_TO_PAY', next: 'lawful' });
    expect(p.agreement).toMatchObject({ type: 'PROMISE_TO_PAY', totalAmountCents: 5000, promiseDate: '2026-12-05' });
    expect(p.notBefore?.toISOString()).toBe('2026-12-06T00:00:00.000Z');
  });
  it('PROMISE_TO_PAY without amount or date: no agreement row', () => {
    expect(plan({ outcome: 'PROMISE_TO_PAY', events: [{ type: 'PROMISE_TO_PAY', date: '2026-12-05' }] }).agreement).toBeNull();
  });
  it('PARTIAL_PAYMENT makes an installments plan', () => {
    const p = plan({ outcome: 'PARTIAL_PAYMENT', events: [{ type: 'INSTALLMENT', amount_cents: 300, date: '2027-01-01' }, { type: 'INSTALLMENT', amount_cents: 100, date: '2026-12-01' }] });
    expect(p).toMatchObject({ interactionOutcome: 'PAYMENT_PLAN', caseStatus: 'PAYMENT_PLAN' });
    expect(p.agreement).toMatchObject({ type: 'INSTALLMENTS', totalAmountCents: 400, downPaymentCents: 100, installments: 2, startDate: '2026-12-01' });
  });
  it.each([
    ['REFUSED', 'REFUSED', 'CONTACTED', 'lawful', false],
    ['DO_NOT_CALL', 'REFUSED', 'CONTACTED', 'none', true],
    ['WRONG_NUMBER', 'FAILED', 'INVALID_CONTACT', 'none', false],
    ['NO_ANSWER', 'NO_ANSWER', 'NO_ANSWER', 'lawful', false],
    ['CALLBACK_REQUESTED', 'CALLBACK_REQUESTED', 'CONTACTED', 'lawful', false],
  ])('%s -> %s / case %s / next %s', (outcome, io, cs, next, dnc) => {
    expect(plan({ outcome })).toMatchObject({ interactionOutcome: io, caseStatus: cs, next, doNotCall: dnc });
  });
  it('UNKNOWN: CONNECTED when someone spoke, else NO_ANSWER', () => {
    expect(plan({ outcome: 'UNKNOWN' }).interactionOutcome).toBe('CONNECTED');
    expect(plan({ outcome: 'UNKNOWN', transcript: [] }).interactionOutcome).toBe('NO_ANSWER');
  });
  it('CALLBACK_REQUESTED takes the requested time as the earliest next action', () => {
    expect(plan({ outcome: 'CALLBACK_REQUESTED', events: [{ type: 'CALLBACK_REQUESTED', date: '2026-12-01T18:30:00Z' }] }).notBefore?.toISOString()).toBe('2026-12-01T18:30:00.000Z');
  });
});
