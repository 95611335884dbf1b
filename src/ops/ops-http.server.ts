import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import type { Express, NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.service';
import { QueueProducer } from '../queues/queue-producer.service';
import { basicAuth, bullBoardRouter, DASHBOARD_PATH } from './dashboard';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';

/**
 * The opt-in operator HTTP server of the worker: off unless METRICS_PORT is set (the worker opens
 * no port otherwise). GET /health, GET /metrics (Prometheus), and the Bull Board dashboard at
 * /dashboard behind basic auth, mounted only when DASHBOARD_USER and DASHBOARD_PASSWORD are both set.
 * Closed first on shutdown.
 */
@Injectable()
export class OpsHttpServer implements OnApplicationBootstrap, OnModuleDestroy {
  private server: Server | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly pino: PinoLogger,
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
    private readonly producer: QueueProducer,
  ) {}

  get port(): number | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? (a as AddressInfo).port : null;
  }

  /** express is loaded only when the server is built (METRICS_PORT set): ~0.2 s of start-up otherwise spared. */
  buildApp(): Express {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const express = require('express') as typeof import('express');
    const app = express();
    app.disable('x-powered-by');
    app.get('/health', (_req, res, next) => {
      this.health
        .check()
        .then((r) => res.status(r.status === 'ok' ? 200 : 503).json(r))
        .catch(next);
    });
    app.get('/metrics', (_req, res, next) => {
      this.metrics
        .render()
        .then((m) => res.status(200).type(m.contentType).send(m.body))
        .catch(next);
    });
    const user = this.config.get('DASHBOARD_USER');
    const password = this.config.get('DASHBOARD_PASSWORD');
    if (user && password) {
      app.use(DASHBOARD_PATH, basicAuth(user, password), bullBoardRouter([this.producer.pmsSync, this.producer.caseActions, this.producer.collectionTick, this.producer.automationMaintenance]));
    }
    app.use((_req: Request, res: Response) => {
      res.status(404).type('text/plain').send('not found\n');
    });
    app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
      this.pino.logger.error({ err }, 'operator http: request failed');
      res.status(500).type('text/plain').send('internal error\n');
    });
    return app;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.get('METRICS_PORT');
    if (!port) return;
    const server = createServer(this.buildApp());
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new Error(`operator http server could not listen on METRICS_PORT ${port}: ${err.message}`)));
      server.listen(port, () => resolve());
    });
    server.keepAliveTimeout = 5000;
    this.server = server;
    const dashboard = !!(this.config.get('DASHBOARD_USER') && this.config.get('DASHBOARD_PASSWORD'));
    this.pino.logger.info(
      { port: this.port, routes: ['/health', '/metrics', ...(dashboard ? [DASHBOARD_PATH] : [])] },
      `operator http listening on port ${this.port}${dashboard ? '' : ' (no dashboard: DASHBOARD_USER/DASHBOARD_PASSWORD not set)'}`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.pino.logger.info('operator http closed');
  }
}
