import { SYNC_STEPS } from '../queues/job-payloads';
import { FULL_SYNC_DUE_SQL } from './collections.sql';

type Query = (sql: string, params: unknown[]) => Promise<unknown[]>;

/**
 * Which of these connections are due for a full sync: their last complete sync is older than
 * SYNC_INTERVAL_HOURS, or they never had one. The hourly maintenance job runs every step for them
 * instead of the hourly ones; the scheduler uses the same answer only to report it. 0 hours = none
 * (maintenance keeps to the API's hourly and daily steps).
 */
export async function connectionsDueForFullSync(query: Query, connectionIds: string[], now: Date, intervalHours: number): Promise<string[]> {
  if (intervalHours <= 0 || connectionIds.length === 0) return [];
  const rows = (await query(FULL_SYNC_DUE_SQL, [connectionIds, now.toISOString(), intervalHours, JSON.stringify(SYNC_STEPS)])) as { id: string }[];
  return rows.map((r) => r.id);
}
