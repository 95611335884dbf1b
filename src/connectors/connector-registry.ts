import { Inject, Injectable, Optional } from '@nestjs/common';
import { PmsConnector } from './connector.types';

export const PMS_CONNECTORS = Symbol('PMS_CONNECTORS');

/** Connectors keyed by softwares.key. Each connector module contributes to PMS_CONNECTORS. */
@Injectable()
export class ConnectorRegistry {
  private readonly byKey = new Map<string, PmsConnector>();

  constructor(@Optional() @Inject(PMS_CONNECTORS) connectors: PmsConnector[] = []) {
    for (const c of connectors ?? []) this.register(c);
  }

  register(connector: PmsConnector): void {
    if (this.byKey.has(connector.key)) throw new Error(`two connectors registered for software "${connector.key}"`);
    this.byKey.set(connector.key, connector);
  }

  get(key: string): PmsConnector {
    const c = this.byKey.get(key);
    if (!c) throw new Error(`no connector for software "${key}" (this worker knows: ${[...this.byKey.keys()].sort().join(', ') || 'none'})`);
    return c;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): string[] {
    return [...this.byKey.keys()].sort();
  }
}
