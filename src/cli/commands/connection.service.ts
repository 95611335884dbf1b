import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.service';
import { encryptCredentials, parseEncryptionKey } from '../../common/credentials-crypto';
import { ConnectionLoader } from '../../connectors/connection-loader';
import { ConnectorRegistry } from '../../connectors/connector-registry';
import { TestConnectionResult } from '../../connectors/connector.types';
import { CliRepository, ConnectionRow } from '../cli.repository';
import { UsageError } from '../exit-codes';

export const SOFTWARE_NAMES: Record<string, string> = { buildium: 'Buildium', rentvine: 'Rentvine', sandbox: 'Sandbox (synthetic data)' };

export interface AddConnectionResult {
  id: string;
  created: boolean;
  status: 'connected' | 'error';
  test: TestConnectionResult;
}

const TEST_TIMEOUT_MS = 30000;

/**
 * connection add / test. Credentials are encrypted exactly as the API does (encryptCredentials with
 * CREDENTIALS_ENCRYPTION_KEY) and tested through the connector registry before they are stored.
 */
@Injectable()
export class ConnectionCommands {
  constructor(
    private readonly cli: CliRepository,
    private readonly registry: ConnectorRegistry,
    private readonly config: AppConfig,
    private readonly connections: ConnectionLoader,
  ) {}

  private async runTest(software: string, ctx: { connectionId: string; tenantId: string; credentials: Record<string, unknown>; currency: string }): Promise<TestConnectionResult> {
    const connector = this.registry.get(software);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), TEST_TIMEOUT_MS);
    try {
      return await connector.testConnection({ ...ctx, signal: ac.signal });
    } catch (err) {
      return { ok: false, code: 'ERROR', message: (err as Error).message || String(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Tests the credentials, then stores them: status 'connected' when the test passed, else 'error'
   * with last_error (a failed test still saves, so the operator can fix and re-test; the command
   * exits 1). One connection per (tenant, software): adding again updates it.
   */
  async add(tenantId: string, software: string, credentials: Record<string, unknown>): Promise<AddConnectionResult> {
    const key = this.config.get('CREDENTIALS_ENCRYPTION_KEY');
    parseEncryptionKey(key); // missing/invalid key: exit 78 before anything is written
    if (!this.registry.has(software)) {
      throw new UsageError(`software "${software}" has no connector in this worker (known: ${this.registry.keys().join(', ') || 'none'})`);
    }
    const tenant = await this.cli.tenantById(tenantId);
    if (!tenant) throw new UsageError(`tenant ${tenantId} does not exist`);
    // The software catalog is the API's: a connection is only added for a software it lists.
    const sw = await this.cli.softwareByKey(software);
    if (!sw) throw new UsageError(`software "${software}" is not in the softwares catalog of this database: run \`migrate\` (it adds the connectors' rows the API's catalog lacks)`);
    const id = randomUUID();
    const test = await this.runTest(software, { connectionId: id, tenantId, credentials, currency: 'USD' });
    const status = test.ok ? 'connected' : 'error';
    const lastError = test.ok ? null : { message: test.message, code: test.code ?? 'ERROR', at: new Date().toISOString(), source: 'cli connection add' };
    const encrypted = encryptCredentials(credentials, key!);
    const row = await this.cli.upsertConnection({ id, tenantId, softwareId: sw.id, status, credentials: encrypted, externalAccountId: test.externalAccountId ?? null, lastError });
    return { id: row.id, created: row.inserted, status, test };
  }

  async get(id: string): Promise<ConnectionRow> {
    const c = await this.cli.connectionById(id);
    if (!c) throw new UsageError(`connection ${id} does not exist`);
    return c;
  }

  /** Decrypts the stored credentials, tests them, and records the result on the connection. */
  async test(id: string): Promise<{ connection: ConnectionRow; test: TestConnectionResult }> {
    const c = await this.get(id);
    const credentials = this.connections.decrypt(c.credentials);
    if (!this.connections.connectorOf(c.software)) {
      return { connection: c, test: { ok: false, code: 'ERROR', message: `no connector for software "${c.software}" in this worker` } };
    }
    const test = await this.runTest(c.software, { connectionId: c.id, tenantId: c.tenant_id, credentials, currency: c.currency });
    const status = test.ok ? (c.status === 'error' || c.status === 'draft' ? 'connected' : c.status) : 'error';
    const lastError = test.ok ? null : { message: test.message, code: test.code ?? 'ERROR', at: new Date().toISOString(), source: 'cli connection test' };
    await this.cli.setConnectionTestResult({ id: c.id, status, lastError, externalAccountId: test.externalAccountId ?? null });
    return { connection: { ...c, status }, test };
  }
}
