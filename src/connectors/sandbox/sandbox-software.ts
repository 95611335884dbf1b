import { SANDBOX_KEY } from './sandbox.connector';

type Queryable = { query(sql: string, params?: unknown[]): Promise<unknown> };

/**
 * The `softwares` row of the sandbox PMS. Only the demo, the tests, the benchmarks and the chaos
 * scripts add it: on a production database the API's catalog would list a software with no
 * connector behind it, so `migrate` never does. Idempotent.
 */
export async function ensureSandboxSoftware(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO softwares (id, key, name, category, auth_type, auth_config, capabilities, is_enabled, created_at, updated_at)
     SELECT gen_random_uuid(), $1::varchar, 'Sandbox PMS (synthetic data)', 'property_manager', 'credentials', $2::jsonb, $3::jsonb, true, now(), now()
      WHERE NOT EXISTS (SELECT 1 FROM softwares WHERE key = $1::varchar)`,
    [
      SANDBOX_KEY,
      JSON.stringify({ requiredFields: ['seed'], fields: ['seed', 'leases', 'chargesPerLease', 'asOf', 'pageSize', 'pageDelayMs', 'failAt', 'version'] }),
      JSON.stringify({ fullSync: true, incrementalSync: false, leaseBalance: true }),
    ],
  );
}
