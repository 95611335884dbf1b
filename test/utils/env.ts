/** Connection settings of the test services (the machine's Postgres and Redis by default). */
export const TEST_DB = {
  host: process.env.TEST_DB_HOST ?? process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.TEST_DB_PORT ?? process.env.DB_PORT ?? 5432),
  user: process.env.TEST_DB_USER ?? process.env.DB_USER ?? 'postgres',
  password: process.env.TEST_DB_PASSWORD ?? process.env.DB_PASSWORD ?? '',
};
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEMPLATE_DB_ENV = 'MW_TEST_TEMPLATE_DB';

/** A 32-byte key (base64) used by tests as CREDENTIALS_ENCRYPTION_KEY. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export function baseEnv(dbName: string, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DB_HOST: TEST_DB.host,
    DB_PORT: String(TEST_DB.port),
    DB_USER: TEST_DB.user,
    DB_PASSWORD: TEST_DB.password,
    DB_NAME: dbName,
    REDIS_URL: TEST_REDIS_URL,
    BULLMQ_PREFIX: prefix,
    CREDENTIALS_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    WORKER_SHUTDOWN_TIMEOUT_MS: '30000',
    ...extra,
  };
}
