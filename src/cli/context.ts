import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Env, parseEnv } from '../config/env.schema';
import { checkPostgres, checkRedis } from './preflight';

export interface GlobalOptions {
  verbose?: boolean;
}

/** Parses the environment (ConfigValidationError -> exit 78); logs are silenced unless --verbose. */
export function loadEnv(opts: GlobalOptions = {}): Env {
  process.env.MORDECAI_APP = process.env.MORDECAI_APP ?? 'cli';
  if (!opts.verbose) process.env.LOG_LEVEL = 'silent';
  return parseEnv(process.env);
}

/**
 * Runs a command inside a Nest application context of CliModule (DI: config, TypeORM, queues,
 * producer, connector registry), after fast reachability checks, and always closes it.
 */
export async function withApp<T>(opts: GlobalOptions, fn: (app: INestApplicationContext, env: Env) => Promise<T>): Promise<T> {
  const env = loadEnv(opts);
  await checkPostgres(env);
  await checkRedis(env);
  // Loaded lazily so that `--help` never pays for Nest, TypeORM and BullMQ.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CliModule } = require('./cli.module') as typeof import('./cli.module');
  const app = await NestFactory.createApplicationContext(CliModule, { logger: opts.verbose ? undefined : false, abortOnError: false });
  try {
    return await fn(app, env);
  } finally {
    await app.close();
  }
}
