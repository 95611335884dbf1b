import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ensureApiIndexes, EnsureResult, schemaDrift, SchemaDrift } from './schema-guard';

/**
 * At every start of the worker and the scheduler: the indexes the workers need on the API's tables
 * are ensured (the API's restart drops them), without delaying the start — the builds run
 * CONCURRENTLY in the background, one process at a time. What is still missing is reported by
 * /health and the CLI's `status`.
 */
@Injectable()
export class SchemaGuardService implements OnApplicationBootstrap {
  private last: EnsureResult | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly pino: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.ensure();
  }

  /** Resolves when the start-up ensure has finished (tests and the shutdown wait for it). */
  async settled(): Promise<void> {
    await this.running;
  }

  private async ensure(): Promise<void> {
    const log = this.pino.logger;
    try {
      const r = await ensureApiIndexes(this.db, { only: 'all', wait: false });
      this.last = r;
      if (r.built.length) log.warn({ built: r.built }, `rebuilt ${r.built.length} index(es) of ours on the API's tables (dropped by the API's schema sync)`);
      if (r.failed.length) log.error({ failed: r.failed }, 'could not build indexes of ours on the API\'s tables');
    } catch (err) {
      if (this.db.isInitialized) log.error({ err: (err as Error).message }, 'schema guard failed');
    }
  }

  async drift(): Promise<SchemaDrift> {
    const d = await schemaDrift(this.db);
    return { ...d, failedIndexes: this.last?.failed ?? [] };
  }
}
