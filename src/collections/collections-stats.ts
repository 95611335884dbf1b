import type { Queue } from 'bullmq';
import { TickResult } from './collection-tick.engine';
import { COLLECTIONS_TABLES_EXIST_SQL } from './collections.sql';

/**
 * What this process's ticks did since it started (ticks, states dispatched, states skipped by reason,
 * jobs per name), for /metrics. One per process: the tick handler adds, the metrics service reads.
 */
export class CollectionTickStats {
  ticks = 0;
  dispatched = 0;
  readonly skipped = new Map<string, number>();
  readonly jobs = new Map<string, number>();
  lastTickAt: Date | null = null;

  add(r: TickResult): void {
    this.ticks++;
    this.dispatched += r.dispatched;
    // rule holds are labelled by their first rule ("rules:call_skipped_outside_calling_window"): bounded label values
    for (const [reason, n] of Object.entries(r.skipped)) this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + n);
    for (const [name, n] of Object.entries(r.jobs)) this.jobs.set(name, (this.jobs.get(name) ?? 0) + n);
    this.lastTickAt = new Date(r.at);
  }
}

export const collectionTickStats = new CollectionTickStats();

export interface CollectionsOverview {
  available: boolean;
  activeAutomations: number;
  lastTickAt: string | null;
  dueNow: number;
  /** collection_events of the last 24 hours by event type (queued = dispatched; the rest say why not) */
  events24h: { event_type: string; n: number }[];
}

/** The operator's view from the database (CLI status): the API's collections tables, if it made them. */
export async function collectionsOverview(query: (sql: string, params?: unknown[]) => Promise<any[]>, now = new Date()): Promise<CollectionsOverview> {
  const [exists] = await query(COLLECTIONS_TABLES_EXIST_SQL);
  if (!exists?.ok) return { available: false, activeAutomations: 0, lastTickAt: null, dueNow: 0, events24h: [] };
  const [a] = await query(`SELECT count(*)::int AS n, max(last_evaluated_at) AS last FROM collection_automations WHERE status = 'active'`);
  const [d] = await query(
    `SELECT count(*)::int AS n FROM case_automation_state s JOIN collection_automations a ON a.id = s.automation_id AND a.status = 'active'
      WHERE s.status = 'active' AND s.next_action_at <= $1::timestamptz`,
    [now.toISOString()],
  );
  const events = await query(
    `SELECT event_type, count(*)::int AS n FROM collection_events WHERE created_at > $1::timestamptz - interval '24 hours' GROUP BY 1 ORDER BY 2 DESC, 1`,
    [now.toISOString()],
  );
  return { available: true, activeAutomations: a.n, lastTickAt: a.last ? new Date(a.last).toISOString() : null, dueNow: d.n, events24h: events };
}

/** What the ticks of a period did, summed from their jobs' return values. */
export interface TickHistory {
  ticks: number;
  claimed: number;
  dispatched: number;
  skipped: Record<string, number>;
  jobs: Record<string, number>;
  lastTickAt: string | null;
}

/**
 * The completed `tick` jobs of the last `hours` (the queue keeps the latest 200 of them, 50 hours at
 * one per 15 minutes): the operator's view of ticks across every worker, without a table of our own.
 */
export async function tickHistory(queue: Pick<Queue, 'getJobs'>, now = new Date(), hours = 24): Promise<TickHistory> {
  const since = now.getTime() - hours * 3600_000;
  const out: TickHistory = { ticks: 0, claimed: 0, dispatched: 0, skipped: {}, jobs: {}, lastTickAt: null };
  for (const j of await queue.getJobs(['completed'], 0, 199)) {
    const r = j.returnvalue as Partial<TickResult> | null;
    if (j.name !== 'tick' || !r || (j.finishedOn ?? 0) < since) continue;
    out.ticks++;
    out.claimed += r.claimed ?? 0;
    out.dispatched += r.dispatched ?? 0;
    for (const [k, n] of Object.entries(r.skipped ?? {})) out.skipped[k] = (out.skipped[k] ?? 0) + n;
    for (const [k, n] of Object.entries(r.jobs ?? {})) out.jobs[k] = (out.jobs[k] ?? 0) + n;
    if (r.at && (!out.lastTickAt || r.at > out.lastTickAt)) out.lastTickAt = r.at;
  }
  return out;
}

export interface MessagesOverview {
  /** interaction_logs of type SMS / EMAIL created in the period, by status; failed ones by failure kind */
  byStatus: { channel: string; status: string; reason: string; n: number }[];
  /** messages a rule held, from the API's events (collection_events with channel sms / email) */
  skipped: { channel: string; event_type: string; n: number }[];
}

/** Messages of the last `hours` by outcome (CLI status). */
export async function messagesOverview(query: (sql: string, params?: unknown[]) => Promise<any[]>, now = new Date(), hours = 24): Promise<MessagesOverview> {
  const byStatus = await query(
    `SELECT type::text AS channel, coalesce(status, 'unknown') AS status,
            CASE WHEN status = 'failed' THEN coalesce(lower(error->>'reason'), error->>'kind', '') ELSE '' END AS reason, count(*)::int AS n
       FROM interaction_logs
      WHERE type::text IN ('SMS', 'EMAIL') AND created_at > $1::timestamptz - make_interval(hours => $2::int)
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [now.toISOString(), hours],
  );
  const [exists] = await query(COLLECTIONS_TABLES_EXIST_SQL);
  const skipped = exists?.ok
    ? await query(
        `SELECT upper(channel) AS channel, event_type, count(*)::int AS n
           FROM collection_events
          WHERE channel IN ('sms', 'email') AND event_type LIKE '%skipped%' AND created_at > $1::timestamptz - make_interval(hours => $2::int)
          GROUP BY 1, 2 ORDER BY 1, 2`,
        [now.toISOString(), hours],
      )
    : [];
  return { byStatus, skipped };
}
