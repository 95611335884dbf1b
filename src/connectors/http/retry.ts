/** Retry timing shared by the PMS clients: exponential backoff with full jitter, Retry-After. */

export interface RetryPolicy {
  /** Retries after the first attempt (default 5). */
  retries: number;
  /** First backoff step (default 250 ms: Buildium says retry after about 200 ms). */
  baseDelayMs: number;
  /** Cap of one backoff step (default 10 s). */
  maxDelayMs: number;
  /** A Retry-After longer than this fails the request instead of sleeping (default 120 s). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 250, maxDelayMs: 10_000, maxRetryAfterMs: 120_000 };

/** Retry-After as delta-seconds or an HTTP date; null when absent or unparseable. */
export function parseRetryAfter(value: string | string[] | undefined | null, now = Date.now()): number | null {
  // Stryker disable next-line LogicalOperator: equivalent: undefined and null also reach `?.trim()` and `!v` below, which give null
  if (value === undefined || value === null) return null;
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/** Full jitter: uniform in [base/2, min(max, base * 2^attempt)] (attempt counts from 0). */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const floor = Math.min(ceiling, policy.baseDelayMs / 2);
  return Math.round(floor + random() * (ceiling - floor));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const onAbort = () => {
      clearTimeout(t);
      // Stryker disable next-line OptionalChaining: equivalent: onAbort is only registered on a signal, so it is always defined here
      reject(signal?.reason ?? new Error('aborted'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
