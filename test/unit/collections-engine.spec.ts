import { CallRuleInput } from '../../src/calls/rules';
import { callRuleInput } from '../utils/call-rule-input';
import { inWindowEverywhere, nextMomentInWindow, parseTimeWindow } from '../../src/collections/time-window';
import { decide, DueState, resolveTemplate, slotStart } from '../../src/collections/tick-decision';
import { acquirePmsSyncLock, LockRedis, pmsSyncLockKey, releasePmsSyncLock } from '../../src/collections/pms-sync-lock';
import { maintenancePeriodStart } from '../../src/collections/collections.schedule';
import { JOB_IDS, validateJob } from '../../src/queues/job-catalog';

// 2026-12-02 18:00 UTC: 10:00 Los Angeles, 13:00 New York, 08:00 Honolulu
const AT = new Date('2026-12-02T18:00:00.000Z');

/** The case and tenant of state(), with a Los Angeles number (area code 213). */
function input(o: Partial<CallRuleInput> = {}): CallRuleInput {
  return callRuleInput({ caseId: 'c1', tenantId: 't1', phone: '+12132340001', ...o });
}

function state(o: Partial<DueState> = {}): DueState {
  return {
    stateId: 's1',
    caseId: 'c1',
    automationId: 'a1',
    tenantId: 't1',
    stageId: 'st1',
    lastAttemptAt: null,
    attemptsWeekCount: 0,
    promiseDueDate: null,
    lastOutcome: null,
    cooldownHours: 24,
    maxAttemptsPerWeek: null,
    allowedTimeWindow: null,
    stopOnPromise: true,
    stopOnPayment: true,
    channels: { call: true, sms: true, email: true },
    stageRules: {},
    caseStatus: 'NEW',
    approvalStatus: 'APPROVED',
    closedAt: null,
    ...o,
  };
}

const TEMPLATES = [
  { id: 'sms-old', tenantId: 't1', channel: 'sms' },
  { id: 'sms-new', tenantId: 't1', channel: 'SMS' },
  { id: 'mail', tenantId: 't1', channel: 'email' },
  { id: 'other', tenantId: 't2', channel: 'sms' },
];

describe('strategy time window at the debtor location', () => {
  it('parses the API format and tolerates bad values as "no window"', () => {
    expect(parseTimeWindow('09:00-20:00')).toEqual({ startMinutes: 540, endMinutes: 1200 });
    expect(parseTimeWindow(' 22:30 - 06:00 ')).toEqual({ startMinutes: 1350, endMinutes: 360 });
    expect(parseTimeWindow('')).toBeNull();
    expect(parseTimeWindow('9-10-11')).toBeNull();
    expect(parseTimeWindow(null)).toBeNull();
  });

  it('is inside only when every candidate zone is', () => {
    const w = parseTimeWindow('09:00-20:00')!;
    expect(inWindowEverywhere(AT.getTime(), ['America/Los_Angeles'], w)).toBe(true);
    expect(inWindowEverywhere(AT.getTime(), ['America/Los_Angeles', 'Pacific/Honolulu'], w)).toBe(false);
  });

  it('finds the next moment inside the window in every zone, across midnight and DST', () => {
    const w = parseTimeWindow('09:00-20:00')!;
    expect(nextMomentInWindow(AT, ['Pacific/Honolulu'], w)!.toISOString()).toBe('2026-12-02T19:00:00.000Z');
    // 21:00 New York: tomorrow 09:00 New York
    expect(nextMomentInWindow(new Date('2026-12-03T02:00:00Z'), ['America/New_York'], w)!.toISOString()).toBe('2026-12-03T14:00:00.000Z');
    // New York and Honolulu share 14:00-20:00 NY... the first common minute is 09:00 HST = 14:00 EST
    expect(nextMomentInWindow(new Date('2026-12-02T12:00:00Z'), ['America/New_York', 'Pacific/Honolulu'], w)!.toISOString()).toBe('2026-12-02T19:00:00.000Z');
    // the night before the spring DST change in New York (2027-03-14): 09:00 EDT = 13:00 UTC
    expect(nextMomentInWindow(new Date('2027-03-14T03:00:00Z'), ['America/New_York'], w)!.toISOString()).toBe('2027-03-14T13:00:00.000Z');
    // a window spanning midnight
    const night = parseTimeWindow('22:00-02:00')!;
    expect(nextMomentInWindow(new Date('2026-12-02T12:00:00Z'), ['UTC'], night)!.toISOString()).toBe('2026-12-02T22:00:00.000Z');
    // zones that never share a minute of a one-hour window
    expect(nextMomentInWindow(AT, ['Asia/Tokyo', 'America/New_York'], parseTimeWindow('09:00-10:00')!)).toBeNull();
  });
});

describe('template resolution (the API rules)', () => {
  it("takes the stage's template id when it is an active template of the tenant and channel", () => {
    expect(resolveTemplate(TEMPLATES, 't1', 'sms', { sms_template_id: 'sms-new' })).toEqual({ templateId: 'sms-new', reason: null });
    expect(resolveTemplate(TEMPLATES, 't1', 'sms', { smsTemplateId: ' sms-new ' })).toEqual({ templateId: 'sms-new', reason: null });
    expect(resolveTemplate(TEMPLATES, 't1', 'sms', { sms_template_id: 'other' })).toEqual({ templateId: null, reason: 'stage_template_not_found' });
  });
  it("else the tenant's oldest active template of the channel, else missing", () => {
    expect(resolveTemplate(TEMPLATES, 't1', 'sms', null)).toEqual({ templateId: 'sms-old', reason: null });
    expect(resolveTemplate(TEMPLATES, 't2', 'email', {})).toEqual({ templateId: null, reason: 'missing_active_template' });
  });
});

describe('tick decision per state', () => {
  it('dispatches every enabled channel with ids per state and slot, and counts one attempt', () => {
    const d = decide(state(), input(), AT, TEMPLATES);
    expect(d.actions.map((a) => a.jobId)).toEqual([`CALL_CASE-s1-${AT.getTime()}`, `SMS_CASE-s1-${AT.getTime()}`, `EMAIL_CASE-s1-${AT.getTime()}`]);
    expect(d.actions[0].payload).toEqual({ tenantId: 't1', caseId: 'c1', automationId: 'a1', stateId: 's1' });
    expect(d.attempted).toBe(true);
    expect(d.attempts).toBe(1);
    expect(d.nextActionAt.toISOString()).toBe('2026-12-03T18:00:00.000Z');
    expect(d.outcome).toBe('call_queued,sms_queued,email_queued');
  });

  it('job ids have no colon, are never all digits and are stable within a 15-minute slot', () => {
    const id = JOB_IDS.automationAction('CALL_CASE', 's1', slotStart(new Date('2026-12-02T18:14:59Z')));
    expect(id).toBe(JOB_IDS.automationAction('CALL_CASE', 's1', slotStart(AT)));
    expect(id).toBe(`CALL_CASE-s1-${AT.getTime()}`);
    expect(JOB_IDS.tick(slotStart(new Date('2026-12-02T18:14:00Z')))).toBe(`tick-${AT.getTime()}`);
    expect(JOB_IDS.maintenance('hourly', 'c', maintenancePeriodStart('hourly', new Date('2026-12-02T18:59:00Z')))).toBe(`hourly-c-${AT.getTime()}`);
    expect(JOB_IDS.maintenance('daily', 'c', maintenancePeriodStart('daily', AT))).toBe(`daily-c-${new Date('2026-12-02T00:00:00Z').getTime()}`);
  });

  it('a held state records its event once per change of outcome', () => {
    const first = decide(state({ approvalStatus: 'PENDING_APPROVAL' }), input(), AT, TEMPLATES);
    expect(first.events.map((e) => e.eventType)).toEqual(['dispatch_skipped_approval_pending']);
    const again = decide(state({ approvalStatus: 'PENDING_APPROVAL', lastOutcome: 'dispatch_skipped_approval_pending' }), input(), AT, TEMPLATES);
    expect(again.events).toEqual([]);
    expect(again.nextActionAt.toISOString()).toBe('2026-12-02T18:15:00.000Z');
  });

  it('cooldown, attempts per week and a promise move the next action to when they end', () => {
    const last = new Date('2026-12-02T12:00:00Z');
    expect(decide(state({ lastAttemptAt: last }), input(), AT, TEMPLATES)).toMatchObject({ skipped: 'cooldown', nextActionAt: new Date('2026-12-03T12:00:00Z') });
    const weekly = decide(state({ lastAttemptAt: new Date('2026-11-30T12:00:00Z'), attemptsWeekCount: 3, maxAttemptsPerWeek: 3 }), input(), AT, TEMPLATES);
    expect(weekly.skipped).toBe('max_attempts_per_week');
    expect(weekly.nextActionAt.getTime()).toBe(new Date('2026-12-07T12:00:00Z').getTime() + 1);
    // a week after the last attempt the count starts again
    expect(decide(state({ lastAttemptAt: new Date('2026-11-20T12:00:00Z'), attemptsWeekCount: 3, maxAttemptsPerWeek: 3 }), input(), AT, TEMPLATES).attempts).toBe(1);
    expect(decide(state({ promiseDueDate: '2026-12-05' }), input(), AT, TEMPLATES)).toMatchObject({ skipped: 'promise_to_pay', nextActionAt: new Date('2026-12-05T00:00:00Z') });
    expect(decide(state({ promiseDueDate: '2026-12-05', stopOnPromise: false }), input(), AT, TEMPLATES).attempted).toBe(true);
  });

  it('applies to each channel the rules that concern it: do-not-call stops calls and texts, do-not-contact stops all', () => {
    // a text message is a call under the TCPA, and SMS_CASE would hold it anyway: not enqueued
    const dnc = decide(state(), input({ doNotCall: true }), AT, TEMPLATES);
    expect(dnc.actions.map((a) => a.name)).toEqual(['EMAIL_CASE']);
    expect(dnc.events.map((e) => e.eventType)).toEqual(['call_skipped_do_not_call', 'sms_skipped_do_not_call', 'email_queued']);
    const dnx = decide(state(), input({ doNotContact: true }), AT, TEMPLATES);
    expect(dnx.actions).toEqual([]);
    expect(dnx.attempted).toBe(false);
    expect(dnx.outcome).toBe('call_skipped_do_not_call,sms_skipped_do_not_contact,email_skipped_do_not_contact'.replace('do_not_call', 'do_not_contact'));
    // nothing that time lifts: looked at again in a day
    expect(dnx.nextActionAt.toISOString()).toBe('2026-12-03T18:00:00.000Z');
    // a text needs a valid phone; an email does not
    const noPhone = decide(state({ channels: { sms: true, email: true } }), input({ phone: null }), AT, TEMPLATES);
    expect(noPhone.actions.map((a) => a.name)).toEqual(['EMAIL_CASE']);
  });

  it("spaces the automation's call from any other call of the case by the strategy's cooldown; texts and emails go", () => {
    // the scheduler's flow policy called 3 hours ago: the state itself has never attempted
    const recent = decide(state(), input({ recentAttempts: [new Date('2026-12-01T09:00:00Z'), new Date('2026-12-02T15:00:00Z')] }), AT, TEMPLATES);
    expect(recent.actions.map((a) => a.name)).toEqual(['SMS_CASE', 'EMAIL_CASE']);
    expect(recent.outcome).toBe('call_skipped_recent_call,sms_queued,email_queued');
    const ev = recent.events.find((e) => e.eventType === 'call_skipped_recent_call')!;
    expect(ev.payload).toMatchObject({ rule: 'RECENT_CALL', nextAllowedAt: '2026-12-03T15:00:00.000Z' });
    // call only: the state waits for the end of the cooldown, nothing attempted
    const callOnly = decide(state({ channels: { call: true } }), input({ recentAttempts: [new Date('2026-12-02T15:00:00Z')] }), AT, TEMPLATES);
    expect(callOnly).toMatchObject({ attempted: false, outcome: 'call_skipped_recent_call', nextActionAt: new Date('2026-12-03T15:00:00Z') });
    // a call exactly one cooldown ago, or a shorter cooldown, lets the call through
    expect(decide(state({ channels: { call: true } }), input({ recentAttempts: [new Date('2026-12-01T18:00:00Z')] }), AT, TEMPLATES).actions.map((a) => a.name)).toEqual(['CALL_CASE']);
    expect(decide(state({ channels: { call: true }, cooldownHours: 2 }), input({ recentAttempts: [new Date('2026-12-02T15:00:00Z')] }), AT, TEMPLATES).actions.map((a) => a.name)).toEqual(['CALL_CASE']);
  });

  it('texts and emails follow 08:00-21:00 at the debtor location too', () => {
    const d = decide(state({ channels: { sms: true, email: true } }), input({ phone: '+18082340001' }), new Date('2026-12-02T17:00:00Z'), TEMPLATES);
    expect(d.actions).toEqual([]);
    expect(d.outcome).toBe('sms_skipped_outside_calling_window,email_skipped_outside_calling_window');
    expect(d.nextActionAt.toISOString()).toBe('2026-12-02T18:00:00.000Z');
  });

  it('a closed or paid case stops the state; whatsapp is not implemented', () => {
    expect(decide(state(), input(), AT, TEMPLATES).skipped).toBeNull();
    expect(decide(state({ caseStatus: 'PAID' }), input({ status: 'PAID' }), AT, TEMPLATES)).toMatchObject({ skipped: 'case_closed', outcome: 'stopped_case_closed' });
    const wa = decide(state({ channels: { whatsapp: true } }), input(), AT, TEMPLATES);
    expect(wa.events.map((e) => [e.eventType, e.channel])).toEqual([['dispatch_skipped_not_implemented', 'whatsapp']]);
    expect(wa.attempted).toBe(true);
  });
});

describe('the API lock', () => {
  function fakeRedis() {
    const keys = new Map<string, string>();
    const calls: unknown[][] = [];
    const r: LockRedis = {
      set: async (...args) => {
        calls.push(['set', ...args]);
        if (keys.has(args[0])) return null;
        keys.set(args[0], args[1]);
        return 'OK';
      },
      del: async (k) => {
        calls.push(['del', k]);
        return keys.delete(k) ? 1 : 0;
      },
    };
    return { r, keys, calls };
  }

  it('is SET <key> 1 EX 600 NX on the unprefixed key, and DEL', async () => {
    const { r, keys, calls } = fakeRedis();
    expect(pmsSyncLockKey('t', 'c')).toBe('pms-sync:lock:t:c');
    expect(await acquirePmsSyncLock(r, 't', 'c')).toBe(true);
    expect(await acquirePmsSyncLock(r, 't', 'c')).toBe(false);
    expect(calls[0]).toEqual(['set', 'pms-sync:lock:t:c', '1', 'EX', 600, 'NX']);
    await releasePmsSyncLock(r, 't', 'c');
    expect(keys.size).toBe(0);
  });
});

describe('job payloads', () => {
  it('tick tolerates {} and unknown fields; a bad instant names the field', () => {
    expect(validateJob('collection-tick', 'tick', {}).data).toEqual({});
    expect(validateJob('collection-tick', 'tick', { foo: 1 }).data).toEqual({ foo: 1 });
    expect(() => validateJob('collection-tick', 'tick', { at: 'noon' }, 'j1')).toThrow('job j1 "tick" on queue collection-tick: invalid payload: at: must be an ISO 8601 instant');
  });
  it('maintenance takes both ids or neither', () => {
    expect(() => validateJob('automation-maintenance', 'hourly', {})).not.toThrow();
    expect(() => validateJob('automation-maintenance', 'daily', { connectionId: '6f1c2d3e-1111-2222-3333-444455556666' }, 'j2')).toThrow('connectionId: tenantId and connectionId go together');
    expect(() => validateJob('automation-maintenance', 'hourly', { tenantId: 'x', connectionId: 'y' }, 'j3')).toThrow(/tenantId: must be a UUID/);
  });
});
