import type { Queue } from 'bullmq';

/** The states a job is in until it is done with; a queue with none of them is quiet. */
const UNFINISHED = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

export class QueueNotQuiet extends Error {
  constructor(
    readonly queue: string,
    readonly counts: Record<string, number>,
    timeoutMs: number,
  ) {
    super(`queue ${queue} not quiet after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
  }
}

/** Polls until no job of the queue is left to run; throws QueueNotQuiet (with the counts left) on the timeout. */
export async function waitForQuiet(queue: Queue, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts(...UNFINISHED);
    if (Object.values(counts).every((n) => n === 0)) return;
    if (Date.now() > end) throw new QueueNotQuiet(queue.name, counts, timeoutMs);
    await new Promise((r) => setTimeout(r, 250));
  }
}
