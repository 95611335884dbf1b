import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LoggerOptions } from 'pino';
import { AppConfig } from '../config/app-config.service';
import { redactDeep, redactString } from './redact';

/**
 * The pino options of every app: JSON lines on stdout. Every record goes through redactDeep
 * (secrets by key, phone numbers anywhere) and every serialized line through redactString (phone
 * numbers, URL passwords and signed parameters, also in child-logger bindings such as a job's
 * name), so a careless log call cannot leak a credential or a full phone number.
 */
export function pinoOptions(level: string, app: string): LoggerOptions {
  return {
    level,
    base: { app, pid: process.pid },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: {
      level: (label: string) => ({ level: label }),
      log: (obj: Record<string, unknown>) => redactDeep(obj) as Record<string, unknown>,
    },
    hooks: {
      // Last line of defence on the serialized line: child-logger bindings never pass through
      // formatters.log.
      streamWrite: (line: string) => redactString(line),
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactString(a) : a)));
      },
    },
  };
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: { ...pinoOptions(config.get('LOG_LEVEL'), config.app), autoLogging: false, quietReqLogger: true },
      }),
    }),
  ],
})
export class LoggingModule {}
