import { daytimeZone, nighttimeZone, phoneIn } from '../fakes/twilio-scenario';
import { evaluateCallRules } from '../../src/calls/rules';
import { CallRuleInput } from '../../src/calls/rules/call-rules.types';
import { callRuleInput } from '../utils/call-rule-input';

/**
 * The e2e and chaos tests pick, at the hour they run, a place where it is daytime and make up numbers
 * there, so the real call rules allow their calls. That must hold at every hour of the year: a number
 * that is not valid, or whose country spans zones outside the window, fails those suites at some hours.
 */
function input(phone: string, debtorTimezone: string): CallRuleInput {
  return callRuleInput({ phone, debtorTimezone });
}

describe('test phones', () => {
  it('every 181 minutes through 2026 (every minute of the hour in turn) a daytime zone has valid numbers that the call rules let through, and a night zone exists', () => {
    let checked = 0;
    const refused: string[] = [];
    for (let ms = Date.parse('2026-01-01T00:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 181 * 60_000) {
      const at = new Date(ms);
      const day = daytimeZone(at);
      for (const i of [0, 9999]) {
        const d = evaluateCallRules(input(phoneIn(day, i), day.zone), at);
        checked++;
        if (!d.allowed && refused.length < 5) refused.push(`${at.toISOString()} ${day.zone} ${phoneIn(day, i)}: ${d.reason}`);
      }
      const night = nighttimeZone(at);
      expect(phoneIn(night, 1)).toMatch(/^\+[1-9][0-9]{9,13}$/);
    }
    expect(refused).toEqual([]);
    expect(checked).toBe(2 * Math.ceil((365 * 24 * 60) / 181));
  });
});
