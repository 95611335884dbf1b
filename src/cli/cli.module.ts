import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '../core.module';
import { AppName } from '../config/app-config.service';
import { Env } from '../config/env.schema';
import { ConnectorsModule } from '../connectors/connectors.module';
import { CliRepository } from './cli.repository';
import { DemoRepository } from './demo/demo.repository';
import { ConnectionCommands } from './commands/connection.service';

/** What CLI commands stand on: config, Postgres, the queues and producer, the connector registry. */
@Module({})
export class CliModule {
  static forRoot(env: Env, app: AppName = 'cli'): DynamicModule {
    return {
      module: CliModule,
      imports: [CoreModule.forRoot({ app, env }), ConnectorsModule],
      providers: [CliRepository, DemoRepository, ConnectionCommands],
      exports: [CliRepository, DemoRepository, ConnectionCommands],
    };
  }
}
