/**
 * Redaction applied to every log record: secrets by key name, phone numbers wherever they appear
 * (keys such as phone/to/from, and E.164 or formatted NANP numbers inside any string). Only the
 * last two digits of a phone survive, enough to tell two numbers apart in a support session.
 */

const SECRET_KEY =
  /(pass(word)?|secret|token|authorization|auth_?token|api_?key|access_?key|client_?secret|credentials?|cipher|auth_?tag|hmac|encryption|private_?key|cookie|signature|^sig$)/i;
const PHONE_KEY = /^(phone|phones|phone_?number|to|from|caller|called|mobile|cell|msisdn)$/i;

const E164 = /\+\d{7,15}\b/g;
const NANP = /(?<![\w-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w-])/g;

/** Secrets inside strings: the password of a URL (redis://user:pass@host) and signed query params. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@/?#\s]+@/gi;
const SECRET_PARAM = /([?&](?:sig|signature|token|access_token|auth_token|secret|password|key)=)[^&#\s"']+/gi;

export const REDACTED = '[REDACTED]';

/**
 * A phone number as logs show it: its last two digits (***23), whatever its format. A value it
 * already masked is kept (the logger masks phone-like keys again).
 */
export function maskPhoneForLog(value: string): string {
  if (/^\*\*\*\d{0,2}$/.test(value)) return value;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 4 ? `***${digits.slice(-2)}` : '***';
}

export function redactString(s: string): string {
  if (s.length < 10) return s;
  return s
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(SECRET_PARAM, `$1${REDACTED}`)
    .replace(E164, maskPhoneForLog)
    .replace(NANP, maskPhoneForLog);
}

export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[Depth]';
  if (seen.has(value as object)) return '[Circular]';
  seen.add(value as object);
  if (value instanceof Error) {
    // Same prototype (so the err serializer still reports PermanentJobError etc.), redacted text,
    // and its own fields (details, code, ...) redacted like any object.
    const copy = Object.create(Object.getPrototypeOf(value)) as Error & Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k)) copy[k] = REDACTED;
      // A failed query (TypeORM's QueryFailedError) carries its bound values: debtors' data, a
      // whole page of it for a sync write. Their count is enough to diagnose; the SQL stays.
      else if (k === 'parameters' && Array.isArray(v) && typeof (value as { query?: unknown }).query === 'string') copy[k] = `[${v.length} bound values]`;
      else copy[k] = redactDeep(v, depth + 1, seen);
    }
    Object.defineProperty(copy, 'name', { value: value.name, enumerable: false, writable: true, configurable: true });
    Object.defineProperty(copy, 'message', { value: redactString(value.message), enumerable: false, writable: true, configurable: true });
    Object.defineProperty(copy, 'stack', { value: value.stack ? redactString(value.stack) : undefined, enumerable: false, writable: true, configurable: true });
    if ((value as { cause?: unknown }).cause !== undefined) copy.cause = redactDeep((value as { cause?: unknown }).cause, depth + 1, seen);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1, seen));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean') out[k] = REDACTED;
    else if (PHONE_KEY.test(k) && (typeof v === 'string' || typeof v === 'number')) out[k] = maskPhoneForLog(String(v));
    else out[k] = redactDeep(v, depth + 1, seen);
  }
  return out;
}
