import { Job, Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { randomBytes } from 'crypto';
import { TEST_REDIS_URL } from './env';
import { deleteKeysWithPrefix, redisOptionsFromUrl } from '../../src/queues/redis-connection';

/** A fresh BullMQ prefix per test file: queues of different runs never meet. */
export function testPrefix(): string {
  return `mwt-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function testQueue(name: string, prefix: string): Queue {
  return new Queue(name, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix });
}

export function testQueueEvents(name: string, prefix: string): QueueEvents {
  return new QueueEvents(name, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix });
}

/** Waits until a job is completed or failed (polling; no QueueEvents needed). */
export async function waitForJobEnd(queue: Queue, jobId: string, timeoutMs = 60000): Promise<Job> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(jobId);
    if (job) {
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') return (await queue.getJob(jobId))!;
    }
    if (Date.now() > end) throw new Error(`job ${jobId} did not finish within ${timeoutMs} ms (state ${job ? await job.getState() : 'missing'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Deletes every key of a test prefix. */
export async function cleanPrefix(prefix: string): Promise<void> {
  const redis = new IORedis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
}
