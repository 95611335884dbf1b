import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { PermanentJobError } from '../common/errors';
import { STREAM_ORDER, StreamKind } from '../connectors/canonical';
import { ConnectionLoader } from '../connectors/connection-loader';
import { ConnectionContext, PmsApiError, PmsConnector, PulledPage } from '../connectors/connector.types';
import { todayUtc } from '../connectors/sandbox/sandbox.portfolio';
import { SyncStep } from '../queues/job-map';
import { AgingService } from './aging.service';
import { CasesService } from './cases.service';
import { CLEAR_SEEN, DROP_UNREPORTED_BALANCES, SOFT_DELETE_DEBTORS, SOFT_DELETE_LEASES } from './canonical-writer.sql';
import { writePage } from './canonical-writer';
import { execute } from '../database/sql';
import { ValidatedPage, validatePage } from './record-validation';
import { SyncRunsRepository } from './sync-runs.repository';
import { Checkpoint, RunSyncOptions, STEP_STREAMS, SyncInterruptedError, SyncStats, SyncSummary, TableCounts } from './sync.types';

/** Per page transaction: no WAL flush wait, index nested loops only (see pull()). */
const PAGE_SETTINGS = [
  'SET LOCAL synchronous_commit = off',
  'SET LOCAL enable_hashjoin = off',
  'SET LOCAL enable_mergejoin = off',
  'SET LOCAL enable_seqscan = off',
  'SET LOCAL enable_bitmapscan = off',
  'SET LOCAL enable_material = off',
  'SET LOCAL jit = off',
].join('; ');

/** The tables the aging and cases queries read, analysed once before them when the pull wrote rows. */
const ANALYZE_BEFORE_AGING = 'ANALYZE pms_debtors, pms_leases, ar_charges, ar_payments, pms_reported_balances';

const CURSOR_KEYS: Partial<Record<StreamKind, string>> = { debtors: 'debtorsSince', leases: 'leasesSince', charges: 'chargesSince', payments: 'paymentsSince' };

function emptyCounts(): TableCounts {
  return { received: 0, created: 0, updated: 0, unchanged: 0, stale: 0, skipped: 0, missingRelations: 0 };
}

/**
 * Runs one sync of one connection: owns the sync_run, the connection status, the pull, the
 * canonical writes (page by page, each page atomically with its checkpoint), soft deletes, aging
 * and cases. Safe to run twice: a retried or recovered job resumes the run it owns.
 */
@Injectable()
export class SyncRunner {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly connections: ConnectionLoader,
    private readonly runs: SyncRunsRepository,
    private readonly aging: AgingService,
    private readonly cases: CasesService,
  ) {}

  async run(o: RunSyncOptions): Promise<SyncSummary> {
    const started = Date.now();
    const conn = await this.connections.load(o.connectionId, o.tenantId);
    const steps: SyncStep[] = o.steps && o.steps.length ? [...new Set(o.steps)] : ['debtors_leases', 'charges', 'payments', 'balances_aging'];
    const connector = this.connections.connectorFor(conn);
    const state = conn.sync_state ?? {};
    const mode: 'full' | 'incremental' =
      connector.supportsIncremental && state.lastSuccessfulRunAt && o.trigger && o.trigger !== 'manual' ? 'incremental' : 'full';

    const claim = await this.runs.claim(o, mode, steps, this.config.get('SYNC_RUN_STALE_SECONDS'));
    if (claim.replay) return claim.replay;
    const runId = claim.runId;
    const stats: SyncStats = claim.stats ?? { mode, steps, pages: 0, tables: {}, skippedReasons: {}, skippedSample: [], missingRelations: {} };
    const cp: Checkpoint = claim.checkpoint ?? {};
    const log = o.log;
    log?.info({ runId, mode, steps, resumed: claim.resumed }, 'sync run claimed');

    const staleMs = this.config.get('SYNC_RUN_STALE_SECONDS') * 1000;
    const beat = setInterval(() => {
      this.runs.heartbeat(runId).catch(() => undefined);
    }, Math.max(1000, Math.floor(staleMs / 4)));
    beat.unref();

    try {
      await this.runs.markConnectionSyncing(conn.id);
      const ctx = this.connections.context(conn, o.signal);

      // 1. pull and write, page by page
      if (!cp.pullComplete) await this.pull(connector, ctx, { runId, mode, steps, stats, cp, state, progress: o.progress });

      // 2. soft deletes after a complete full pull (never on incremental or partial)
      if (!cp.pullComplete) {
        await this.db.transaction(async (db) => {
          const pulled = new Set(steps.flatMap((s) => STEP_STREAMS[s]));
          // Fresh statistics so the anti-joins below are hash joins, not nested loops.
          await db.query('ANALYZE sync_run_seen');
          if (mode === 'full' && pulled.has('debtors') && pulled.has('leases')) {
            const d = await execute(db, SOFT_DELETE_DEBTORS, [conn.id, runId]);
            const l = await execute(db, SOFT_DELETE_LEASES, [conn.id, runId]);
            stats.softDeleted = { debtors: d.rowCount, leases: l.rowCount };
          }
          if (mode === 'full' && pulled.has('balances')) await db.query(DROP_UNREPORTED_BALANCES, [conn.id, runId]);
          await db.query(CLEAR_SEEN, [runId]);
          cp.pullComplete = true;
          await this.runs.saveProgress(db, runId, stats, cp, 'pulled');
        });
      }

      // 3. balances, aging, reconciliation; 4. cases
      if (steps.includes('balances_aging')) {
        await o.progress?.({ step: 'aging' });
        // Statistics for the aging and cases queries (whole-table joins) once the tables changed.
        const wrote = Object.values(stats.tables).some((t) => t && t.created + t.updated > 0);
        if (wrote) await this.db.query(ANALYZE_BEFORE_AGING);
        await this.db.transaction(async (db) => {
          const aging = await this.aging.compute(db, { connectionId: conn.id, tenantId: conn.tenant_id, asOfDate: todayUtc(), currency: ctx.currency });
          stats.aging = aging;
          stats.reconciliation = aging.reconciliation;
          if (o.cases !== false) {
            const refreshed = await this.cases.refresh(conn.id, conn.tenant_id, db);
            const built = await this.cases.buildNew(conn.id, conn.tenant_id, db, ctx.currency);
            stats.cases = { ...refreshed, created: built.created, debtorsCreated: built.debtorsCreated, reconciliationHolds: await this.cases.reconciliationHolds(conn.id, conn.tenant_id, db) };
          }
          cp.agingDone = true;
          await this.runs.saveProgress(db, runId, stats, cp, 'aging');
        });
      }

      const summary: SyncSummary = {
        runId,
        status: 'completed',
        mode,
        counts: stats.tables,
        softDeleted: stats.softDeleted,
        aging: stats.aging
          ? { asOfDate: stats.aging.asOfDate, totalCents: stats.aging.totalCents, leasesPastDue: stats.aging.leasesPastDue, mismatches: stats.aging.reconciliation.mismatches }
          : undefined,
        cases: stats.cases,
        durationMs: Date.now() - started,
        resumed: claim.resumed || undefined,
      };
      stats.summary = summary;
      await this.runs.complete(runId, conn.id, stats, cursorsOf(cp));
      log?.info({ runId, durationMs: summary.durationMs }, 'sync run completed');
      return summary;
    } catch (err) {
      if (err instanceof SyncInterruptedError) {
        // Not a failure: the run stays open for this job to resume (same job id, from its checkpoint).
        await this.runs.interrupt(runId).catch((e) => log?.error({ err: e }, 'could not record the interruption'));
        log?.info({ runId }, 'sync run interrupted at a page boundary (shutdown); it resumes from its checkpoint');
        throw err;
      }
      await this.runs.fail(runId, conn.id, err).catch((e) => log?.error({ err: e }, 'could not record the sync failure'));
      throw toJobError(err);
    } finally {
      clearInterval(beat);
    }
  }

  private async pull(
    connector: PmsConnector,
    ctx: ConnectionContext,
    p: { runId: string; mode: 'full' | 'incremental'; steps: SyncStep[]; stats: SyncStats; cp: Checkpoint; state: Record<string, unknown>; progress?: RunSyncOptions['progress'] },
  ): Promise<void> {
    const wanted = new Set(p.steps.flatMap((s) => STEP_STREAMS[s]));
    const done = new Set(p.cp.done ?? []);
    const streams = STREAM_ORDER.filter((s) => wanted.has(s) && !done.has(s));
    if (streams.length === 0) return;
    const since: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.state)) if (k.endsWith('Since') && typeof v === 'string') since[k] = v;
    const iter = p.mode === 'full' ? connector.pullFull(ctx, { streams, resume: p.cp.resume }) : connector.pullIncremental(ctx, { streams, resume: p.cp.resume, since });
    const it = iter[Symbol.asyncIterator]();
    const batch = this.config.get('SYNC_BATCH_SIZE');
    let current: StreamKind | null = null;
    // The next page is pulled and validated while the current one is written (one page ahead, no
    // more: memory stays flat). Its failure surfaces only once the current page has committed.
    const fetchNext = async (): Promise<{ page: PulledPage; v: ValidatedPage } | null> => {
      const r = await it.next();
      if (r.done) return null;
      return { page: r.value, v: validatePage(r.value.kind, r.value.records as unknown[], { currency: ctx.currency }) };
    };
    let next = fetchNext();
    try {
      for (;;) {
        let item: { page: PulledPage; v: ValidatedPage } | null;
        try {
          item = await next;
        } catch (err) {
          // a connector whose request was cut by the shutdown signal: an interruption, not a PMS failure
          if (ctx.signal?.aborted) throw new SyncInterruptedError();
          throw err;
        }
        if (!item) break;
        // Page boundary: a shutdown stops here; everything before this page is committed.
        if (ctx.signal?.aborted) throw new SyncInterruptedError();
        const { page, v } = item;
        const kind = page.kind;
        const finished: StreamKind[] = current && current !== kind ? [current] : [];
        current = kind;
        const t = (p.stats.tables[kind] ??= emptyCounts());
        t.received += page.records.length;
        const skippedHere = page.records.length - v.rows.length;
        t.skipped += skippedHere;
        if (skippedHere > 0) {
          const reasons = (p.stats.skippedReasons[kind] ??= {});
          for (const [r, n] of Object.entries(v.skipped)) reasons[r] = (reasons[r] ?? 0) + (n ?? 0);
          for (const s of v.skippedSample) if (p.stats.skippedSample.length < 50) p.stats.skippedSample.push({ stream: kind, ...s });
        }
        let prefetch: Promise<{ page: PulledPage; v: ValidatedPage } | null> | null = null;
        const startPrefetch = () => {
          if (prefetch) return;
          prefetch = fetchNext();
          prefetch.catch(() => undefined); // awaited on the next turn; never an unhandled rejection
        };
        await this.db.transaction(async (db) => {
          // The page and its checkpoint commit together, so a page lost by a Postgres crash is simply
          // pulled again on resume: no need to wait for the WAL flush of every page.
          // One page joins a few thousand keys against tables of any size: index lookups, always,
          // whatever the planner statistics say (a table analysed while small or empty would
          // otherwise be scanned or hashed whole for every page: O(n^2) over a run). So no ANALYZE
          // is needed while the tables grow. No JIT: with scans disabled every cost looks huge.
          await db.query(PAGE_SETTINGS);
          for (let i = 0; i < v.rows.length; i += batch) {
            const rows = i === 0 && v.rows.length <= batch ? v.rows : v.rows.slice(i, i + batch);
            const r = await writePage(db, {
              connectionId: ctx.connectionId,
              tenantId: ctx.tenantId,
              runId: p.runId,
              kind,
              rows,
              trackSeen: p.mode === 'full',
              // the big statement is on its way: pull the next page meanwhile
              onSent: startPrefetch,
            });
            t.created += r.created;
            t.updated += r.updated;
            t.stale += r.stale;
            const requiredMissing = rows.length - r.accepted;
            t.skipped += requiredMissing;
            t.unchanged += r.accepted - r.created - r.updated - r.stale;
            for (const [rel, n] of Object.entries(r.missingCounts)) {
              t.missingRelations += n;
              const m = (p.stats.missingRelations[rel] ??= { count: 0, sample: [] });
              m.count += n;
              for (const s of r.missingSample) if (s.rel === rel && m.sample.length < 20 && !m.sample.includes(s.ext)) m.sample.push(s.ext);
            }
            if (r.contacts) {
              const c = (p.stats.contacts ??= { created: 0, updated: 0, deleted: 0 });
              c.created += r.contacts.created;
              c.updated += r.contacts.updated;
              c.deleted += r.contacts.deleted;
            }
          }
          startPrefetch();
          p.stats.pages += 1;
          p.cp.done = [...new Set([...(p.cp.done ?? []), ...finished])];
          p.cp.resume = { ...(p.cp.resume ?? {}), [kind]: page.resume ?? null };
          const maxMod = page.maxModifiedAt ?? maxModified(page.records as unknown[]);
          if (maxMod && (!p.cp.maxModified?.[kind] || maxMod > p.cp.maxModified[kind]!)) p.cp.maxModified = { ...(p.cp.maxModified ?? {}), [kind]: maxMod };
          await this.runs.saveProgress(db, p.runId, p.stats, p.cp, `pull:${kind}`);
        });
        startPrefetch();
        next = prefetch!;
        await p.progress?.({ step: 'pull', stream: kind, page: page.source?.page ?? null, pages: p.stats.pages, received: t.received });
      }
    } finally {
      // stop the connector (a pending prefetch is left to settle on its own)
      void Promise.resolve(it.return?.()).catch(() => undefined);
    }
    // A connector may end its stream early when the signal fires: that is not a complete pull.
    if (ctx.signal?.aborted) throw new SyncInterruptedError();
  }
}

function maxModified(records: unknown[]): string | null {
  let max: string | null = null;
  for (const r of records) {
    const v = (r as { lastExternalUpdatedAt?: unknown } | null)?.lastExternalUpdatedAt;
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) {
      const iso = new Date(v).toISOString();
      if (!max || iso > max) max = iso;
    }
  }
  return max;
}

/** The incremental cursors (sync_state ...Since keys) from the newest modification time seen per stream. */
function cursorsOf(cp: Checkpoint): Record<string, string> {
  const cursors: Record<string, string> = {};
  for (const [k, v] of Object.entries(cp.maxModified ?? {})) if (CURSOR_KEYS[k as StreamKind] && v) cursors[CURSOR_KEYS[k as StreamKind]!] = v;
  return cursors;
}

/** PMS auth failures and non-retryable PMS errors do not retry; 5xx/429/network do (the run resumes). */
function toJobError(err: unknown): unknown {
  if (err instanceof PmsApiError && err.details.retryable === false) {
    return new PermanentJobError(err.message, { ...err.details });
  }
  return err;
}
