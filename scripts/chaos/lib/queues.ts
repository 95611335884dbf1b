import { Job, Queue } from 'bullmq';
import { sleep } from './harness';

export const PMS_SYNC = 'pms-sync';
export const CASE_ACTIONS = 'case-actions';

/** Waits until every listed job id is completed or failed; returns the jobs. Bounded in time. */
export async function waitJobsFinished(queue: Queue, ids: string[], timeoutMs: number): Promise<Map<string, Job>> {
  const end = Date.now() + timeoutMs;
  const pending = new Set(ids);
  const done = new Map<string, Job>();
  const missingSince = new Map<string, number>();
  while (pending.size > 0) {
    const batch = [...pending].slice(0, 500);
    const states = await Promise.all(batch.map((id) => queue.getJobState(id)));
    batch.forEach((id, i) => {
      if (states[i] !== 'unknown') return missingSince.delete(id);
      if (!missingSince.has(id)) missingSince.set(id, Date.now());
      else if (Date.now() - missingSince.get(id)! > 15000) throw new Error(`job ${id} on ${queue.name} is gone from Redis (lost)`);
    });
    const finished = batch.filter((_, i) => states[i] === 'completed' || states[i] === 'failed');
    // read the job only once it is finished, so failedReason/attemptsMade are final
    const jobs = await Promise.all(finished.map((id) => queue.getJob(id)));
    finished.forEach((id, i) => {
      pending.delete(id);
      done.set(id, jobs[i]!);
    });
    if (pending.size === 0) break;
    if (Date.now() > end) {
      const sample = [...pending].slice(0, 3);
      const st = await Promise.all(sample.map(async (id) => `${id}:${(await queue.getJob(id))?.getState ? await (await queue.getJob(id))!.getState() : 'missing'}`));
      throw new Error(`${pending.size} of ${ids.length} jobs on ${queue.name} not finished after ${timeoutMs} ms (e.g. ${st.join(', ')})`);
    }
    await sleep(batch.length === 500 ? 0 : 250);
  }
  return done;
}
