import { Injectable } from '@nestjs/common';
import { QueueProducer } from '../queues/queue-producer.service';
import { OpsRepository } from './ops.repository';
import { WorkerHosts } from './worker-hosts';
import { SchemaGuardService } from '../database/schema/schema-guard.service';
import { driftIsEmpty, SchemaDrift } from '../database/schema/schema-guard';

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: {
    redis: CheckResult;
    postgres: CheckResult;
    workers: CheckResult & { queues: { name: string; running: boolean; paused: boolean }[] };
    /** the schema the workers need: missing API/worker tables fail the check; missing indexes are reported (they are being rebuilt) */
    schema: CheckResult & { drift?: SchemaDrift };
  };
}

const CHECK_TIMEOUT_MS = 2000;

async function timed(fn: () => Promise<unknown>): Promise<CheckResult> {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Date.now() - t0 };
  } catch (err) {
    return { ok: false, ms: Date.now() - t0, error: (err as Error).message || String(err) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** /health: Redis answers PING, Postgres answers SELECT 1, every worker of this process is running. */
@Injectable()
export class HealthService {
  constructor(
    private readonly producer: QueueProducer,
    private readonly ops: OpsRepository,
    private readonly hosts: WorkerHosts,
    private readonly guard: SchemaGuardService,
  ) {}

  async check(): Promise<HealthReport> {
    const [redis, postgres] = await Promise.all([
      timed(async () => {
        const client = (await this.producer.pmsSync.client) as unknown as { ping(): Promise<string>; status: string };
        if (client.status !== 'ready') throw new Error(`redis connection is ${client.status}`);
        await client.ping();
      }),
      timed(() => this.ops.ping()),
    ]);
    const workers = this.hosts.workers();
    const queues = workers.map((w) => ({ name: w.name, running: w.isRunning(), paused: w.isPaused() }));
    const workersOk = workers.length > 0 && queues.every((q) => q.running && !q.paused);
    let drift: SchemaDrift | undefined;
    const schema = postgres.ok
      ? await timed(async () => {
          drift = await this.guard.drift();
          if (drift.missingApiTables.length || drift.missingWorkerTables.length) {
            throw new Error(`missing tables: ${[...drift.missingApiTables, ...drift.missingWorkerTables].join(', ')}`);
          }
        })
      : { ok: false, ms: 0, error: 'postgres unavailable' };
    const report: HealthReport = {
      status: redis.ok && postgres.ok && workersOk && schema.ok ? 'ok' : 'unavailable',
      checks: {
        redis,
        postgres,
        workers: { ok: workersOk, ms: 0, queues, ...(workersOk ? {} : { error: workers.length ? 'a worker is not running' : 'no worker in this process' }) },
        schema: { ...schema, ...(drift && !driftIsEmpty(drift) ? { drift } : {}) },
      },
    };
    return report;
  }
}
