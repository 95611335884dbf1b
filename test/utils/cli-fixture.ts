import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from './db';
import { baseEnv } from './env';
import { cleanPrefix, testPrefix, testQueue } from './queues';

/**
 * The shared setup of the CLI end-to-end files: a database of their own, a queue prefix, the env the
 * CLI runs with, the two queues to look into, and one tenant. Call at the top level of a test file:
 * it registers the beforeAll/afterAll and returns an object whose fields are set once beforeAll ran.
 */
export interface CliFixture {
  db: TestDatabase;
  pool: Pool;
  prefix: string;
  env: Record<string, string>;
  pmsSync: Queue;
  caseActions: Queue;
  tenantId: string;
  newTenant(name?: string): Promise<string>;
}

export function cliFixture(): CliFixture {
  const fx = {
    async newTenant(name = 'CLI tenant'): Promise<string> {
      const { rows } = await fx.pool.query(`INSERT INTO tenants (id, created_at, updated_at, name) VALUES (gen_random_uuid(), now(), now(), $1) RETURNING id`, [name]);
      return rows[0].id as string;
    },
  } as CliFixture;
  beforeAll(async () => {
    fx.db = await createTestDatabase();
    fx.pool = fx.db.pool;
    fx.prefix = testPrefix();
    fx.env = baseEnv(fx.db.name, fx.prefix);
    fx.pmsSync = testQueue('pms-sync', fx.prefix);
    fx.caseActions = testQueue('case-actions', fx.prefix);
    fx.tenantId = await fx.newTenant();
  });
  afterAll(async () => {
    await fx.pmsSync?.close();
    await fx.caseActions?.close();
    if (fx.prefix) await cleanPrefix(fx.prefix);
    await fx.db?.drop();
  });
  return fx;
}

/** Fails with the process's output when its exit code is not the one expected. */
export function expectCode(r: { code: number | null; stdout: string; stderr: string }, code: number): void {
  if (r.code !== code) throw new Error(`expected exit ${code}, got ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}
