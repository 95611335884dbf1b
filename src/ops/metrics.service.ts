import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JobMetrics } from '../queues/job-metrics';
import { QueueProducer } from '../queues/queue-producer.service';
import { CallsByOutcomeRow, CompletedRunRow, HeldByRuleRow, MessagesByStatusRow, OpsRepository } from './ops.repository';
import { collectionTickStats } from '../collections/collections-stats';
import { messageStats } from '../messaging/message-stats';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed', 'paused'] as const;
/** Database-derived series are read at most this often, however often Prometheus scrapes. */
const DB_CACHE_MS = 5000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_r, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * Rows per table and kind from a run's stats (sync_runs.stats.tables: {debtors: {received, created,
 * updated, unchanged, stale, skipped, missingRelations}, ...}); a plain number counts as kind "rows".
 */
export function rowsPerTable(stats: Record<string, unknown> | null): { table: string; kind: string; n: number }[] {
  if (!stats) return [];
  const source = ['tables', 'counts', 'rows'].map((k) => stats[k]).find((v) => v && typeof v === 'object' && !Array.isArray(v)) as Record<string, unknown> | undefined;
  const out: { table: string; kind: string; n: number }[] = [];
  for (const [table, v] of Object.entries(source ?? {})) {
    if (typeof v === 'number') out.push({ table, kind: 'rows', n: v });
    else if (v && typeof v === 'object') {
      for (const [kind, n] of Object.entries(v as Record<string, unknown>)) if (typeof n === 'number') out.push({ table, kind, n });
    }
  }
  return out;
}

/**
 * Prometheus metrics of the worker (own registry, `mordecai_` prefix): job counts and durations per
 * queue and job name (from JobMetrics, fed by the processors), queue depth per state, rows of the
 * latest completed sync per connection and table, calls by outcome, open cases held back by rule,
 * collection ticks and their states, messages by outcome (this process's jobs) and by status (the
 * database), plus Node's default process metrics.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private queueRead: Promise<{ ok: boolean; counts: Record<string, Record<string, number>> }> | null = null;
  private dbRead: Promise<NonNullable<MetricsService['dbCache']>> | null = null;
  private dbCache: {
    at: number;
    ok: boolean;
    runs: CompletedRunRow[];
    calls: CallsByOutcomeRow[];
    held: HeldByRuleRow[];
    messages: MessagesByStatusRow[];
  } | null = null;

  constructor(
    private readonly jobs: JobMetrics,
    private readonly producer: QueueProducer,
    private readonly ops: OpsRepository,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'mordecai_' });
    const jobMetrics = this.jobs;
    new Counter({
      name: 'mordecai_jobs_total',
      help: 'Jobs processed by this worker since it started, per queue, job name and outcome (completed, failed = no retry left, retried)',
      labelNames: ['queue', 'name', 'outcome'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const e of jobMetrics.counts.values()) this.inc({ queue: e.queue, name: e.name, outcome: e.outcome }, e.count);
      },
    });
    new Counter({
      name: 'mordecai_job_duration_seconds_total',
      help: 'Total processing time of the jobs counted by mordecai_jobs_total',
      labelNames: ['queue', 'name', 'outcome'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const e of jobMetrics.counts.values()) this.inc({ queue: e.queue, name: e.name, outcome: e.outcome }, e.totalMs / 1000);
      },
    });
    const histogram = new Histogram({
      name: 'mordecai_job_duration_seconds',
      help: 'Job processing time per queue, job name and outcome',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
      registers: [this.registry],
    });
    this.jobs.onObserve((queue, name, outcome, ms) => histogram.observe({ queue, name, outcome }, ms / 1000));

    const readQueues = () => this.readQueues();
    new Gauge({
      name: 'mordecai_queue_jobs',
      help: 'Jobs in each queue per state (queue depth)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [queue, counts] of Object.entries((await readQueues()).counts)) {
          for (const s of QUEUE_STATES) this.set({ queue, state: s }, counts[s] ?? 0);
        }
      },
    });

    const fromDb = () => this.fromDb();
    new Gauge({
      name: 'mordecai_sync_rows',
      help: 'Records of the latest completed sync of each connection per table and kind (received, created, updated, unchanged, stale, skipped, missingRelations; sync_runs.stats)',
      labelNames: ['connection_id', 'software', 'table', 'kind'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of (await fromDb()).runs) {
          for (const x of rowsPerTable(r.stats)) this.set({ connection_id: r.connection_id, software: r.software, table: x.table, kind: x.kind }, x.n);
        }
      },
    });
    new Gauge({
      name: 'mordecai_sync_last_success_timestamp_seconds',
      help: 'When the latest completed sync of each connection finished (unix seconds)',
      labelNames: ['connection_id', 'software'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of (await fromDb()).runs) {
          if (r.finished_at) this.set({ connection_id: r.connection_id, software: r.software }, new Date(r.finished_at).getTime() / 1000);
        }
      },
    });
    new Gauge({
      name: 'mordecai_calls',
      help: 'Call interactions (interaction_logs, type CALL) by outcome and status',
      labelNames: ['outcome', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const c of (await fromDb()).calls) this.set({ outcome: c.outcome, status: c.status }, c.n);
      },
    });
    new Gauge({
      name: 'mordecai_calls_held',
      help: 'Open debt cases currently held back from calling, by rule (debt_cases.meta.callHold.reason)',
      labelNames: ['reason'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const h of (await fromDb()).held) this.set({ reason: h.reason }, h.n);
      },
    });
    new Counter({
      name: 'mordecai_collection_ticks_total',
      help: 'Collection ticks run by this worker since it started',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(collectionTickStats.ticks);
      },
    });
    new Counter({
      name: 'mordecai_collection_states_total',
      help: 'Due automation states seen by the ticks of this worker: dispatched, or skipped with the reason (cooldown, outside_window, approval_pending, open_dispute, rules:<first hold>, ...)',
      labelNames: ['outcome', 'reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc({ outcome: 'dispatched', reason: '' }, collectionTickStats.dispatched);
        for (const [reason, n] of collectionTickStats.skipped) this.inc({ outcome: 'skipped', reason }, n);
      },
    });
    new Counter({
      name: 'mordecai_collection_jobs_total',
      help: 'case-actions jobs enqueued by the ticks of this worker, per job name',
      labelNames: ['name'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [name, n] of collectionTickStats.jobs) this.inc({ name }, n);
      },
    });
    new Counter({
      name: 'mordecai_messages_total',
      help: 'SMS_CASE / EMAIL_CASE jobs of this worker since it started, by channel and outcome (sent, simulated, skipped, failed = no retry left, retried) with the reason (the rule that held it, or the failure kind)',
      labelNames: ['channel', 'outcome', 'reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const e of messageStats.counts.values()) this.inc({ channel: e.channel, outcome: e.outcome, reason: e.reason }, e.n);
      },
    });
    new Gauge({
      name: 'mordecai_messages',
      help: 'SMS and email interactions (interaction_logs, type SMS or EMAIL) by channel and status (sent, simulated, failed, canceled, queued)',
      labelNames: ['channel', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const m of (await fromDb()).messages) this.set({ channel: m.channel, status: m.status }, m.n);
      },
    });
    new Gauge({
      name: 'mordecai_metrics_source_up',
      help: 'Whether this scrape could read its source (redis: queue depth; postgres: the database-derived series); 0 = those series are left out',
      labelNames: ['source'],
      registers: [this.registry],
      async collect() {
        const [q, d] = await Promise.all([readQueues(), fromDb()]);
        this.set({ source: 'redis' }, q.ok ? 1 : 0);
        this.set({ source: 'postgres' }, d.ok ? 1 : 0);
      },
    });
  }

  /** Queue depth of every queue, one read shared by the series of a scrape (2 s timeout: Redis may be down). */
  private readQueues() {
    if (!this.queueRead) {
      const queues = [this.producer.pmsSync, this.producer.caseActions, this.producer.collectionTick, this.producer.automationMaintenance];
      this.queueRead = withTimeout(Promise.all(queues.map((q) => q.getJobCounts(...QUEUE_STATES))), 2000)
        .then((all) => ({ ok: true, counts: Object.fromEntries(queues.map((q, i) => [q.name, all[i]])) }))
        .catch(() => ({ ok: false, counts: {} }))
        .finally(() => (this.queueRead = null));
    }
    return this.queueRead;
  }

  /** One round of database reads shared by the DB-derived series, cached for DB_CACHE_MS. */
  private async fromDb() {
    if (this.dbCache && Date.now() - this.dbCache.at < DB_CACHE_MS) return this.dbCache;
    if (!this.dbRead) {
      this.dbRead = withTimeout(
        Promise.all([
          this.ops.latestCompletedRuns(),
          this.ops.callsByOutcome(),
          this.ops.heldByRule(),
          this.ops.messagesByStatus(),
        ]),
        5000,
      )
        .then(([runs, calls, held, messages]) => (this.dbCache = { at: Date.now(), ok: true, runs, calls, held, messages }))
        .catch(() => ({ at: Date.now(), ok: false, runs: [], calls: [], held: [], messages: [] }))
        .finally(() => (this.dbRead = null));
    }
    return this.dbRead;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
