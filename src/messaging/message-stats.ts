import { UnrecoverableError } from 'bullmq';
import { UnrecoverableConfigError } from '../common/errors';
import type { MessageCaseResult } from './message-case.runner';
import type { MessageChannel } from './message-rules';

export type MessageOutcome = 'sent' | 'simulated' | 'skipped' | 'failed' | 'retried';

/**
 * What this process's SMS_CASE / EMAIL_CASE jobs ended with since it started, for /metrics: sent,
 * simulated (MESSAGES_DRY_RUN), skipped by the rule that held the message, failed (no retry left) and
 * retried, each with a short reason. Reasons are a fixed vocabulary (rule names, failure kinds), so the
 * label set stays small whatever the providers answer. One per process: the runner adds, metrics read.
 */
export class MessageStats {
  readonly counts = new Map<string, { channel: MessageChannel; outcome: MessageOutcome; reason: string; n: number }>();

  add(channel: MessageChannel, outcome: MessageOutcome, reason = ''): void {
    const key = `${channel}|${outcome}|${reason}`;
    const e = this.counts.get(key);
    if (e) e.n++;
    else this.counts.set(key, { channel, outcome, reason, n: 1 });
  }

  /** A job's result: sent, simulated, or held by a rule (reason = the rule, lower case). */
  result(channel: MessageChannel, r: MessageCaseResult): void {
    if (r.sent) this.add(channel, 'sent', r.resumed ? 'found_after_retry' : '');
    else if (r.dryRun) this.add(channel, 'simulated');
    else if (r.resumed) this.add(channel, 'skipped', 'already_ended');
    else this.add(channel, 'skipped', (r.reason ?? 'unknown').toLowerCase());
  }

  /** A job's error: failed when no retry is left, else retried; the reason is the failure kind. */
  error(channel: MessageChannel, err: unknown, final: boolean): void {
    this.add(channel, final || err instanceof UnrecoverableError ? 'failed' : 'retried', failureReason(err));
  }
}

/** A bounded label for a failed message: the failure kind the runner gave its error, else its class. */
export function failureReason(err: unknown): string {
  const details = (err as { details?: Record<string, unknown> })?.details;
  if (details?.reason === 'SEND_OUTCOME_UNKNOWN') return 'unknown_outcome';
  if (typeof details?.kind === 'string') return details.kind;
  if (err instanceof UnrecoverableConfigError) return 'config';
  if (err instanceof UnrecoverableError) return 'bad_job';
  return 'error';
}

export const messageStats = new MessageStats();
