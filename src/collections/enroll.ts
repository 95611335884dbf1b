import type { PoolClient } from 'pg';
import { COLLECTIONS_TABLES_EXIST_SQL, ENROLL_ELIGIBLE_STATUSES, ENROLL_NEW_CASES_SQL } from './collections.sql';

export interface EnrollResult {
  enrolled: number;
  approvalsSet: number;
}

/**
 * After cases are built: every eligible case of the connection joins each active automation of the
 * connection it is not in yet, as the API's enroll does (stage by days past due, approval by the
 * automation's mode, due at once), in one statement. A database without the API's collections tables
 * (no automation can exist) enrolls nothing.
 */
export async function enrollNewCases(client: Pick<PoolClient, 'query'>, tenantId: string, connectionId: string, now: Date = new Date()): Promise<EnrollResult> {
  const [exists] = (await client.query(COLLECTIONS_TABLES_EXIST_SQL)).rows as { ok: boolean }[];
  if (!exists?.ok) return { enrolled: 0, approvalsSet: 0 };
  const [row] = (await client.query(ENROLL_NEW_CASES_SQL, [tenantId, connectionId, ENROLL_ELIGIBLE_STATUSES, now.toISOString()])).rows as { enrolled: number; approvals_set: number }[];
  return { enrolled: row.enrolled, approvalsSet: row.approvals_set };
}
