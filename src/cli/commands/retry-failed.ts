import { QueueProducer } from '../../queues/queue-producer.service';
import { GlobalOptions, withApp } from '../context';

const PAGE = 500;

/** Moves failed jobs (of one queue / one job name, or all) back to waiting with job.retry(). */
export async function retryFailed(o: { queue?: string; name?: string; json?: boolean }, g: GlobalOptions): Promise<void> {
  await withApp(g, async (app) => {
    const producer = app.get(QueueProducer);
    const queues = [producer.pmsSync, producer.caseActions].filter((q) => !o.queue || q.name === o.queue);
    const result: Record<string, { retried: number; skipped: number; errors: string[] }> = {};
    for (const q of queues) {
      const r = (result[q.name] = { retried: 0, skipped: 0, errors: [] as string[] });
      // Collect first (retrying shifts the failed set under a paginated read).
      const jobs = [];
      for (let start = 0; ; start += PAGE) {
        const page = await q.getFailed(start, start + PAGE - 1);
        jobs.push(...page);
        if (page.length < PAGE) break;
      }
      for (const j of jobs) {
        if (o.name && j.name !== o.name) {
          r.skipped += 1;
          continue;
        }
        try {
          await j.retry('failed');
          r.retried += 1;
        } catch (err) {
          r.errors.push(`${j.id}: ${(err as Error).message}`);
        }
      }
    }
    if (o.json) console.log(JSON.stringify(result));
    else {
      for (const [q, r] of Object.entries(result)) {
        console.log(`${q}: retried ${r.retried} failed job(s)${o.name ? ` named ${o.name}` : ''}${r.errors.length ? `, ${r.errors.length} could not be retried: ${r.errors.join('; ')}` : ''}`);
      }
    }
    if (Object.values(result).some((r) => r.errors.length)) process.exitCode = 1;
  });
}
