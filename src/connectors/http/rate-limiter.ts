/**
 * A strict sliding-window rate limiter with a concurrency cap, one per PMS connection.
 *
 * Every attempt (first tries and retries alike) takes a slot, so retries can never push the
 * request rate above the cap. The window is a true sliding window: among any `max` + 1
 * consecutive request starts, the first and the last are at least `windowMs + marginMs` apart,
 * so no window of `windowMs` ever sees more than `max` requests, even allowing for a few
 * milliseconds of network jitter between our clock and the server's (the margin).
 *
 * Hand-written rather than `bottleneck`: bottleneck's reservoir refreshes on fixed intervals
 * (a burst at the end of one interval plus one at the start of the next exceeds the cap in a
 * sliding window), and its `minTime` spacing throttles bursts we are allowed to make.
 */
export interface RateLimiterOptions {
  /** Requests allowed per window (Buildium: 10). */
  max: number;
  /** Window length (Buildium: 1000 ms). */
  windowMs: number;
  /** Extra spacing to absorb clock/network jitter (default 50 ms). */
  marginMs?: number;
  /** At most this many requests in flight (default: max). */
  maxConcurrent?: number;
}

export class RateLimiter {
  private readonly starts: number[] = [];
  private inFlight = 0;
  private readonly queue: { resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly margin: number;
  private readonly maxConcurrent: number;

  constructor(readonly options: RateLimiterOptions) {
    this.margin = options.marginMs ?? 50;
    this.maxConcurrent = options.maxConcurrent ?? options.max;
  }

  /** Runs fn once a slot is free; the slot's start time is taken just before fn runs. */
  async schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    return new Promise<void>((resolve, reject) => {
      const entry: (typeof this.queue)[number] = { resolve, reject, signal };
      if (signal) {
        entry.onAbort = () => {
          const i = this.queue.indexOf(entry);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal.reason ?? new Error('aborted'));
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.queue.push(entry);
      this.pump();
    });
  }

  private pump(): void {
    if (this.timer) return;
    while (this.queue.length > 0 && this.inFlight < this.maxConcurrent) {
      const now = Date.now();
      const span = this.options.windowMs + this.margin;
      while (this.starts.length > 0 && now - this.starts[0] >= span) this.starts.shift();
      if (this.starts.length >= this.options.max) {
        const wait = this.starts[0] + span - now;
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, Math.max(1, wait));
        return;
      }
      const entry = this.queue.shift()!;
      if (entry.signal && entry.onAbort) entry.signal.removeEventListener('abort', entry.onAbort);
      this.starts.push(now);
      this.inFlight += 1;
      entry.resolve();
    }
  }
}

/**
 * One limiter per key (software + connection id) for the life of the process, so that every
 * pull, test and pre-dial read of one connection shares the same budget.
 */
const limiters = new Map<string, RateLimiter>();

export function limiterFor(key: string, options: RateLimiterOptions): RateLimiter {
  let l = limiters.get(key);
  if (!l) {
    l = new RateLimiter(options);
    limiters.set(key, l);
  }
  return l;
}
