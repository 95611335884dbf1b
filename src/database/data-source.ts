import { DataSource, DataSourceOptions } from 'typeorm';
import { Env } from '../config/env.schema';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(env: Pick<Env, 'DB_HOST' | 'DB_PORT' | 'DB_NAME' | 'DB_USER' | 'DB_PASSWORD' | 'DB_SSL' | 'DB_POOL_SIZE'>, appName = 'mordecai-workers'): DataSourceOptions {
  return {
    type: 'postgres',
    host: env.DB_HOST,
    port: env.DB_PORT,
    database: env.DB_NAME,
    username: env.DB_USER,
    password: env.DB_PASSWORD || undefined,
    ssl: env.DB_SSL ? { rejectUnauthorized: false } : false,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'worker_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Never run DDL at start-up: by default TypeORM runs CREATE EXTENSION "uuid-ossp" on every
    // connect (a needless extension in the API's database, a warning without superuser rights,
    // and a round trip at start-up). ids default to gen_random_uuid() (pgcrypto / PG 13+).
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: false,
    applicationName: appName,
    extra: {
      max: env.DB_POOL_SIZE,
      // Dead connections (pg_terminate_backend, failover) are dropped from the pool and replaced.
      idleTimeoutMillis: 30000,
      connectionTimeoutMillis: 10000,
      keepAlive: true,
    },
  };
}

/** Runs pending migrations; returns the names applied (empty when up to date). */
export async function runMigrations(env: Parameters<typeof dataSourceOptions>[0]): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(env, 'mordecai-workers-migrate'), extra: { max: 2 } });
  await ds.initialize();
  try {
    // One migrator at a time, even when several processes start together.
    await ds.query('SELECT pg_advisory_lock(hashtext($1))', ['mordecai-workers:migrations']);
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock(hashtext($1))', ['mordecai-workers:migrations']);
    }
  } finally {
    await ds.destroy();
  }
}
