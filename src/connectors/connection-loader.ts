import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { CredentialsError, decryptCredentials } from '../common/credentials-crypto';
import { PermanentJobError } from '../common/errors';
import { ConnectorRegistry } from './connector-registry';
import { ConnectionContext, PmsConnector } from './connector.types';

/** A PMS connection as the engines read it (the CLI shows other columns: cli.repository.ts). */
export interface PmsConnectionRow {
  id: string;
  tenant_id: string;
  status: string;
  credentials: unknown;
  sync_state: Record<string, unknown> | null;
  software_key: string;
  capabilities: Record<string, unknown> | null;
}

const CONNECTION_BY_ID = `SELECT c.id, c.tenant_id, c.status, c.credentials, c.sync_state, c.capabilities, s.key AS software_key
       FROM pms_connections c JOIN softwares s ON s.id = c.software_id WHERE c.id = $1`;

/**
 * The one place a PMS connection becomes something to talk to: its row, its decrypted credentials
 * (with the same CREDENTIALS_ENCRYPTION_KEY as the API), its connector and its ConnectionContext.
 * The strict methods throw the sync's PermanentJobErrors; the lenient ones (find, decrypt,
 * connectorOf) leave the wording of a failure to callers that report it their own way.
 */
@Injectable()
export class ConnectionLoader {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly registry: ConnectorRegistry,
  ) {}

  /** The connection, or null when there is none with this id (whoever owns it). */
  async find(connectionId: string): Promise<PmsConnectionRow | null> {
    const rows = await this.db.query<PmsConnectionRow[]>(CONNECTION_BY_ID, [connectionId]);
    return rows[0] ?? null;
  }

  /** Loads a connection and checks the tenant owns it (PermanentJobError otherwise). */
  async load(connectionId: string, tenantId: string): Promise<PmsConnectionRow> {
    const c = await this.find(connectionId);
    if (!c) throw new PermanentJobError(`PMS connection ${connectionId} does not exist`);
    if (c.tenant_id !== tenantId) throw new PermanentJobError(`PMS connection ${connectionId} does not belong to tenant ${tenantId}`);
    return c;
  }

  /** Decrypts stored credentials; a CredentialsError is thrown as it is. */
  decrypt(stored: unknown): Record<string, unknown> {
    return decryptCredentials<Record<string, unknown>>(stored, this.config.get('CREDENTIALS_ENCRYPTION_KEY'));
  }

  /** Decrypts the connection's credentials; each CredentialsError becomes a permanent, clearly worded failure. */
  credentials(c: PmsConnectionRow): Record<string, unknown> {
    try {
      const creds = this.decrypt(c.credentials);
      if (creds === null || typeof creds !== 'object' || Array.isArray(creds)) {
        throw new CredentialsError('PLAINTEXT_INVALID', 'decrypted credentials are not a JSON object');
      }
      return creds;
    } catch (err) {
      if (err instanceof CredentialsError) throw new PermanentJobError(`credentials of PMS connection ${c.id}: ${err.message}`, { code: err.code });
      throw err;
    }
  }

  /** The connector of a software, or null when this worker has none. */
  connectorOf(softwareKey: string): PmsConnector | null {
    return this.registry.has(softwareKey) ? this.registry.get(softwareKey) : null;
  }

  connectorFor(c: PmsConnectionRow): PmsConnector {
    const connector = this.connectorOf(c.software_key);
    if (!connector) {
      throw new PermanentJobError(`no connector for software "${c.software_key}" (this worker knows: ${this.registry.keys().join(', ')})`);
    }
    return connector;
  }

  /** The context a connector is called with; decrypts the credentials (see credentials()). */
  context(c: PmsConnectionRow, signal?: AbortSignal): ConnectionContext {
    const credentials = this.credentials(c);
    return { connectionId: c.id, tenantId: c.tenant_id, credentials, currency: currencyOf(c), signal };
  }
}

function currencyOf(c: PmsConnectionRow): string {
  const cur = c.capabilities?.currency;
  return typeof cur === 'string' && /^[A-Z]{3}$/.test(cur) ? cur : 'USD';
}
