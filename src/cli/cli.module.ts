import { Module } from '@nestjs/common';
import { CoreModule } from '../core.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { CliQueries } from './cli-queries';
import { ConnectionCommands } from './commands/connection.service';

/** What CLI commands stand on: config, Postgres, the queues and producer, the connector registry. */
@Module({
  imports: [CoreModule, ConnectorsModule],
  providers: [CliQueries, ConnectionCommands],
  exports: [CliQueries, ConnectionCommands],
})
export class CliModule {}
