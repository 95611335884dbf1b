import { CallRuleInput } from '../calls/rules';
import { Channel, debtorZones, evaluateChannel } from './channel-rules';
import { inWindowEverywhere, nextMomentInWindow, parseTimeWindow } from './time-window';
import { JOB_IDS } from '../queues/job-catalog';

export const TICK_INTERVAL_MS = 15 * 60_000;
const HOUR_MS = 3600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** A hold that only new data lifts (approval, dispute, do-not-contact...) is looked at again this much later. */
const RECHECK_MS = TICK_INTERVAL_MS;
/** A case that was paid or closed is looked at again daily (a refresh may reopen it). */
const CLOSED_RECHECK_MS = 24 * HOUR_MS;

/** One claimed state with its strategy, stage and case (CLAIM_DUE_STATES_SQL). */
export interface DueState {
  stateId: string;
  caseId: string;
  automationId: string;
  tenantId: string;
  stageId: string | null;
  lastAttemptAt: Date | null;
  attemptsWeekCount: number;
  promiseDueDate: string | null;
  lastOutcome: string | null;
  cooldownHours: number | null;
  maxAttemptsPerWeek: number | null;
  allowedTimeWindow: string | null;
  stopOnPromise: boolean | null;
  stopOnPayment: boolean | null;
  channels: Record<string, unknown> | null;
  stageRules: Record<string, unknown> | null;
  caseStatus: string;
  approvalStatus: string | null;
  closedAt: Date | null;
}

export interface ActiveTemplate {
  id: string;
  tenantId: string;
  channel: string;
}

export type TemplateResolution = { templateId: string; reason: null } | { templateId: null; reason: 'stage_template_not_found' | 'missing_active_template' };

const TEMPLATE_KEYS: Record<'sms' | 'email', string[]> = { sms: ['sms_template_id', 'smsTemplateId'], email: ['email_template_id', 'emailTemplateId'] };

/** The API's template resolution: the stage's template id (rules.sms_template_id...) or the tenant's oldest active one. */
export function resolveTemplate(templates: readonly ActiveTemplate[], tenantId: string, channel: 'sms' | 'email', stageRules: Record<string, unknown> | null): TemplateResolution {
  const ofChannel = templates.filter((t) => t.tenantId === tenantId && (t.channel === channel || t.channel === channel.toUpperCase()));
  let stageTemplateId: string | null = null;
  for (const k of TEMPLATE_KEYS[channel]) {
    const v = stageRules?.[k];
    if (typeof v === 'string' && v.trim()) {
      stageTemplateId = v.trim();
      break;
    }
  }
  if (stageTemplateId) {
    return ofChannel.some((t) => t.id === stageTemplateId) ? { templateId: stageTemplateId, reason: null } : { templateId: null, reason: 'stage_template_not_found' };
  }
  return ofChannel[0] ? { templateId: ofChannel[0].id, reason: null } : { templateId: null, reason: 'missing_active_template' };
}

export interface EventRow {
  automationId: string;
  caseId: string;
  channel: string | null;
  eventType: string;
  payload: Record<string, unknown>;
}

export interface ActionRow {
  name: 'CALL_CASE' | 'SMS_CASE' | 'EMAIL_CASE';
  jobId: string;
  payload: { tenantId: string; caseId: string; automationId: string; stateId: string };
}

export interface Decision {
  events: EventRow[];
  actions: ActionRow[];
  nextActionAt: Date;
  attempts: number;
  /** last_outcome to write; null keeps the previous one */
  outcome: string | null;
  attempted: boolean;
  /** why nothing was dispatched (metrics); null when something was */
  skipped: string | null;
}

const CHANNEL_ORDER = ['call', 'sms', 'email', 'whatsapp'] as const;
const JOB_NAMES: Record<Channel, ActionRow['name']> = { call: 'CALL_CASE', sms: 'SMS_CASE', email: 'EMAIL_CASE' };


export function slotStart(now: Date): number {
  return Math.floor(now.getTime() / TICK_INTERVAL_MS) * TICK_INTERVAL_MS;
}

const latestAttempt = (attempts: readonly Date[]): number | null => (attempts.length === 0 ? null : Math.max(...attempts.map((a) => a.getTime())));

const missingTemplateMessage = (channel: string, reason: string) =>
  reason === 'stage_template_not_found'
    ? `${channel.toUpperCase()} template configured in stage was not found or is inactive`
    : `${channel.toUpperCase()} template is not configured for this stage`;

/**
 * What one tick does with one due state, as the API's tick does it, with its faults fixed: the
 * allowed window is read at the debtor's location, and every claimed state leaves with a next action
 * (the moment its hold ends), so no state is claimed twice in a tick and none starves the others.
 * Holds that only new data lifts record their event once per change of outcome instead of every tick.
 */
export function decide(s: DueState, input: CallRuleInput | undefined, now: Date, templates: readonly ActiveTemplate[]): Decision {
  const at = (ms: number) => new Date(ms);
  const t = now.getTime();
  const events: EventRow[] = [];
  const event = (channel: string | null, eventType: string, payload: Record<string, unknown>) => events.push({ automationId: s.automationId, caseId: s.caseId, channel, eventType, payload });
  const hold = (skipped: string, nextMs: number, outcome: string | null, withEvents = true): Decision => ({
    events: withEvents && outcome !== null && outcome !== s.lastOutcome ? events : [],
    actions: [],
    // never due again within this tick (the batch loop claims only states due at `now`)
    nextActionAt: at(Math.max(nextMs, t + 60_000)),
    attempts: s.attemptsWeekCount,
    outcome,
    attempted: false,
    skipped,
  });

  if (!input) return hold('case_missing', t + RECHECK_MS, null);
  if (s.closedAt || s.caseStatus === 'PAID') return hold('case_closed', t + CLOSED_RECHECK_MS, 'stopped_case_closed');

  const zones = debtorZones(input);
  const window = parseTimeWindow(s.allowedTimeWindow);
  if (window && !inWindowEverywhere(t, zones, window)) {
    const next = nextMomentInWindow(now, zones, window);
    const nextMs = next ? next.getTime() : t + CLOSED_RECHECK_MS;
    event(null, 'dispatch_skipped_outside_window', {
      reason: `Outside the strategy's allowed time window ${s.allowedTimeWindow} at the debtor's location`,
      timezones: zones,
      nextActionAt: at(nextMs).toISOString(),
    });
    return hold('outside_window', nextMs, 'dispatch_skipped_outside_window');
  }

  if (s.approvalStatus !== 'APPROVED') {
    event(null, 'dispatch_skipped_approval_pending', { reason: 'Case requires approval before execution' });
    return hold('approval_pending', t + RECHECK_MS, 'dispatch_skipped_approval_pending');
  }
  if (input.hasOpenDispute) {
    event(null, 'dispatch_skipped_open_dispute', { reason: 'Case has an open dispute' });
    return hold('open_dispute', t + RECHECK_MS, 'dispatch_skipped_open_dispute');
  }

  let attempts = s.attemptsWeekCount;
  const last = s.lastAttemptAt?.getTime() ?? null;
  if (last !== null && t - last > WEEK_MS) attempts = 0;
  const maxPerWeek = s.maxAttemptsPerWeek ?? 999;
  if (attempts >= maxPerWeek) return hold('max_attempts_per_week', last !== null ? last + WEEK_MS + 1 : t + CLOSED_RECHECK_MS, null);

  if (s.stopOnPromise !== false && s.promiseDueDate) {
    const due = new Date(s.promiseDueDate).getTime();
    if (due > t) return hold('promise_to_pay', due, null);
  }

  const cooldownMs = (s.cooldownHours ?? 24) * HOUR_MS;
  if (last !== null && t - last < cooldownMs) return hold('cooldown', last + cooldownMs, null);

  const slot = slotStart(now);
  const enabled = CHANNEL_ORDER.filter((c) => s.channels?.[c] === true);
  const outcomes: string[] = [];
  const actions: ActionRow[] = [];
  const heldUntil: (number | null)[] = [];

  if (enabled.length === 0) {
    event(null, 'dispatch_skipped_no_channel', { stageId: s.stageId, channels: s.channels ?? {}, reason: 'No channel enabled in stage' });
    outcomes.push('dispatch_skipped_no_channel');
  }
  for (const channel of enabled) {
    if (channel === 'whatsapp') {
      outcomes.push('dispatch_skipped_not_implemented');
      event(channel, 'dispatch_skipped_not_implemented', { stageId: s.stageId, reason: `Channel "${channel}" not implemented` });
      continue;
    }
    if (channel !== 'call') {
      const tpl = resolveTemplate(templates, s.tenantId, channel, s.stageRules);
      if (!tpl.templateId) {
        outcomes.push(`${channel}_skipped_missing_template`);
        event(channel, `${channel}_skipped_missing_template`, { reason: missingTemplateMessage(channel, tpl.reason ?? ""), templateReason: tpl.reason, stageId: s.stageId });
        continue;
      }
    }
    // The strategy's cooldown also spaces this automation's call from any other call of the case
    // (the scheduler's flow policy, another automation): the state only knows its own attempts.
    const lastCall = channel === 'call' ? latestAttempt(input.recentAttempts) : null;
    if (lastCall !== null && t - lastCall < cooldownMs) {
      outcomes.push('call_skipped_recent_call');
      heldUntil.push(lastCall + cooldownMs);
      event(channel, 'call_skipped_recent_call', { reason: `a call of this case was placed at ${at(lastCall).toISOString()}, within the strategy's cooldown of ${cooldownMs / HOUR_MS} h`, rule: 'RECENT_CALL', nextAllowedAt: at(lastCall + cooldownMs).toISOString() });
      continue;
    }
    const d = evaluateChannel(channel, input, now, zones);
    if (!d.allowed) {
      const type = `${channel}_skipped_${d.reason.toLowerCase()}`;
      outcomes.push(type);
      heldUntil.push(d.nextAllowedAt?.getTime() ?? null);
      event(channel, type, { reason: d.detail, rule: d.reason, nextAllowedAt: d.nextAllowedAt?.toISOString() ?? null });
      continue;
    }
    const name = JOB_NAMES[channel];
    // deterministic per state and slot: a second tick of the slot adds nothing
    const jobId = JOB_IDS.automationAction(name, s.stateId, slot);
    actions.push({ name, jobId, payload: { tenantId: s.tenantId, caseId: s.caseId, automationId: s.automationId, stateId: s.stateId } });
    outcomes.push(`${channel}_queued`);
    event(channel, `${channel}_queued`, { jobId });
  }

  const outcome = outcomes.join(',');
  // Every enabled channel held by a rule: nothing was attempted; look again when the first hold ends.
  if (actions.length === 0 && heldUntil.length > 0) {
    const timed = heldUntil.filter((x): x is number => x !== null);
    const nextMs = timed.length > 0 ? Math.min(...timed) : t + CLOSED_RECHECK_MS;
    return hold(`rules:${outcomes[0]}`, nextMs, outcome);
  }
  return {
    events,
    actions,
    nextActionAt: at(t + cooldownMs),
    attempts: attempts + 1,
    outcome,
    attempted: true,
    skipped: actions.length === 0 ? outcome : null,
  };
}
