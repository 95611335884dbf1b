import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Env } from './env.schema';
import { AppConfig, APP_BOOT, AppBoot } from './app-config.service';

/**
 * The validated environment, given by whoever boots the app (bootstrap, the CLI, a test): it is
 * parsed once, before any module is loaded, and never read from process.env again. .env files are
 * loaded by the process manager (pm2's ecosystem file, docker-compose), not here.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(boot: AppBoot): DynamicModule {
    const env: Env = boot.env;
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, cache: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => env] })],
      providers: [{ provide: APP_BOOT, useValue: boot }, AppConfig],
      exports: [AppConfig, APP_BOOT],
    };
  }
}
