import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env, Feature, missingForFeature } from './env.schema';
import { UnrecoverableConfigError } from '../common/errors';

/** Typed access to the validated environment. */
@Injectable()
export class AppConfig {
  constructor(private readonly config: ConfigService<Env, true>) {}

  get<K extends keyof Env>(key: K): Env[K] {
    return this.config.get(key, { infer: true });
  }

  /** Everything, for code that needs several values (e.g. building clients). */
  get env(): Env {
    const out = {} as Record<string, unknown>;
    return new Proxy(out, { get: (_t, k: string) => this.config.get(k as keyof Env, { infer: true }) }) as Env;
  }

  /** Throws (without retry) naming every missing variable when a feature cannot run. */
  requireFeature(feature: Feature): void {
    const missing = missingForFeature(this.env, feature);
    if (missing.length > 0) {
      throw new UnrecoverableConfigError(`${feature} needs configuration that is missing: ${missing.join(', ')}`);
    }
  }
}
