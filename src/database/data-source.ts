import { DataSource, DataSourceOptions } from 'typeorm';
import { Env } from '../config/env.schema';
import { apiSchemaSql, ApiSchemaVariant } from './api-schema/api-schema';
import { completeMigrationsSchemaWithModels } from './api-schema/completed-migrations';
import { MIGRATIONS } from './migrations';
import { ensureApiIndexes, EnsureResult, existingTables, missingApiTables, MissingApiTablesError, waitForAdvisoryLock } from './schema/schema-guard';
import { REQUIRED_API_TABLES } from './schema/api-indexes';

export function dataSourceOptions(env: Pick<Env, 'DB_HOST' | 'DB_PORT' | 'DB_NAME' | 'DB_USER' | 'DB_PASSWORD' | 'DB_SSL' | 'DB_POOL_SIZE'>, appName = 'mordecai-workers'): DataSourceOptions {
  return {
    type: 'postgres',
    host: env.DB_HOST,
    port: env.DB_PORT,
    database: env.DB_NAME,
    username: env.DB_USER,
    password: env.DB_PASSWORD || undefined,
    ssl: env.DB_SSL ? { rejectUnauthorized: false } : false,
    // No entities: every statement is SQL of our own, and the API's tables are described by the
    // API's schema (its fixture), not by a second copy here.
    entities: [],
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

export interface MigrateOptions {
  /**
   * Build the Mordecai API's tables from the schema fixture dumped from the API itself, on a
   * database that has none of them (the demo and the tests; never needed beside a running API).
   */
  apiSchema?: ApiSchemaVariant;
}

export interface MigrateResult {
  /** migrations applied (empty when up to date) */
  applied: string[];
  /** true when the API's schema was built from its fixture */
  apiSchemaBuilt: boolean;
  indexes: EnsureResult;
}

/**
 * Prepares a database for the workers: checks that the API's tables are there (or, when asked,
 * builds them from the API's fixture on a database that has none), runs our migrations (our own
 * tables only), then ensures our indexes on the API's tables. Safe to run again at any time.
 */
export async function runMigrations(env: Parameters<typeof dataSourceOptions>[0], opts: MigrateOptions = {}): Promise<MigrateResult> {
  const ds = new DataSource({ ...dataSourceOptions(env, 'mordecai-workers-migrate'), extra: { max: 2 } });
  await ds.initialize();
  try {
    // One migrator at a time, even when several processes start together.
    await waitForAdvisoryLock(ds, 'mordecai-workers:migrations');
    let apiSchemaBuilt = false;
    try {
      const missing = await missingApiTables(ds);
      if (missing.length > 0) {
        const anyApiTable = (await existingTables(ds, REQUIRED_API_TABLES)).size > 0;
        if (!opts.apiSchema || anyApiTable) throw new MissingApiTablesError(missing);
        // A schema dump sets session settings (search_path, timeouts) for itself: run it on a
        // connection of its own and leave that connection as it found it.
        const runner = ds.createQueryRunner();
        await runner.connect();
        try {
          await runner.query(apiSchemaSql(opts.apiSchema));
          if (opts.apiSchema === 'migrations') await completeMigrationsSchemaWithModels(runner);
        } finally {
          await runner.query('RESET ALL').catch(() => undefined);
          await runner.release();
        }
        apiSchemaBuilt = true;
      }
      const applied = await ds.runMigrations({ transaction: 'each' });
      const indexes = await ensureApiIndexes(ds, { only: 'all', wait: true });
      return { applied: applied.map((m) => m.name), apiSchemaBuilt, indexes };
    } finally {
      await ds.query('SELECT pg_advisory_unlock(hashtext($1))', ['mordecai-workers:migrations']);
    }
  } finally {
    await ds.destroy();
  }
}
