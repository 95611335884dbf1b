import { classifyTwilioError } from '../calls/twilio/twilio-errors';
import { redactString } from '../logging/redact';

/**
 * How a failed send is handled, for both providers:
 *  - invalid_recipient: the number/address cannot receive this channel: the contact is marked invalid
 *    for the channel (and, for a number Twilio calls invalid, the case INVALID_CONTACT as calls do); no retry.
 *  - opted_out: the recipient unsubscribed from us on this channel (Twilio 21610: replied STOP): the
 *    channel is marked do-not-contact for the debtor; no retry.
 *  - config / auth: our account, sender or credentials: no retry, the debtor untouched.
 *  - rejected: any other refusal (content, bad request): no retry, the debtor untouched.
 *  - rate_limited: the provider did not process the request (429): retry with backoff.
 *  - server: 5xx. Twilio: the message may exist, a retry looks for it first. SES: the request failed.
 *  - network: no answer. `ambiguous` when the request may have been processed (timeout, reset).
 */
export type MessageFailureKind = 'invalid_recipient' | 'opted_out' | 'config' | 'auth' | 'rejected' | 'rate_limited' | 'server' | 'network';

export interface MessageFailure {
  provider: 'twilio' | 'ses';
  kind: MessageFailureKind;
  /** may the message have been accepted anyway? */
  ambiguous: boolean;
  retryable: boolean;
  status: number | null;
  code: string | null;
  message: string;
  /** the number itself is invalid (not just for SMS): the case becomes INVALID_CONTACT, as for calls */
  invalidatesCase: boolean;
}

/** Twilio: the number cannot receive SMS (invalid, not a mobile, a landline). */
export const SMS_INVALID_NUMBER_CODES = new Set([21211, 21217, 21401, 21407, 21614, 21635]);
/** Twilio: the number itself is invalid (the same number is called): as CALL_CASE does, the case is marked. */
export const SMS_INVALID_CASE_CODES = new Set([21211, 21217]);
export const SMS_OPTED_OUT_CODES = new Set([21610]);
/** Twilio: our sender, Messaging Service or account settings (trial, geo permissions, body). */
export const SMS_CONFIG_CODES = new Set([21212, 21408, 21601, 21602, 21603, 21606, 21608, 21659, 21703, 21704, 21705]);

export function classifySmsError(err: unknown): MessageFailure {
  const t = classifyTwilioError(err);
  const base = { provider: 'twilio' as const, status: t.status, code: t.code === null ? null : String(t.code), message: t.message, invalidatesCase: false };
  const code = t.code;
  if (t.status !== null && code !== null) {
    if (SMS_OPTED_OUT_CODES.has(code)) return { ...base, kind: 'opted_out', ambiguous: false, retryable: false };
    if (SMS_INVALID_NUMBER_CODES.has(code)) return { ...base, kind: 'invalid_recipient', ambiguous: false, retryable: false, invalidatesCase: SMS_INVALID_CASE_CODES.has(code) };
    if (SMS_CONFIG_CODES.has(code)) return { ...base, kind: 'config', ambiguous: false, retryable: false };
  }
  switch (t.kind) {
    case 'invalid_number':
      return { ...base, kind: 'invalid_recipient', ambiguous: false, retryable: false };
    case 'config':
    case 'auth':
    case 'rate_limited':
    case 'server':
    case 'network':
      return { ...base, kind: t.kind, ambiguous: t.ambiguous, retryable: t.retryable };
    default:
      return { ...base, kind: 'rejected', ambiguous: false, retryable: false };
  }
}

const SES_CONFIG_ERRORS = new Set(['AccountSuspendedException', 'MailFromDomainNotVerifiedException', 'SendingPausedException', 'NotFoundException']);
const SES_AUTH_ERRORS = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'AccessDeniedException', 'ExpiredTokenException', 'InvalidClientTokenId']);
const SES_THROTTLE_ERRORS = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'LimitExceededException']);
/** Connection errors raised before any byte of the request reached SES: nothing can have been sent. */
const NOT_SENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SES answers a malformed recipient with BadRequestException / MessageRejected naming the address. */
const BAD_ADDRESS = /address|recipient|mailbox|domain|@/i;

export function classifySesError(err: unknown): MessageFailure {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown }; $fault?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : null;
  const message = redactString(String(e.message ?? err));
  const base = { provider: 'ses' as const, status, code: name, message, invalidatesCase: false };
  if (status === null) {
    const netCode = typeof e.code === 'string' ? e.code : '';
    const notSent = NOT_SENT_NETWORK_CODES.has(netCode);
    return { ...base, code: netCode || name, kind: 'network', ambiguous: !notSent, retryable: true };
  }
  if (SES_THROTTLE_ERRORS.has(name) || status === 429) return { ...base, kind: 'rate_limited', ambiguous: false, retryable: true };
  if (SES_CONFIG_ERRORS.has(name)) return { ...base, kind: 'config', ambiguous: false, retryable: false };
  if (SES_AUTH_ERRORS.has(name) || status === 401 || status === 403) return { ...base, kind: 'auth', ambiguous: false, retryable: false };
  if (status >= 500) return { ...base, kind: 'server', ambiguous: false, retryable: true };
  if (name === 'BadRequestException' && BAD_ADDRESS.test(message)) return { ...base, kind: 'invalid_recipient', ambiguous: false, retryable: false };
  return { ...base, kind: 'rejected', ambiguous: false, retryable: false };
}
