import type Redis from 'ioredis';
import { Cluster, RedisOptions } from 'ioredis';

/**
 * ioredis options from REDIS_URL (redis:// or rediss:// for TLS, as Upstash uses).
 * maxRetriesPerRequest: null is required by BullMQ's blocking connection; reconnects back off
 * up to 5 s so a Redis restart is survived without a crash loop.
 */
export function redisOptionsFromUrl(url: string, extra: Partial<RedisOptions> = {}): RedisOptions {
  const u = new URL(url);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : undefined,
    tls: u.protocol === 'rediss:' ? { servername: u.hostname } : undefined,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times: number) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
    ...extra,
  };
}

/** host:port of a Redis URL without credentials, for logs. */
export function describeRedisUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}:${u.port || 6379}`;
}

/**
 * The BullMQ connection: plain ioredis options from REDIS_URL, or, when REDIS_CLUSTER_NODES is set,
 * an ioredis Cluster seeded with those nodes (password/TLS from REDIS_URL). BullMQ shares the
 * Cluster instance for queue commands and duplicates it for each worker's blocking connection.
 */
export function bullConnection(env: { REDIS_URL: string; REDIS_CLUSTER_NODES?: { host: string; port: number }[] }): RedisOptions | Cluster {
  if (!env.REDIS_CLUSTER_NODES || env.REDIS_CLUSTER_NODES.length === 0) return redisOptionsFromUrl(env.REDIS_URL);
  const { host: _h, port: _p, db: _db, retryStrategy, ...redisOptions } = redisOptionsFromUrl(env.REDIS_URL);
  return new Cluster(env.REDIS_CLUSTER_NODES, {
    redisOptions,
    enableReadyCheck: true,
    maxRedirections: 16,
    clusterRetryStrategy: retryStrategy,
    // Nodes restart with the same address; re-read the slot map after any reconnect.
    slotsRefreshTimeout: 2000,
    dnsLookup: (address, callback) => callback(null, address),
  });
}

/** Deletes every key under a BullMQ prefix (SCAN + DEL in pages; never KEYS). Returns how many. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
