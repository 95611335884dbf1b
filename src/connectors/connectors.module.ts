import { Module } from '@nestjs/common';
import { ConnectorRegistry, PMS_CONNECTORS } from './connector-registry';
import { PmsConnector } from './connector.types';
import { SandboxConnector } from './sandbox/sandbox.connector';
import { BuildiumConnector } from './buildium/buildium.connector';
import { buildiumConnectorProvider } from './buildium/buildium.provider';
import { RentvineConnector } from './rentvine/rentvine.connector';
import { rentvineConnectorProvider } from './rentvine/rentvine.provider';

/**
 * The registry of PMS connectors. To add one: provide it in this module and list it in the
 * PMS_CONNECTORS factory below (each connector lives in its own folder: client, mapper, connector).
 */
@Module({
  providers: [
    SandboxConnector,
    buildiumConnectorProvider,
    rentvineConnectorProvider,
    {
      provide: PMS_CONNECTORS,
      useFactory: (...connectors: PmsConnector[]) => connectors,
      inject: [SandboxConnector, BuildiumConnector, RentvineConnector],
    },
    ConnectorRegistry,
  ],
  exports: [ConnectorRegistry],
})
export class ConnectorsModule {}
