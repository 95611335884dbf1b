import 'reflect-metadata';
import { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError, parseEnv } from './config/env.schema';

/**
 * Boots a standalone application context (no HTTP port) with a bounded, signal-driven shutdown:
 * the first SIGTERM/SIGINT closes the app (workers drain first, then Redis and Postgres) and
 * exits 0; a second SIGINT forces the exit at once.
 */
export async function bootstrap(app: 'worker' | 'scheduler', module: Type<unknown>): Promise<INestApplicationContext | undefined> {
  process.env.MORDECAI_APP = app;
  try {
    parseEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', app, msg: err.message, problems: err.problems })}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  let ctx: INestApplicationContext;
  try {
    ctx = await NestFactory.createApplicationContext(module, { bufferLogs: true, abortOnError: false });
  } catch (err) {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', app, msg: `start-up failed: ${(err as Error).message}` })}\n`);
    process.exit(1);
  }
  const logger = ctx.get(Logger);
  ctx.useLogger(logger);
  ctx.flushLogs();

  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      if (signal === 'SIGINT') {
        logger.warn(`second ${signal}: forcing exit`);
        process.exit(130);
      }
      return;
    }
    closing = true;
    logger.log(`${signal} received: shutting down`);
    ctx
      .close()
      .then(() => {
        logger.log('shutdown complete');
        process.exit(0);
      })
      .catch((err: Error) => {
        logger.error(`shutdown failed: ${err.message}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return ctx;
}
