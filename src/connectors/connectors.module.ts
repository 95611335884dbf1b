import { Module } from '@nestjs/common';
import { ConnectionLoader } from './connection-loader';
import { ConnectorRegistry, PMS_CONNECTORS } from './connector-registry';
import { PmsConnector } from './connector.types';
import { SandboxConnector } from './sandbox/sandbox.connector';
import { BuildiumConnector } from './buildium/buildium.connector';
import { buildiumConnectorProvider } from './buildium/buildium.provider';
import { RentvineConnector } from './rentvine/rentvine.connector';
import { rentvineConnectorProvider } from './rentvine/rentvine.provider';

/**
 * The registry of PMS connectors, and the loader that opens a stored connection with its connector.
 * To add a connector: provide it in this module and list it in the PMS_CONNECTORS factory below
 * (each connector lives in its own folder: client, mapper, connector).
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
    ConnectionLoader,
  ],
  exports: [ConnectorRegistry, ConnectionLoader],
})
export class ConnectorsModule {}
