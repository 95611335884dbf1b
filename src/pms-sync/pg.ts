import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Pool, PoolClient } from 'pg';

/**
 * Plain pg access for the sync engine's set-based SQL: the pool behind TypeORM's data source
 * (one pool per process), and a transaction helper.
 */
@Injectable()
export class SyncDb {
  constructor(private readonly ds: DataSource) {}

  get pool(): Pool {
    return (this.ds.driver as unknown as { master: Pool }).master;
  }

  async query<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params)).rows as T[];
  }

  async tx<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no 'error' listener of the pool: without this one, a backend killed
    // under it (pg_terminate_backend, failover) is an unhandled 'error' event that crashes the process.
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      if (!broken) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.removeListener('error', onError);
      // a broken client is destroyed, not returned to the pool
      client.release(broken);
    }
  }
}
