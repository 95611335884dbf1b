import { MigrationInterface, QueryRunner } from 'typeorm';
import { apiSoftwareSeeds } from '../api-schema/api-schema';

/**
 * The `softwares` rows of the Buildium and Rentvine connectors, in the shape the API's own catalog
 * seeds them (category 'property_manager', which its catalog lists by, and auth_config.requiredFields,
 * which its connection form reads). A row is inserted only when the catalog has none with that key:
 * a row the API made is never touched. The sandbox PMS is never added here (see
 * ensureSandboxSoftware): on a production database it would show in the API's catalog with no
 * connector behind it.
 */
export class PmsSoftwares1764300400000 implements MigrationInterface {
  name = 'PmsSoftwares1764300400000';

  async up(db: QueryRunner): Promise<void> {
    // The rows exactly as the API's seed scripts create them through its catalog service.
    for (const r of apiSoftwareSeeds()) {
      await db.query(
        `INSERT INTO softwares (id, key, name, category, auth_type, auth_config, capabilities, logo_url, docs_url, is_enabled, created_at, updated_at)
         SELECT gen_random_uuid(), $1::varchar, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, now(), now()
          WHERE NOT EXISTS (SELECT 1 FROM softwares WHERE key = $1::varchar)`,
        [r.key, r.name, r.category, r.auth_type, JSON.stringify(r.auth_config), JSON.stringify(r.capabilities), r.logo_url, r.docs_url, r.is_enabled],
      );
    }
  }

  async down(): Promise<void> {
    // Never delete softwares rows: pms_connections of the API reference them.
  }
}
