import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env, Feature, missingForFeature } from './env.schema';
import { UnrecoverableConfigError } from '../common/errors';

/** Which program this is: it names the logs (`app`) and the Postgres connections (application_name). */
export type AppName = 'worker' | 'scheduler' | 'cli' | 'demo';

/** What an app is booted with: its name and its environment, parsed once. */
export interface AppBoot {
  app: AppName;
  env: Env;
}

export const APP_BOOT = Symbol('APP_BOOT');

/** Typed access to the validated environment. */
@Injectable()
export class AppConfig {
  constructor(
    private readonly config: ConfigService<Env, true>,
    @Inject(APP_BOOT) private readonly boot: AppBoot,
  ) {}

  get app(): AppName {
    return this.boot.app;
  }

  get<K extends keyof Env>(key: K): Env[K] {
    return this.config.get(key, { infer: true });
  }

  /** Everything, for code that needs several values (e.g. building clients). */
  get env(): Env {
    return this.boot.env;
  }

  /** Throws (without retry) naming every missing variable when a feature cannot run. */
  requireFeature(feature: Feature): void {
    const missing = missingForFeature(this.env, feature);
    if (missing.length > 0) {
      throw new UnrecoverableConfigError(`${feature} needs configuration that is missing: ${missing.join(', ')}`);
    }
  }
}
