import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The CLI's named SQL, in one place (bound parameters only). */
export const SQL = {
  tenantById: `SELECT id, name, timezone, status::text AS status FROM tenants WHERE id = $1`,
  softwareByKey: `SELECT id, key, is_enabled FROM softwares WHERE key = $1`,
  upsertConnection: `
    INSERT INTO pms_connections (id, tenant_id, software_id, status, credentials, external_account_id, last_error, sync_state, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, '{}'::jsonb, now(), now())
    ON CONFLICT (tenant_id, software_id) DO UPDATE
      SET status = EXCLUDED.status, credentials = EXCLUDED.credentials,
          external_account_id = COALESCE(EXCLUDED.external_account_id, pms_connections.external_account_id),
          last_error = EXCLUDED.last_error, updated_at = now()
    RETURNING id, (xmax = 0) AS inserted`,
  connectionById: `
    SELECT c.id, c.tenant_id, c.status, c.credentials, c.external_account_id, c.last_synced_at, c.last_error,
           s.key AS software, COALESCE(t.settings->>'currency', 'USD') AS currency
      FROM pms_connections c JOIN softwares s ON s.id = c.software_id JOIN tenants t ON t.id = c.tenant_id
     WHERE c.id = $1`,
  setConnectionTestResult: `
    UPDATE pms_connections
       SET status = $2, last_error = $3::jsonb,
           external_account_id = COALESCE($4, external_account_id), updated_at = now()
     WHERE id = $1`,
  listConnections: `
    SELECT c.id, c.tenant_id, t.name AS tenant_name, s.key AS software, c.status, c.last_synced_at,
           c.last_error->>'message' AS last_error
      FROM pms_connections c JOIN softwares s ON s.id = c.software_id JOIN tenants t ON t.id = c.tenant_id
     WHERE ($1::uuid IS NULL OR c.tenant_id = $1)
     ORDER BY t.name, s.key, c.created_at`,
  caseById: `SELECT id, tenant_id, status, closed_at FROM debt_cases WHERE id = $1`,
  syncRunByKey: `
    SELECT id, status, trigger, step, stats, error_message, triggered_at, started_at, finished_at
      FROM sync_runs WHERE pms_connection_id = $1 AND idempotency_key = $2`,
  syncRunById: `
    SELECT id, status, trigger, step, stats, error_message, triggered_at, started_at, finished_at
      FROM sync_runs WHERE id = $1`,
  lastSyncRunPerConnection: `
    SELECT DISTINCT ON (r.pms_connection_id)
           r.pms_connection_id AS connection_id, s.key AS software, c.status AS connection_status,
           r.id, r.status, r.trigger, r.step, r.stats, r.error_message, r.triggered_at, r.started_at, r.finished_at
      FROM sync_runs r
      JOIN pms_connections c ON c.id = r.pms_connection_id
      JOIN softwares s ON s.id = c.software_id
     ORDER BY r.pms_connection_id, r.triggered_at DESC`,
} as const;

export interface ConnectionRow {
  id: string;
  tenant_id: string;
  status: string;
  credentials: unknown;
  external_account_id: string | null;
  last_synced_at: Date | null;
  last_error: Record<string, unknown> | null;
  software: string;
  currency: string;
}

export interface SyncRunRow {
  id: string;
  status: string;
  trigger: string;
  step: string | null;
  stats: Record<string, unknown> | null;
  error_message: string | null;
  triggered_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

@Injectable()
export class CliQueries {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async one<T>(sql: string, params: unknown[]): Promise<T | undefined> {
    const rows = (await this.db.query(sql, params)) as T[];
    return rows[0];
  }

  async many<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, params)) as T[];
  }
}
