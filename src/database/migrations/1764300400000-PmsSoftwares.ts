import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `softwares` rows of the Buildium and Rentvine connectors, in the shape the API's own catalog
 * seeds them (category 'property_manager', which its catalog lists by, and auth_config.requiredFields,
 * which its connection form reads). A row is inserted only when the catalog has none with that key:
 * a row the API made is never touched. The sandbox PMS is never added here (see
 * ensureSandboxSoftware): on a production database it would show in the API's catalog with no
 * connector behind it.
 */
const ROWS: { key: string; name: string; authType: string; authConfig: unknown; capabilities: unknown; logoUrl: string; docsUrl: string }[] = [
  {
    key: 'buildium',
    name: 'Buildium',
    authType: 'apiKey',
    authConfig: {
      requiredFields: ['clientId', 'clientSecret'],
      headerNames: { clientId: 'x-buildium-client-id', clientSecret: 'x-buildium-client-secret' },
      description: 'API key: client ID and secret sent in request headers.',
    },
    capabilities: {
      supportsExportLeases: true,
      supportsExportProperties: true,
      supportsExportUnits: true,
      supportsUpdatedSince: true,
      exportDateField: 'ModifiedDateTime',
      supportsAccounting: true,
      supportsContacts: true,
      supportsLeases: true,
      supportsPortfolios: true,
      supportsProperties: true,
      supportsUnits: true,
    },
    logoUrl: 'https://developer.buildium.com/Buildium-RP-Color-Logo.png',
    docsUrl: 'https://developer.buildium.com/',
  },
  {
    key: 'rentvine',
    name: 'Rentvine',
    authType: 'apiKey',
    authConfig: {
      requiredFields: ['accessKey', 'secret', 'account'],
      optionalFields: [],
      description: 'HTTP Basic Auth: access key = username, secret = password. Account = subdomain or full URL.',
      docsUrl: 'https://docs.rentvine.com/',
    },
    capabilities: {
      supportsExportLeases: true,
      supportsExportProperties: true,
      supportsExportUnits: true,
      supportsUpdatedSince: true,
      exportDateField: 'dateTimeModified',
      supportsAccounting: true,
      supportsContacts: true,
      supportsLeases: true,
      supportsPortfolios: true,
      supportsProperties: true,
      supportsUnits: true,
    },
    logoUrl: 'https://production-rentvine-accounts-public.s3.amazonaws.com/_resources/logo.png',
    docsUrl: 'https://docs.rentvine.com/',
  },
];

export class PmsSoftwares1764300400000 implements MigrationInterface {
  name = 'PmsSoftwares1764300400000';

  async up(db: QueryRunner): Promise<void> {
    for (const r of ROWS) {
      await db.query(
        `INSERT INTO softwares (id, key, name, category, auth_type, auth_config, capabilities, logo_url, docs_url, is_enabled, created_at, updated_at)
         SELECT gen_random_uuid(), $1::varchar, $2, 'property_manager', $3, $4::jsonb, $5::jsonb, $6, $7, true, now(), now()
          WHERE NOT EXISTS (SELECT 1 FROM softwares WHERE key = $1::varchar)`,
        [r.key, r.name, r.authType, JSON.stringify(r.authConfig), JSON.stringify(r.capabilities), r.logoUrl, r.docsUrl],
      );
    }
  }

  async down(): Promise<void> {
    // Never delete softwares rows: pms_connections of the API reference them.
  }
}
