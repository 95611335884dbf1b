import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Env, parseEnv } from '../config/env.schema';
import type { AppName } from '../config/app-config.service';
import type { SchedulerRunResult } from '../scheduler/scheduler.runner';
import { checkPostgres, checkRedis } from './preflight';

export interface GlobalOptions {
  verbose?: boolean;
}

/** Parses the environment (ConfigValidationError -> exit 78); logs are silenced unless --verbose. */
export function loadEnv(opts: GlobalOptions = {}): Env {
  const env = parseEnv(process.env);
  return opts.verbose ? env : { ...env, LOG_LEVEL: 'silent' };
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
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(env), { logger: opts.verbose ? undefined : false, abortOnError: false });
  try {
    return await fn(app, env);
  } finally {
    await app.close();
  }
}

/**
 * One scheduler pass in this process, on the scheduler's own modules booted without crons: the
 * same code `main-scheduler --once [--dry-run]` runs, without a second process to start and parse.
 */
export async function runSchedulerOnce(env: Env, dryRun: boolean, app: AppName = 'cli', verbose = false): Promise<SchedulerRunResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SchedulerAppModule } = require('../scheduler-app.module') as typeof import('../scheduler-app.module');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SchedulerRunner } = require('../scheduler/scheduler.runner') as typeof import('../scheduler/scheduler.runner');
  const ctx = await NestFactory.createApplicationContext(SchedulerAppModule.forRoot(env, 'once', app), { logger: verbose ? undefined : false, abortOnError: false });
  try {
    return await ctx.get(SchedulerRunner).runOnce({ dryRun });
  } finally {
    await ctx.close();
  }
}
