/**
 * A strict sliding-window rate limiter with a concurrency cap, one per PMS connection.
 *
 * Every attempt (first tries and retries alike) takes a slot, so retries can never push the
 * request rate above the cap. The guarantee holds at the server, whatever the network or our
 * event loop do: a request reaches the server after we start it and before its response reaches
 * us, so request k + max may start only `windowMs` (+ a small margin) after request k has
 * *finished*. Then no window of `windowMs` at the server ever holds more than `max` requests.
 * (Spacing by start times alone is not enough: a request delayed between our clock and the
 * wire, e.g. by a busy event loop, arrives bunched with later ones; the e2e test caught it.)
 *
 * Hand-written rather than `bottleneck`: bottleneck's reservoir refreshes on fixed intervals
 * (a burst at the end of one interval plus one at the start of the next exceeds the cap in a
 * sliding window), and its spacing is by start times.
 */
export interface RateLimiterOptions {
  /** Requests allowed per window (Buildium: 10). */
  max: number;
  /** Window length (Buildium: 1000 ms). */
  windowMs: number;
  /** Extra spacing for clock granularity (default 20 ms). */
  marginMs?: number;
  /** At most this many requests in flight (default: max). */
  maxConcurrent?: number;
}

interface Slot {
  start: number;
  /** when the request finished (null while in flight) */
  end: number | null;
}

export class RateLimiter {
  /** The last `max` slots, oldest first. */
  private readonly slots: Slot[] = [];
  private inFlight = 0;
  private readonly queue: { resolve: (slot: Slot) => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly margin: number;
  private readonly maxConcurrent: number;

  constructor(readonly options: RateLimiterOptions) {
    this.margin = options.marginMs ?? 20;
    this.maxConcurrent = Math.min(options.maxConcurrent ?? options.max, options.max);
  }

  /** Runs fn once a slot is free. */
  async schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const slot = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      slot.end = Date.now();
      this.inFlight -= 1;
      this.pump();
    }
  }

  private acquire(signal?: AbortSignal): Promise<Slot> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    return new Promise<Slot>((resolve, reject) => {
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
      if (this.slots.length >= this.options.max) {
        const oldest = this.slots[this.slots.length - this.options.max];
        if (oldest.end === null) return; // wait for it to finish (pump runs again then)
        const readyAt = oldest.end + this.options.windowMs + this.margin;
        if (readyAt > now) {
          this.timer = setTimeout(() => {
            this.timer = null;
            this.pump();
          }, readyAt - now);
          return;
        }
      }
      const entry = this.queue.shift()!;
      if (entry.signal && entry.onAbort) entry.signal.removeEventListener('abort', entry.onAbort);
      const slot: Slot = { start: now, end: null };
      this.slots.push(slot);
      if (this.slots.length > this.options.max) this.slots.shift();
      this.inFlight += 1;
      entry.resolve(slot);
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
