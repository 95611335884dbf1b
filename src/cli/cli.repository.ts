import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CollectionsOverview, MessagesOverview, collectionsOverview, messagesOverview } from '../collections/collections-stats';
import { SchemaDrift, schemaDrift } from '../database/schema/schema-guard';

/** The CLI's SQL, private to this file (bound parameters only). */
const SQL = {
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

export interface TenantRow {
  id: string;
  name: string;
  timezone: string | null;
  status: string;
}

export interface SoftwareRow {
  id: string;
  key: string;
  is_enabled: boolean;
}

/** A connection as the CLI shows and tests it (the engines read other columns: ConnectionLoader). */
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

/** A connection as `connection list` shows it (a type, so that table() takes it as a record). */
export type ConnectionListRow = {
  id: string;
  tenant_id: string;
  tenant_name: string;
  software: string;
  status: string;
  last_synced_at: Date | null;
  last_error: string | null;
};

/** The latest run of a connection, with the connection's software and status. */
export interface LastSyncRunRow extends SyncRunRow {
  connection_id: string;
  software: string;
  connection_status: string;
}

export interface CaseRow {
  id: string;
  tenant_id: string;
  status: string;
  closed_at: Date | null;
}

/** A connection written by `connection add`: credentials already encrypted, last_error null when the test passed. */
export interface ConnectionUpsert {
  id: string;
  tenantId: string;
  softwareId: string;
  status: 'connected' | 'error';
  credentials: unknown;
  externalAccountId: string | null;
  lastError: Record<string, unknown> | null;
}

/** What the CLI's commands read and write in Postgres. */
@Injectable()
export class CliRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async tenantById(id: string): Promise<TenantRow | undefined> {
    return (await this.db.query<TenantRow[]>(SQL.tenantById, [id]))[0];
  }

  async softwareByKey(key: string): Promise<SoftwareRow | undefined> {
    return (await this.db.query<SoftwareRow[]>(SQL.softwareByKey, [key]))[0];
  }

  /** One connection per (tenant, software): adding again updates it. `inserted` is false on an update. */
  async upsertConnection(c: ConnectionUpsert): Promise<{ id: string; inserted: boolean }> {
    const [row] = await this.db.query<{ id: string; inserted: boolean }[]>(SQL.upsertConnection, [
      c.id,
      c.tenantId,
      c.softwareId,
      c.status,
      JSON.stringify(c.credentials),
      c.externalAccountId,
      c.lastError === null ? null : JSON.stringify(c.lastError),
    ]);
    return row;
  }

  async connectionById(id: string): Promise<ConnectionRow | undefined> {
    return (await this.db.query<ConnectionRow[]>(SQL.connectionById, [id]))[0];
  }

  async setConnectionTestResult(r: { id: string; status: string; lastError: Record<string, unknown> | null; externalAccountId: string | null }): Promise<void> {
    await this.db.query(SQL.setConnectionTestResult, [r.id, r.status, r.lastError === null ? null : JSON.stringify(r.lastError), r.externalAccountId]);
  }

  /** Every connection, or one tenant's. */
  listConnections(tenantId: string | null): Promise<ConnectionListRow[]> {
    return this.db.query<ConnectionListRow[]>(SQL.listConnections, [tenantId]);
  }

  async caseById(id: string): Promise<CaseRow | undefined> {
    return (await this.db.query<CaseRow[]>(SQL.caseById, [id]))[0];
  }

  async syncRunById(id: string): Promise<SyncRunRow | undefined> {
    return (await this.db.query<SyncRunRow[]>(SQL.syncRunById, [id]))[0];
  }

  async syncRunByKey(connectionId: string, idempotencyKey: string): Promise<SyncRunRow | undefined> {
    return (await this.db.query<SyncRunRow[]>(SQL.syncRunByKey, [connectionId, idempotencyKey]))[0];
  }

  lastSyncRunPerConnection(): Promise<LastSyncRunRow[]> {
    return this.db.query<LastSyncRunRow[]>(SQL.lastSyncRunPerConnection, []);
  }

  schemaDrift(): Promise<SchemaDrift> {
    return schemaDrift(this.db);
  }

  collectionsOverview(): Promise<CollectionsOverview> {
    return collectionsOverview((sql, params) => this.db.query(sql, params ?? []));
  }

  messagesOverview(): Promise<MessagesOverview> {
    return messagesOverview((sql, params) => this.db.query(sql, params ?? []));
  }
}
