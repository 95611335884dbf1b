/**
 * The API's per-connection lock, shared with it: a plain Redis key (no BullMQ prefix)
 * `pms-sync:lock:<tenantId>:<connectionId>`, taken with SET ... 1 NX EX 600 and released with DEL.
 * While it exists the API refuses Sync/Build/Refresh; maintenance skips a connection whose lock is held.
 */
export const PMS_SYNC_LOCK_TTL_SECONDS = 600;

export function pmsSyncLockKey(tenantId: string, connectionId: string): string {
  return `pms-sync:lock:${tenantId}:${connectionId}`;
}

export interface LockRedis {
  set(key: string, value: string, ex: 'EX', seconds: number, nx: 'NX'): Promise<string | null>;
  del(key: string): Promise<number>;
}

export async function acquirePmsSyncLock(redis: LockRedis, tenantId: string, connectionId: string): Promise<boolean> {
  return (await redis.set(pmsSyncLockKey(tenantId, connectionId), '1', 'EX', PMS_SYNC_LOCK_TTL_SECONDS, 'NX')) === 'OK';
}

export async function releasePmsSyncLock(redis: LockRedis, tenantId: string, connectionId: string): Promise<void> {
  await redis.del(pmsSyncLockKey(tenantId, connectionId));
}
