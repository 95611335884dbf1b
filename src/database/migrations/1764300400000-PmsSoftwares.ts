import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `softwares` rows of the Buildium and Rentvine connectors. Idempotent: a row the API (or a
 * previous run) already created is left exactly as it is (ON CONFLICT (key) DO NOTHING).
 */
const ROWS: { key: string; name: string; authType: string; authConfig: unknown; capabilities: unknown }[] = [
  {
    key: 'buildium',
    name: 'Buildium',
    authType: 'api_key',
    authConfig: { fields: ['clientId', 'clientSecret'], headers: ['x-buildium-client-id', 'x-buildium-client-secret'] },
    capabilities: { fullSync: true, incrementalSync: true, leaseBalance: true, agingBuckets: true, portfolios: false, requestsPerSecond: 10 },
  },
  {
    key: 'rentvine',
    name: 'Rentvine',
    authType: 'basic',
    authConfig: { fields: ['account', 'accessKey', 'secret'], account: 'subdomain, host or URL of {account}.rentvine.com' },
    capabilities: { fullSync: true, incrementalSync: true, leaseBalance: true, agingBuckets: false, portfolios: true },
  },
];

export class PmsSoftwares1764300400000 implements MigrationInterface {
  name = 'PmsSoftwares1764300400000';

  async up(db: QueryRunner): Promise<void> {
    for (const r of ROWS) {
      await db.query(
        `INSERT INTO softwares (id, key, name, category, auth_type, auth_config, capabilities, is_enabled, created_at, updated_at)
         SELECT gen_random_uuid(), $1::varchar, $2, 'property_manager', $3, $4::jsonb, $5::jsonb, true, now(), now()
          WHERE NOT EXISTS (SELECT 1 FROM softwares WHERE key = $1::varchar)`,
        [r.key, r.name, r.authType, JSON.stringify(r.authConfig), JSON.stringify(r.capabilities)],
      );
    }
  }

  async down(): Promise<void> {
    // Never delete softwares rows: pms_connections of the API reference them.
  }
}
