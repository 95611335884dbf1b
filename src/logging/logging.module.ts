import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.service';
import { redactDeep, redactString } from './redact';

/**
 * nestjs-pino, JSON lines on stdout. Every record goes through redactDeep (secrets by key, phone
 * numbers anywhere) so a careless log call cannot leak a credential or a full phone number.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.get('LOG_LEVEL'),
          base: { app: process.env.MORDECAI_APP ?? 'worker', pid: process.pid },
          autoLogging: false,
          quietReqLogger: true,
          timestamp: () => `,"time":"${new Date().toISOString()}"`,
          formatters: {
            level: (label: string) => ({ level: label }),
            log: (obj: Record<string, unknown>) => redactDeep(obj) as Record<string, unknown>,
          },
          hooks: {
            logMethod(args: unknown[], method: (...a: unknown[]) => void) {
              method.apply(this, args.map((a) => (typeof a === 'string' ? redactString(a) : a)));
            },
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
