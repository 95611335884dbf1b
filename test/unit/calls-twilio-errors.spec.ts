import { classifyTwilioError } from '../../src/calls/twilio/twilio-errors';

const rest = (status: number, code?: number) => Object.assign(new Error('twilio says no'), { status, code, moreInfo: `https://www.twilio.com/docs/errors/${code}` });

describe('classifyTwilioError', () => {
  it.each([21211, 21214, 21216, 21217, 13223, 13224])('%i is a permanent number error (contact invalid, no retry)', (code) => {
    expect(classifyTwilioError(rest(400, code))).toMatchObject({ kind: 'invalid_number', retryable: false, ambiguous: false, code, status: 400 });
  });
  it.each([21210, 21215, 21219])('%i is account configuration (no retry, contact left alone)', (code) => {
    expect(classifyTwilioError(rest(400, code))).toMatchObject({ kind: 'config', retryable: false });
  });
  it('20003 / 401 is authentication (fail loudly, no retry)', () => {
    expect(classifyTwilioError(rest(401, 20003))).toMatchObject({ kind: 'auth', retryable: false });
    expect(classifyTwilioError(rest(401))).toMatchObject({ kind: 'auth', retryable: false });
  });
  it('429 / 20429 retries and the call certainly does not exist', () => {
    expect(classifyTwilioError(rest(429, 20429))).toMatchObject({ kind: 'rate_limited', retryable: true, ambiguous: false });
  });
  it('5xx and network errors retry, and the call may exist', () => {
    expect(classifyTwilioError(rest(503, 20500))).toMatchObject({ kind: 'server', retryable: true, ambiguous: true });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyTwilioError(reset)).toMatchObject({ kind: 'network', retryable: true, ambiguous: true, status: null, code: null });
  });
  it('any other 4xx is a permanent rejection', () => {
    expect(classifyTwilioError(rest(400, 21205))).toMatchObject({ kind: 'rejected', retryable: false });
  });
});
