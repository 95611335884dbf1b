import { Client } from 'pg';

/**
 * Postgres for the benchmark and chaos scripts: the connection settings (TEST_DB_* first, then DB_*,
 * then 127.0.0.1:5432 postgres) and a short-lived client on the `postgres` database for CREATE/DROP
 * DATABASE.
 */
export const PG = {
  host: process.env.TEST_DB_HOST ?? process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.TEST_DB_PORT ?? process.env.DB_PORT ?? 5432),
  user: process.env.TEST_DB_USER ?? process.env.DB_USER ?? 'postgres',
  password: process.env.TEST_DB_PASSWORD ?? process.env.DB_PASSWORD ?? '',
};

export async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ ...PG, database: 'postgres' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
