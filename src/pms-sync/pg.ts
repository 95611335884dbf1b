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
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
