import 'reflect-metadata';
import { ConsoleLogger, DynamicModule, INestApplicationContext } from '@nestjs/common';
import { ConfigValidationError, Env, parseEnv } from './config/env.schema';
import { redactDeep, redactString } from './logging/redact';

/** Builds the app's root module from the validated environment; may load it lazily. */
type ModuleFactory = (env: Env) => DynamicModule | Promise<DynamicModule>;

function fatal(app: string, msg: string, extra: Record<string, unknown> = {}): void {
  const line = { level: 'fatal', time: new Date().toISOString(), app, pid: process.pid, msg: redactString(msg), ...(redactDeep(extra) as object) };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

/**
 * Boots a standalone application context (no HTTP port) with a bounded, signal-driven shutdown.
 *
 * - The environment is validated first, before the application's modules are even loaded: a bad
 *   configuration exits 78 (EX_CONFIG) at once with ONE message listing every invalid variable.
 * - The first SIGTERM/SIGINT closes the app (workers drain first, bounded by
 *   WORKER_SHUTDOWN_TIMEOUT_MS, then Redis and Postgres) and exits 0; a second SIGINT forces the
 *   exit at once (130). A signal that arrives while the app is still starting is honoured as soon
 *   as it has started. If closing itself hangs, a watchdog exits 1 shortly after the drain bound.
 *
 * The environment is parsed here once and handed to `rootModule`, which may import the app's
 * modules lazily (`(env) => import(...)`) so that nothing heavy is loaded before the configuration
 * is known to be valid.
 */
export async function bootstrap(app: 'worker' | 'scheduler', rootModule: ModuleFactory): Promise<INestApplicationContext | undefined> {
  let env: Env;
  try {
    env = parseEnv(process.env);
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      fatal(app, err.message, { problems: err.problems });
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  let ctx: INestApplicationContext | undefined;
  let closing = false;
  let exitCode = 0;
  let logger: { log(m: string): void; warn(m: string): void; error(m: string): void } | undefined = undefined;
  const log = (level: 'log' | 'warn' | 'error', msg: string) => {
    if (logger) logger[level](msg);
    else process.stdout.write(`${JSON.stringify({ level: level === 'log' ? 'info' : level, time: new Date().toISOString(), app, pid: process.pid, msg })}\n`);
  };

  const shutdown = () => {
    if (!ctx) return; // still starting: handled right after start-up
    const watchdogMs = env.WORKER_SHUTDOWN_TIMEOUT_MS + 15000;
    setTimeout(() => {
      fatal(app, `shutdown did not complete within ${watchdogMs} ms: exiting`);
      process.exit(1);
    }, watchdogMs).unref();
    ctx
      .close()
      .then(() => {
        log('log', 'shutdown complete');
        process.exit(exitCode);
      })
      .catch((err: Error) => {
        log('error', `shutdown failed: ${err.message}`);
        process.exit(1);
      });
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      if (signal === 'SIGINT') {
        log('warn', `second ${signal}: forcing exit without waiting for running jobs`);
        process.exit(130);
      }
      log('warn', `${signal} received again: still shutting down (send SIGINT to force)`);
      return;
    }
    closing = true;
    log('log', `${signal} received: shutting down`);
    shutdown();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', (err) => {
    fatal(app, `uncaught exception: ${err.message}`, { stack: err.stack });
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    fatal(app, `unhandled promise rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
    if (!closing) {
      closing = true;
      exitCode = 1;
      shutdown();
    }
  });

  try {
    const { NestFactory } = await import('@nestjs/core');
    const mod = await rootModule(env);
    ctx = await NestFactory.createApplicationContext(mod, {
      bufferLogs: true,
      abortOnError: false,
      // Used only until pino takes over (and for errors while starting): JSON lines as well.
      logger: new ConsoleLogger({ json: true, colors: false }),
    });
  } catch (err) {
    fatal(app, `start-up failed: ${(err as Error).message}`);
    process.exit(1);
  }
  const { Logger } = await import('nestjs-pino');
  const pino = ctx.get(Logger);
  ctx.useLogger(pino);
  ctx.flushLogs();
  logger = pino;
  if (closing) shutdown();
  return ctx;
}
