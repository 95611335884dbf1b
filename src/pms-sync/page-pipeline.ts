import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { STREAM_ORDER, StreamKind } from '../connectors/canonical';
import { ConnectionContext, PmsConnector, PulledPage } from '../connectors/connector.types';
import { SyncStep } from '../queues/job-payloads';
import { PageCounts, writePage } from './canonical-writer';
import { ValidatedPage, validatePage } from './record-validation';
import { SyncRunsRepository } from './sync-runs.repository';
import { Checkpoint, RunSyncOptions, STEP_STREAMS, SyncInterruptedError, SyncStats, TableCounts } from './sync.types';

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

/** The run a pull works for; stats and cp are updated in place, page by page. */
export interface PullRun {
  runId: string;
  mode: 'full' | 'incremental';
  steps: SyncStep[];
  stats: SyncStats;
  cp: Checkpoint;
  /** the connection's sync_state: its ...Since cursors drive an incremental pull */
  state: Record<string, unknown>;
  progress?: RunSyncOptions['progress'];
}

type ValidatedItem = { page: PulledPage; v: ValidatedPage };

/**
 * The pull: the connector's pages, each validated, written and committed together with its
 * checkpoint and stats, so a resumed run starts at the first page not committed. A shutdown
 * (the context's signal) stops it at a page boundary with SyncInterruptedError.
 */
@Injectable()
export class PagePipeline {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly runs: SyncRunsRepository,
  ) {}

  async pull(connector: PmsConnector, ctx: ConnectionContext, p: PullRun): Promise<void> {
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
    const fetchNext = async (): Promise<ValidatedItem | null> => {
      const r = await it.next();
      if (r.done) return null;
      return { page: r.value, v: validatePage(r.value.kind, r.value.records as unknown[], { currency: ctx.currency }) };
    };
    let next = fetchNext();
    try {
      for (;;) {
        let item: ValidatedItem | null;
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
        countValidated(p.stats, t, kind, page.records.length, v);
        let prefetch: Promise<ValidatedItem | null> | null = null;
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
            countWritten(p.stats, t, rows.length, r);
          }
          startPrefetch();
          p.stats.pages += 1;
          advanceCheckpoint(p.cp, kind, finished, page);
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

function emptyCounts(): TableCounts {
  return { received: 0, created: 0, updated: 0, unchanged: 0, stale: 0, skipped: 0, missingRelations: 0 };
}

/** A page as pulled: received, and the records validation skipped (with a reason and a sample). */
function countValidated(stats: SyncStats, t: TableCounts, kind: StreamKind, received: number, v: ValidatedPage): void {
  t.received += received;
  const skippedHere = received - v.rows.length;
  t.skipped += skippedHere;
  if (skippedHere > 0) {
    const reasons = (stats.skippedReasons[kind] ??= {});
    for (const [r, n] of Object.entries(v.skipped)) reasons[r] = (reasons[r] ?? 0) + (n ?? 0);
    for (const s of v.skippedSample) if (stats.skippedSample.length < 50) stats.skippedSample.push({ stream: kind, ...s });
  }
}

/** A batch as written: what changed, what lacked a required relation, the contacts written. */
function countWritten(stats: SyncStats, t: TableCounts, rows: number, r: PageCounts): void {
  t.created += r.created;
  t.updated += r.updated;
  t.stale += r.stale;
  const requiredMissing = rows - r.accepted;
  t.skipped += requiredMissing;
  t.unchanged += r.accepted - r.created - r.updated - r.stale;
  for (const [rel, n] of Object.entries(r.missingCounts)) {
    t.missingRelations += n;
    const m = (stats.missingRelations[rel] ??= { count: 0, sample: [] });
    m.count += n;
    for (const s of r.missingSample) if (s.rel === rel && m.sample.length < 20 && !m.sample.includes(s.ext)) m.sample.push(s.ext);
  }
  if (r.contacts) {
    const c = (stats.contacts ??= { created: 0, updated: 0, deleted: 0 });
    c.created += r.contacts.created;
    c.updated += r.contacts.updated;
    c.deleted += r.contacts.deleted;
  }
}

/** The checkpoint after a page: streams finished, where each stream resumes, newest modification seen. */
function advanceCheckpoint(cp: Checkpoint, kind: StreamKind, finished: StreamKind[], page: PulledPage): void {
  cp.done = [...new Set([...(cp.done ?? []), ...finished])];
  cp.resume = { ...(cp.resume ?? {}), [kind]: page.resume ?? null };
  const maxMod = page.maxModifiedAt ?? maxModified(page.records as unknown[]);
  if (maxMod && (!cp.maxModified?.[kind] || maxMod > cp.maxModified[kind]!)) cp.maxModified = { ...(cp.maxModified ?? {}), [kind]: maxMod };
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
