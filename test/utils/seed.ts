import { Pool } from 'pg';
import { encryptCredentials } from '../../src/common/credentials-crypto';
import { TEST_ENCRYPTION_KEY } from './env';

/**
 * Rows most end-to-end files start from: a tenant (optionally with the usual aging flow policies) and a
 * PMS connection whose credentials are stored the way the API stores them (encrypted with the test
 * key unless told otherwise).
 */

/** The three flow policies by days past due the sync's e2e files use: 1-30, 31-90, 91+. */
export const AGING_POLICIES = [
  ['early', 1, 30],
  ['mid', 31, 90],
  ['late', 91, null],
] as const;

export async function insertTenant(pool: Pool, name: string, policies: readonly (readonly [string, number, number | null])[] = []): Promise<string> {
  const tenantId = (await pool.query(`INSERT INTO tenants (id, created_at, updated_at, name) VALUES (gen_random_uuid(), now(), now(), $1) RETURNING id`, [name])).rows[0].id as string;
  for (const [policy, min, max] of policies) {
    await pool.query(`INSERT INTO flow_policies (id, created_at, updated_at, tenant_id, name, min_days_past_due, max_days_past_due) VALUES (gen_random_uuid(), now(), now(), $1, $2, $3, $4)`, [tenantId, policy, min, max]);
  }
  return tenantId;
}

export async function insertConnection(
  pool: Pool,
  o: {
    tenantId: string;
    /** softwares.key (default sandbox) */
    software?: string;
    /** plain credentials, stored encrypted with `key` (default the test key) */
    credentials?: unknown;
    key?: string;
    /** a stored value written as it is instead (malformed-credentials tests); null for none */
    stored?: unknown;
    status?: string;
  },
): Promise<string> {
  const value = o.stored !== undefined ? o.stored : o.credentials === undefined ? null : encryptCredentials(o.credentials, o.key ?? TEST_ENCRYPTION_KEY);
  const { rows } = await pool.query(
    `INSERT INTO pms_connections (id, created_at, updated_at, tenant_id, software_id, status, credentials)
     SELECT gen_random_uuid(), now(), now(), $1, id, $2, $3::jsonb FROM softwares WHERE key = $4 RETURNING id`,
    [o.tenantId, o.status ?? 'connected', value === null ? null : JSON.stringify(value), o.software ?? 'sandbox'],
  );
  if (rows.length !== 1) throw new Error(`no software with key ${o.software ?? 'sandbox'}`);
  return rows[0].id as string;
}

/**
 * The connection an automation runs on when a test names none: the API creates an automation only on
 * a connection of the tenant (collection_automations.pms_connection_id is NOT NULL in the SQL
 * migrations' schema; one connection per tenant and software). The tenant's own connection when it has
 * one, else a new disconnected sandbox one that no maintenance or scheduled sync walks.
 */
export async function automationConnection(pool: Pool, tenantId: string): Promise<string> {
  const existing = await pool.query(`SELECT id FROM pms_connections WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1`, [tenantId]);
  if (existing.rows.length === 1) return existing.rows[0].id as string;
  const { rows } = await pool.query(
    `INSERT INTO pms_connections (id, created_at, updated_at, tenant_id, software_id, status)
     SELECT gen_random_uuid(), now(), now(), $1, id, 'disconnected' FROM softwares WHERE key = 'sandbox' RETURNING id`,
    [tenantId],
  );
  if (rows.length !== 1) throw new Error(`automationConnection: no softwares row with key sandbox (tenant ${tenantId})`);
  return rows[0].id as string;
}
