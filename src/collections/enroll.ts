import type { EntityManager } from 'typeorm';
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
export async function enrollNewCases(db: EntityManager, tenantId: string, connectionId: string, now: Date = new Date()): Promise<EnrollResult> {
  const [exists] = await db.query<{ ok: boolean }[]>(COLLECTIONS_TABLES_EXIST_SQL);
  if (!exists?.ok) return { enrolled: 0, approvalsSet: 0 };
  const [row] = await db.query<{ enrolled: number; approvals_set: number }[]>(ENROLL_NEW_CASES_SQL, [tenantId, connectionId, ENROLL_ELIGIBLE_STATUSES, now.toISOString()]);
  return { enrolled: row.enrolled, approvalsSet: row.approvals_set };
}
