import { redactString } from '../../logging/redact';
/**
 * How a failed create-call request is handled (docs/twilio.md, errors of a create-call request).
 *  - invalid_number: the number is wrong or unreachable or blocked: mark the contact invalid, no retry.
 *  - config: our account or From number is not allowed to make this call: no retry, case untouched.
 *  - auth: credentials rejected or account suspended: no retry, logged at fatal.
 *  - rate_limited: Twilio did not process the request (429 / 20429): retry with backoff.
 *  - server: 5xx: the call may or may not exist: retry, checking Twilio's call list first.
 *  - network: reset or timeout: the call may or may not exist: same as server.
 *  - rejected: any other 4xx: no retry, case untouched.
 */
export type TwilioFailureKind = 'invalid_number' | 'config' | 'auth' | 'rate_limited' | 'server' | 'network' | 'rejected';

export interface TwilioFailure {
  kind: TwilioFailureKind;
  /** may a call have been created anyway? (then a retry must look for it before dialing) */
  ambiguous: boolean;
  retryable: boolean;
  status: number | null;
  code: number | null;
  message: string;
  moreInfo: string | null;
}

export const INVALID_NUMBER_CODES = new Set([21211, 21214, 21216, 21217, 13223, 13224]);
export const CONFIG_CODES = new Set([21210, 21215, 21219]);
export const AUTH_CODES = new Set([20003, 20005]);
export const BACKOFF_CODES = new Set([20429, 22005]);

export function classifyTwilioError(err: unknown): TwilioFailure {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; message?: unknown; moreInfo?: unknown; detail?: unknown; title?: unknown };
  const status = typeof e.status === 'number' ? e.status : null;
  const code = typeof e.code === 'number' ? e.code : typeof e.code === 'string' && /^\d+$/.test(e.code) ? Number(e.code) : null;
  // Twilio echoes the number in some messages (21211 "The 'To' number +1... is not valid"): mask it, since
  // the message ends up in job failedReasons, logs and the CLI.
  const message = redactString(String(e.message ?? e.detail ?? e.title ?? err));
  const moreInfo = typeof e.moreInfo === 'string' ? e.moreInfo : null;
  const base = { status, code, message, moreInfo };
  if (status === null) {
    // axios raises network failures (ECONNRESET, timeouts) with no HTTP status.
    return { ...base, kind: 'network', ambiguous: true, retryable: true };
  }
  if (code !== null && INVALID_NUMBER_CODES.has(code)) return { ...base, kind: 'invalid_number', ambiguous: false, retryable: false };
  if (code !== null && CONFIG_CODES.has(code)) return { ...base, kind: 'config', ambiguous: false, retryable: false };
  if ((code !== null && AUTH_CODES.has(code)) || status === 401) return { ...base, kind: 'auth', ambiguous: false, retryable: false };
  if (status === 429 || (code !== null && BACKOFF_CODES.has(code))) return { ...base, kind: 'rate_limited', ambiguous: false, retryable: true };
  if (status >= 500) return { ...base, kind: 'server', ambiguous: true, retryable: true };
  return { ...base, kind: 'rejected', ambiguous: false, retryable: false };
}
