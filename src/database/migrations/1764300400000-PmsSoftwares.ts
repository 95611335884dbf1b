import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `softwares` rows of the Buildium and Rentvine connectors, exactly as the API's own catalog
 * seed makes them (its catalog lists by category 'property_manager' and its connection form reads
 * auth_config.requiredFields). Only inserted when the key is missing: a row the API (or a previous
 * run) made is left exactly as it is, so the API's seed and ours never fight. The sandbox PMS is
 * not here: only the demo and the tests add it (a catalog entry with no connector behind it must
 * never reach a production database).
 */
export interface SoftwareRow {
  key: string;
  name: string;
  category: string;
  authType: string;
  authConfig: Record<string, unknown>;
  capabilities: Record<string, unknown>;
  logoUrl: string | null;
  docsUrl: string | null;
  isEnabled: boolean;
}

export const PMS_SOFTWARES: SoftwareRow[] = [
  {
    key: 'buildium',
    name: 'Buildium',
    category: 'property_manager',
    authType: 'apiKey',
    authConfig: {
      requiredFields: ['clientId', 'clientSecret'],
      headerNames: { clientId: 'x-buildium-client-id', clientSecret: 'x-buildium-client-secret' },
      description:
        'API key: client ID and secret sent in request headers. Enable Open API in Settings > Application settings > Api settings; create keys in Settings > Developer Tools > Create API Key.',
    },
    capabilities: {
      supportsExportLeases: true,
      supportsExportProperties: true,
      supportsExportUnits: true,
      supportsExportApplications: true,
      supportsUpdatedSince: true,
      exportDateField: 'ModifiedDateTime',
      supportsAccounting: true,
      supportsContacts: true,
      supportsFilesUpload: true,
      supportsLeases: true,
      supportsMaintenance: true,
      supportsPortfolios: true,
      supportsProperties: true,
      supportsUnits: true,
      supportsAssociations: true,
      supportsListings: true,
      supportsApplicants: true,
    },
    logoUrl: 'https://developer.buildium.com/Buildium-RP-Color-Logo.png',
    docsUrl: 'https://developer.buildium.com/',
    isEnabled: true,
  },
  {
    key: 'rentvine',
    name: 'Rentvine',
    category: 'property_manager',
    authType: 'apiKey',
    authConfig: {
      requiredFields: ['accessKey', 'secret', 'account'],
      optionalFields: [],
      description:
        'HTTP Basic Auth: access key = username, secret = password. Account = subdomain (e.g. b4imanagement) or full URL (https://b4imanagement.rentvine.com).',
      docsUrl: 'https://docs.rentvine.com/',
    },
    capabilities: {
      payment: { allowed: true, link: 'https://account.rentvine.com/auth/login?access_type=account&redirect_uri=%2Fauth%2Fselect' },
      supportsExportLeases: true,
      supportsExportProperties: true,
      supportsExportUnits: true,
      supportsExportApplications: true,
      supportsUpdatedSince: true,
      exportDateField: 'dateTimeModified',
      supportsAccounting: true,
      supportsContacts: true,
      supportsFilesUpload: true,
      supportsLeases: true,
      supportsMaintenance: true,
      supportsPortfolios: true,
      supportsProperties: true,
      supportsUnits: true,
    },
    logoUrl: 'https://production-rentvine-accounts-public.s3.amazonaws.com/_resources/logo.png',
    docsUrl: 'https://docs.rentvine.com/',
    isEnabled: true,
  },
];

type Queryable = { query(sql: string, params?: unknown[]): Promise<any> };

/** Rows of a query from a TypeORM QueryRunner (an array) or a pg client / pool ({rows}). */
async function rowsOf<T>(db: Queryable, sql: string, params?: unknown[]): Promise<T[]> {
  const res = await db.query(sql, params);
  return (Array.isArray(res) ? res : (res?.rows ?? [])) as T[];
}

/**
 * Inserts the rows whose key is missing, giving id and timestamps (the API's tables carry no
 * database defaults). logo_url / docs_url are written where the table has them (the API's model
 * has them; an older contract table may not). Returns the keys inserted.
 */
export async function ensurePmsSoftwares(db: Queryable, rows: SoftwareRow[] = PMS_SOFTWARES): Promise<string[]> {
  const cols = await rowsOf<{ column_name: string }>(
    db,
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'softwares' AND column_name IN ('logo_url', 'docs_url')`,
  );
  const urls = cols.length === 2;
  const inserted: string[] = [];
  for (const r of rows) {
    const res = await rowsOf<{ key: string }>(
      db,
      `INSERT INTO softwares (id, key, name, category, auth_type, auth_config, capabilities, is_enabled, created_at, updated_at${urls ? ', logo_url, docs_url' : ''})
       SELECT gen_random_uuid(), $1::varchar, $2, $3, $4, $5::jsonb, $6::jsonb, $7, now(), now()${urls ? ', $8, $9' : ''}
        WHERE NOT EXISTS (SELECT 1 FROM softwares WHERE key = $1::varchar)
       RETURNING key`,
      [r.key, r.name, r.category, r.authType, JSON.stringify(r.authConfig), JSON.stringify(r.capabilities), r.isEnabled, ...(urls ? [r.logoUrl, r.docsUrl] : [])],
    );
    if (res.length > 0) inserted.push(r.key);
  }
  return inserted;
}

export class PmsSoftwares1764300400000 implements MigrationInterface {
  name = 'PmsSoftwares1764300400000';

  async up(db: QueryRunner): Promise<void> {
    await ensurePmsSoftwares(db);
  }

  async down(): Promise<void> {
    // Never delete softwares rows: pms_connections of the API reference them.
  }
}
