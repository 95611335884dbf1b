import { Module } from '@nestjs/common';
import { ConnectorRegistry, PMS_CONNECTORS } from './connector-registry';
import { PmsConnector } from './connector.types';
import { SandboxConnector } from './sandbox/sandbox.connector';

/**
 * The registry of PMS connectors. To add one: provide it in this module and list it in the
 * PMS_CONNECTORS factory below (each connector lives in its own folder: client, mapper, connector).
 */
@Module({
  providers: [
    SandboxConnector,
    {
      provide: PMS_CONNECTORS,
      useFactory: (...connectors: PmsConnector[]) => connectors,
      inject: [SandboxConnector],
    },
    ConnectorRegistry,
  ],
  exports: [ConnectorRegistry],
})
export class ConnectorsModule {}
