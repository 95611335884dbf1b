import { Pool } from 'pg';
import { randomBytes } from 'crypto';
import { onCleanup } from './harness';
import { prepareScratchDatabase } from '../../../src/database/scratch-database';
import { admin, PG } from '../../lib/admin-pg';

export interface ChaosDb {
  name: string;
  pool: Pool;
  env: Record<string, string>;
}

/** A database of our own (mw_chaos_*), migrated, dropped on exit. */
export async function createChaosDb(label: string): Promise<ChaosDb> {
  const name = `mw_chaos_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  onCleanup(`drop database ${name}`, () => {
    if (process.env.CHAOS_KEEP_DB) {
      process.stderr.write(`kept database ${name}\n`);
      return;
    }
    return admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined);
  });
  await prepareScratchDatabase({ DB_HOST: PG.host, DB_PORT: PG.port, DB_NAME: name, DB_USER: PG.user, DB_PASSWORD: PG.password, DB_SSL: false, DB_POOL_SIZE: 2 });
  const pool = new Pool({ ...PG, database: name, max: 4, application_name: 'chaos-harness' });
  pool.on('error', () => undefined);
  onCleanup(`close pool ${name}`, () => pool.end());
  return {
    name,
    pool,
    env: { DB_HOST: PG.host, DB_PORT: String(PG.port), DB_USER: PG.user, DB_PASSWORD: PG.password, DB_NAME: name },
  };
}

/** Terminates every backend of the worker/scheduler processes (application_name mordecai-*) of our database only. */
export async function terminateAppConnections(db: ChaosDb): Promise<number> {
  return admin(async (c) => {
    const r = await c.query(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'mordecai-%' AND pid <> pg_backend_pid()`,
      [db.name],
    );
    return r.rows[0].n as number;
  });
}

/** Row count and an order-independent content checksum of a table, ids and timestamps excluded. */
export async function tableChecksum(pool: Pool, table: string, columns: string[], orderBy: string): Promise<{ rows: number; md5: string }> {
  const cols = columns.map((c) => `coalesce(${c}::text, '∅')`).join(` || '|' || `);
  const r = await pool.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(${cols}, E'\\n' ORDER BY ${orderBy}), '')) AS md5 FROM ${table}`);
  return { rows: r.rows[0].n, md5: r.rows[0].md5 };
}
