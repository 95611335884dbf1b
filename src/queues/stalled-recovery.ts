import { Worker } from 'bullmq';

/**
 * Start-up recovery of jobs whose worker died (SIGKILL, OOM, host lost).
 *
 * BullMQ recovers such a job in two stalled checks: one marks every active job, a later one moves
 * back to wait the marked jobs whose lock has expired. The checks are spaced by stalledInterval
 * (5 min here, to keep idle Redis traffic low), and a check is skipped while the queue's
 * `stalled-check` key from the previous one lives, so a restarted worker alone took 5 to 10 min.
 *
 * A worker that starts runs the two checks itself: one at once, one when any lock held by a worker
 * that died before this one started has expired (lockDuration plus a margin). It costs two script
 * calls and two DELs per queue per start, nothing while idle. It is safe with live workers around:
 * a job is only moved when its lock is gone, which a live worker renews every lockDuration/2.
 */
export const RECOVERY_MARGIN_MS = 2000;

type StalledCheck = { moveStalledJobsToWait(): Promise<void> };

/** One stalled check on the worker's queue now, whatever the time of the previous one; returns the ids moved back. */
export async function stalledCheckNow(worker: Worker): Promise<string[]> {
  const check = (worker as unknown as Partial<StalledCheck>).moveStalledJobsToWait;
  if (typeof check !== 'function') {
    // BullMQ's own checker still runs every stalledInterval; only the faster start-up path is lost.
    throw new Error('this BullMQ version has no Worker.moveStalledJobsToWait: start-up recovery unavailable');
  }
  const client = await worker.client;
  await client.del(worker.keys['stalled-check']);
  const moved: string[] = [];
  const onStalled = (jobId: string) => moved.push(jobId);
  worker.on('stalled', onStalled);
  try {
    await check.call(worker);
  } finally {
    worker.off('stalled', onStalled);
  }
  return moved;
}

export interface RecoveryHandle {
  /** Resolves with the ids moved back per queue once the second check ran (or on cancel, with what ran). */
  done: Promise<Record<string, string[]>>;
  cancel(): void;
}

/** The two checks on every worker: now, and once the longest lockDuration has passed. */
export function recoverStalledOnStart(workers: Worker[], onError: (err: Error) => void): RecoveryHandle {
  const moved: Record<string, string[]> = Object.fromEntries(workers.map((w) => [w.name, [] as string[]]));
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  let finish: () => void = () => undefined;
  const run = async () => {
    for (const w of workers) {
      if (cancelled || w.closing) continue;
      try {
        moved[w.name].push(...(await stalledCheckNow(w)));
      } catch (err) {
        onError(err as Error);
      }
    }
  };
  const waitMs = Math.max(0, ...workers.map((w) => w.opts.lockDuration ?? 30000)) + RECOVERY_MARGIN_MS;
  const done = (async () => {
    await run();
    await new Promise<void>((resolve) => {
      finish = resolve;
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    if (!cancelled) await run();
    return moved;
  })();
  return {
    done,
    cancel() {
      cancelled = true;
      if (timer) clearTimeout(timer);
      finish();
    },
  };
}
