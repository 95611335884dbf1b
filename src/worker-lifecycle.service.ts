import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Worker } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppConfig } from './config/app-config.service';
import { describeRedisUrl } from './queues/redis-connection';
import { QueueProducer } from './queues/queue-producer.service';
import { recoverStalledOnStart, RecoveryHandle } from './queues/stalled-recovery';

/**
 * Start-up report (Redis and Postgres reachable, queues served) and the bounded shutdown drain:
 * workers stop taking jobs, running jobs get WORKER_SHUTDOWN_TIMEOUT_MS to finish, then anything
 * left is force-closed (its lock expires and another worker recovers it as stalled). This runs in
 * beforeApplicationShutdown so that Postgres and Redis are still open while jobs finish.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private recovery: RecoveryHandle | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly config: AppConfig,
    private readonly pino: PinoLogger,
    private readonly producer: QueueProducer,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  workers(): Worker[] {
    return this.discovery
      .getProviders()
      .map((w) => w.instance)
      .filter((i): i is WorkerHost => i instanceof WorkerHost)
      .map((h) => h.worker)
      .filter((w): w is Worker => !!w);
  }

  async onApplicationBootstrap(): Promise<void> {
    const log = this.pino.logger;
    const [{ v }] = await this.db.query('SELECT version() AS v');
    log.info({ db: `${this.config.get('DB_HOST')}:${this.config.get('DB_PORT')}/${this.config.get('DB_NAME')}`, version: String(v).split(' on ')[0] }, 'database connected');
    const client = (await this.producer.pmsSync.client) as unknown as { ping(): Promise<string> };
    await client.ping();
    log.info({ redis: describeRedisUrl(this.config.get('REDIS_URL')), prefix: this.config.get('BULLMQ_PREFIX') }, 'redis connected');
    const workers = this.workers();
    for (const w of workers) await w.waitUntilReady();
    log.info(
      {
        queues: workers.map((w) => ({ name: w.name, concurrency: w.opts.concurrency, drainDelay: w.opts.drainDelay, stalledInterval: w.opts.stalledInterval })),
        startupMs: Math.round(process.uptime() * 1000),
      },
      `worker ready, serving queues: ${workers.map((w) => w.name).join(', ')}`,
    );
    // Jobs of a worker that died are running again within about lockDuration of this start.
    this.recovery = recoverStalledOnStart(workers, (err) => log.warn({ err }, 'start-up stalled check failed'));
    void this.recovery.done.then((moved) => {
      const n = Object.values(moved).reduce((a, ids) => a + ids.length, 0);
      log.info({ moved }, `start-up stalled checks done: ${n} job(s) of a dead worker put back`);
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const log = this.pino.logger;
    const timeoutMs = this.config.get('WORKER_SHUTDOWN_TIMEOUT_MS');
    this.recovery?.cancel();
    const workers = this.workers();
    log.info({ signal, timeoutMs }, 'shutting down: no new jobs, waiting for running jobs');
    let timer: NodeJS.Timeout | undefined;
    const drained = Promise.all(workers.map((w) => w.close())).then(() => true);
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ok = await Promise.race([drained, timedOut]);
    if (timer) clearTimeout(timer);
    if (ok) {
      log.info('all running jobs finished');
    } else {
      log.warn({ timeoutMs }, 'shutdown timeout reached; force-closing workers (unfinished jobs will be recovered as stalled)');
      await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
    }
  }
}
