import { Injectable } from '@nestjs/common';

export type JobOutcome = 'completed' | 'failed' | 'retried';

/**
 * In-process job counters and durations per queue and job name. The metrics endpoint (operator
 * tools) renders them; keeping them here means processors never depend on the HTTP layer.
 */
@Injectable()
export class JobMetrics {
  readonly counts = new Map<string, { queue: string; name: string; outcome: JobOutcome; count: number; totalMs: number }>();
  private listeners: ((queue: string, name: string, outcome: JobOutcome, ms: number) => void)[] = [];

  observe(queue: string, name: string, outcome: JobOutcome, ms: number): void {
    const key = `${queue}|${name}|${outcome}`;
    const e = this.counts.get(key) ?? { queue, name, outcome, count: 0, totalMs: 0 };
    e.count += 1;
    e.totalMs += ms;
    this.counts.set(key, e);
    for (const l of this.listeners) l(queue, name, outcome, ms);
  }

  onObserve(listener: (queue: string, name: string, outcome: JobOutcome, ms: number) => void): void {
    this.listeners.push(listener);
  }
}
