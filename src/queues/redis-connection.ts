import { RedisOptions } from 'ioredis';

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
