import IORedis from 'ioredis';
import { Client } from 'pg';
import { Env } from '../config/env.schema';
import { describeRedisUrl, redisOptionsFromUrl } from '../queues/redis-connection';
import { CommandFailed } from './exit-codes';

/**
 * Fast reachability checks before booting anything that would otherwise retry for a long time
 * (BullMQ's connection retries forever; TypeORM retries 5 times). Each fails with a clear message.
 */
export async function checkRedis(env: Pick<Env, 'REDIS_URL'>, timeoutMs = 4000): Promise<void> {
  const redis = new IORedis({
    ...redisOptionsFromUrl(env.REDIS_URL),
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    lazyConnect: true,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new CommandFailed(`Redis is unreachable at ${describeRedisUrl(env.REDIS_URL)} (REDIS_URL): ${(err as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

export function pgClientConfig(env: Pick<Env, 'DB_HOST' | 'DB_PORT' | 'DB_USER' | 'DB_PASSWORD' | 'DB_SSL'>, database: string, timeoutMs = 5000) {
  return {
    host: env.DB_HOST,
    port: env.DB_PORT,
    user: env.DB_USER,
    password: env.DB_PASSWORD || undefined,
    ssl: env.DB_SSL ? { rejectUnauthorized: false } : false,
    database,
    connectionTimeoutMillis: timeoutMs,
  };
}

export async function checkPostgres(env: Pick<Env, 'DB_HOST' | 'DB_PORT' | 'DB_USER' | 'DB_PASSWORD' | 'DB_SSL' | 'DB_NAME'>, database = env.DB_NAME): Promise<void> {
  const client = new Client(pgClientConfig(env, database));
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new CommandFailed(`Postgres is unreachable at ${env.DB_HOST}:${env.DB_PORT}/${database} (DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD): ${(err as Error).message || String(err)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
