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
