import { Job, UnrecoverableError } from 'bullmq';

/**
 * The API's per-connection lock. Before it enqueues any pms-sync job the API takes
 * `SET pms-sync:lock:<tenantId>:<connectionId> 1 NX EX 600` (a plain key: no BullMQ prefix) and
 * refuses Sync / Build / Refresh with 409 while the key exists. It counts on the job's end to
 * release it; without that the buttons stay refused for the whole 10 minutes.
 */
export const API_SYNC_LOCK_TTL_MS = 600_000;

/**
 * A lock that looks taken more than this long after the job was enqueued belongs to a later
 * request (the API sets the lock just before it adds the job). Covers clock skew between the
 * API's machine (job.timestamp) and this one.
 */
export const API_SYNC_LOCK_SLACK_MS = 60_000;

export function apiSyncLockKey(tenantId: string, connectionId: string): string {
  return `pms-sync:lock:${tenantId}:${connectionId}`;
}

/** The ids of a pms-sync payload, when both are present strings (an invalid payload has none). */
export function lockIdsOf(data: unknown): { tenantId: string; connectionId: string } | null {
  const d = data as { tenantId?: unknown; connectionId?: unknown } | null;
  if (!d || typeof d.tenantId !== 'string' || typeof d.connectionId !== 'string') return null;
  if (!d.tenantId || !d.connectionId || d.tenantId.includes(':') || d.connectionId.includes(':')) return null;
  return { tenantId: d.tenantId, connectionId: d.connectionId };
}

/**
 * Whether a failed job has ended for good (read in the worker's `failed` event, after BullMQ moved
 * it): an UnrecoverableError, no attempt left, or BullMQ already marked it finished. A job that
 * will be retried is in the delayed or waiting set with attempts left.
 */
export function failedForGood(job: Pick<Job, 'attemptsMade' | 'opts' | 'finishedOn'>, err?: Error): boolean {
  if (err instanceof UnrecoverableError || err?.name === 'UnrecoverableError') return true;
  if (job.finishedOn) return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * Deletes the lock only when it is the one taken for this job: it must exist, carry the API's
 * expiry, and (from its remaining time) have been taken no later than the job's enqueue time plus
 * the slack. KEYS[1] the lock; ARGV[1] now (ms), ARGV[2] the job's enqueue time (ms), ARGV[3] ttl,
 * ARGV[4] slack. Returns 1 deleted, 0 absent, -1 a lock without expiry (not the API's), -2 newer.
 */
export const RELEASE_API_SYNC_LOCK_LUA = `
local pttl = redis.call('PTTL', KEYS[1])
if pttl == -2 then return 0 end
if pttl == -1 then return -1 end
local takenAt = tonumber(ARGV[1]) - (tonumber(ARGV[3]) - pttl)
if takenAt > tonumber(ARGV[2]) + tonumber(ARGV[4]) then return -2 end
return redis.call('DEL', KEYS[1])`;

export type LockRelease = 'released' | 'absent' | 'not-the-apis' | 'newer-lock';

const OUTCOME: Record<number, LockRelease> = { 1: 'released', 0: 'absent', [-1]: 'not-the-apis', [-2]: 'newer-lock' };

/** The part of an ioredis client (or Cluster) this needs. */
export interface EvalClient {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export async function releaseApiSyncLock(redis: EvalClient, ids: { tenantId: string; connectionId: string }, enqueuedAt: number, now = Date.now()): Promise<LockRelease> {
  const r = Number(await redis.eval(RELEASE_API_SYNC_LOCK_LUA, 1, apiSyncLockKey(ids.tenantId, ids.connectionId), now, enqueuedAt, API_SYNC_LOCK_TTL_MS, API_SYNC_LOCK_SLACK_MS));
  const out = OUTCOME[r];
  if (!out) throw new Error(`unexpected reply ${r} from the lock release script`);
  return out;
}
