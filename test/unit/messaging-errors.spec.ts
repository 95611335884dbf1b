import { classifySesError, classifySmsError } from '../../src/messaging/message-errors';

const twilio = (status: number | undefined, code?: number, message = 'm') => Object.assign(new Error(message), { status, code, moreInfo: code ? `https://www.twilio.com/docs/errors/${code}` : undefined });
const aws = (name: string, status?: number, message = 'm', code?: string) => Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : { $metadata: {} }), ...(code ? { code } : {}) });

describe('Twilio Messaging errors', () => {
  it.each([
    [400, 21211, 'invalid_recipient', true],
    [400, 21614, 'invalid_recipient', false],
    [400, 21635, 'invalid_recipient', false],
    [400, 21610, 'opted_out', false],
    [400, 21606, 'config', false],
    [400, 21608, 'config', false],
    [401, 20003, 'auth', false],
    [400, 30001, 'rejected', false],
  ] as const)('%i code %i is %s, never retried', (status, code, kind, invalidatesCase) => {
    const f = classifySmsError(twilio(status, code));
    expect(f).toMatchObject({ provider: 'twilio', kind, retryable: false, ambiguous: false, code: String(code), invalidatesCase });
  });

  it('429 is retried without looking; 5xx and no answer are retried after looking', () => {
    expect(classifySmsError(twilio(429, 20429))).toMatchObject({ kind: 'rate_limited', retryable: true, ambiguous: false });
    expect(classifySmsError(twilio(503, 20500))).toMatchObject({ kind: 'server', retryable: true, ambiguous: true });
    expect(classifySmsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({ kind: 'network', retryable: true, ambiguous: true });
  });

  it('masks a number quoted in the message', () => {
    expect(classifySmsError(twilio(400, 21211, "The 'To' number +12125550123 is not a valid phone number.")).message).not.toContain('2125550123');
  });
});

describe('SES v2 errors', () => {
  it.each([
    ['TooManyRequestsException', 429, 'rate_limited', true],
    ['InternalFailure', 500, 'server', true],
    ['MessageRejected', 400, 'rejected', false],
    ['AccountSuspendedException', 400, 'config', false],
    ['MailFromDomainNotVerifiedException', 400, 'config', false],
    ['SendingPausedException', 400, 'config', false],
    ['UnrecognizedClientException', 403, 'auth', false],
    ['BadRequestException', 400, 'invalid_recipient', false],
  ] as const)('%s (%i) is %s', (name, status, kind, retryable) => {
    const f = classifySesError(aws(name, status, name === 'BadRequestException' ? 'Illegal address' : 'm'));
    expect(f).toMatchObject({ provider: 'ses', kind, retryable, ambiguous: false, code: name, status });
  });

  it('a BadRequestException about something else than the address is a plain rejection', () => {
    expect(classifySesError(aws('BadRequestException', 400, 'Invalid tag value')).kind).toBe('rejected');
  });

  it('no answer: retried when nothing can have left (refused connection), ambiguous otherwise', () => {
    expect(classifySesError(aws('Error', undefined, 'connect ECONNREFUSED', 'ECONNREFUSED'))).toMatchObject({ kind: 'network', retryable: true, ambiguous: false });
    expect(classifySesError(aws('TimeoutError', undefined, 'timed out'))).toMatchObject({ kind: 'network', ambiguous: true });
    expect(classifySesError(aws('Error', undefined, 'socket hang up', 'ECONNRESET'))).toMatchObject({ kind: 'network', ambiguous: true });
  });
});
