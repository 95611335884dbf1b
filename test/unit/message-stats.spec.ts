import { UnrecoverableError } from 'bullmq';
import { PermanentJobError, TransientError, UnrecoverableConfigError } from '../../src/common/errors';
import { failureReason, MessageStats } from '../../src/messaging/message-stats';

const rows = (s: MessageStats) => [...s.counts.values()].map((e) => `${e.channel} ${e.outcome} ${e.reason} ${e.n}`).sort();

describe('MessageStats', () => {
  it('counts results by channel, outcome and reason', () => {
    const s = new MessageStats();
    s.result('SMS', { sent: true, interactionLogId: 'a' });
    s.result('SMS', { sent: true, interactionLogId: 'b' });
    s.result('SMS', { sent: true, interactionLogId: 'c', resumed: true });
    s.result('EMAIL', { sent: false, dryRun: true, reason: 'DRY_RUN' });
    s.result('EMAIL', { sent: false, reason: 'OUTSIDE_WINDOW' });
    s.result('EMAIL', { sent: false, reason: 'CHANNEL_OPTED_OUT', resumed: true });
    s.result('EMAIL', { sent: false });
    expect(rows(s)).toEqual(['EMAIL simulated  1', 'EMAIL skipped already_ended 1', 'EMAIL skipped outside_window 1', 'EMAIL skipped unknown 1', 'SMS sent  2', 'SMS sent found_after_retry 1'].sort());
  });

  it('an error is failed when final or unrecoverable, else retried, with its kind', () => {
    const s = new MessageStats();
    s.error('SMS', new TransientError('429', { kind: 'rate_limited' }), false);
    s.error('SMS', new TransientError('429', { kind: 'rate_limited' }), true);
    s.error('SMS', new PermanentJobError('21211', { kind: 'invalid_recipient' }), false);
    expect(rows(s)).toEqual(['SMS failed invalid_recipient 1', 'SMS failed rate_limited 1', 'SMS retried rate_limited 1']);
  });

  it('failure reasons are a bounded vocabulary', () => {
    expect(failureReason(new PermanentJobError('x', { kind: 'network', reason: 'SEND_OUTCOME_UNKNOWN' }))).toBe('unknown_outcome');
    expect(failureReason(new PermanentJobError('x', { kind: 'missing_template' }))).toBe('missing_template');
    expect(failureReason(new UnrecoverableConfigError('sms needs configuration'))).toBe('config');
    expect(failureReason(new UnrecoverableError('invalid payload'))).toBe('bad_job');
    expect(failureReason(new Error('boom'))).toBe('error');
    expect(failureReason('text')).toBe('error');
  });
});
