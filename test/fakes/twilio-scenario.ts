import { Pool } from 'pg';
import { randomUUID } from 'crypto';
import { toE164 } from '../../src/common/phone';
import { ensureSandboxSoftware } from '../../src/connectors/sandbox/sandbox-software';

/**
 * Test data for calls: debtors whose every candidate time zone (their own zone and the zone of their
 * number's area code) is in the middle of the day right now, so the real call rules allow the call
 * whenever the tests run. Nothing in the rules is relaxed: we pick the place, not the law.
 */
interface ZoneSpec {
  zone: string;
  /** E.164 prefix; 4 digits are appended */
  prefix: string;
}

const ZONES: ZoneSpec[] = [
  { zone: 'America/New_York', prefix: '+1212234' },
  { zone: 'America/Chicago', prefix: '+1312234' },
  { zone: 'America/Denver', prefix: '+1303234' },
  { zone: 'America/Los_Angeles', prefix: '+1213234' },
  { zone: 'Pacific/Honolulu', prefix: '+1808234' },
  { zone: 'Europe/London', prefix: '+44207946' },
  { zone: 'Europe/Berlin', prefix: '+4930123' },
  // Tokyo numbers have 10 national digits (3 + 8). No Australian number: Australia's zones span
  // three hours and more, so its numbers are never inside the window everywhere at once.
  { zone: 'Asia/Tokyo', prefix: '+8131234' },
  // night (00:00-05:59) somewhere at 20:00-23:00 UTC, which no zone above covers
  { zone: 'Asia/Kolkata', prefix: '+91222345' },
];

function localHour(zone: string, at: Date): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(at));
}

/** A zone where it is between 09:00 and 19:59 now (margin on both sides of 08:00-21:00). */
export function daytimeZone(at = new Date()): ZoneSpec {
  const z = ZONES.find((s) => {
    const h = localHour(s.zone, at);
    return h >= 9 && h <= 19;
  });
  if (!z) throw new Error('no daytime zone found (should not happen)');
  return z;
}

/** A zone where it is night now (the window is closed). */
export function nighttimeZone(at = new Date()): ZoneSpec {
  const z = ZONES.find((s) => {
    const h = localHour(s.zone, at);
    return h >= 0 && h <= 5;
  });
  if (!z) throw new Error('no night zone found (should not happen)');
  return z;
}

export function phoneIn(spec: ZoneSpec, i: number): string {
  const n = `${spec.prefix}${String(i % 10000).padStart(4, '0')}`;
  const e164 = toE164(n);
  if (e164 !== n) throw new Error(`test phone ${n} is not a valid E.164 number`);
  return n;
}

export async function seedTenant(pool: Pool, timezone = 'America/New_York'): Promise<string> {
  const id = randomUUID();
  await pool.query(`INSERT INTO tenants (created_at, updated_at, id, name, timezone) VALUES (now(), now(), $1, $2, $3)`, [id, `Tenant ${id.slice(0, 8)}`, timezone]);
  return id;
}

export interface SeedCase {
  tenantId: string;
  phone: string | null;
  timezone: string | null;
  amountCents?: number;
  status?: string;
  pmsLeaseId?: string | null;
  lastPmsSyncAt?: Date | null;
  pmsDebtorId?: string | null;
}

export async function seedCase(pool: Pool, s: SeedCase): Promise<{ caseId: string; debtorId: string }> {
  const debtorId = randomUUID();
  const caseId = randomUUID();
  await pool.query(
    `INSERT INTO debtors (created_at, updated_at, id, tenant_id, full_name, phone, metadata) VALUES (now(), now(), $1, $2, 'Test Debtor', $3, $4)`,
    [debtorId, s.tenantId, s.phone, JSON.stringify(s.pmsDebtorId ? { pms_debtor_id: s.pmsDebtorId } : {})],
  );
  // A debtor's own zone is the workers' knowledge (the API's debtors table has no such column).
  if (s.timezone) await pool.query(`INSERT INTO worker_debtor_flags (debtor_id, tenant_id, timezone) VALUES ($1, $2, $3)`, [debtorId, s.tenantId, s.timezone]);
  await pool.query(
    `INSERT INTO debt_cases (created_at, updated_at, id, tenant_id, debtor_id, amount_due_cents, days_past_due, status, approval_status, pms_lease_id, last_pms_sync_at)
     VALUES (now(), now(), $1, $2, $3, $4, 35, $5, 'APPROVED', $6, $7)`,
    [caseId, s.tenantId, debtorId, s.amountCents ?? 125000, s.status ?? 'NEW', s.pmsLeaseId ?? null, s.lastPmsSyncAt ?? null],
  );
  return { caseId, debtorId };
}

/** Bulk seed for the benchmark: n cases, one debtor each, distinct numbers. */
export async function seedCases(pool: Pool, tenantId: string, spec: ZoneSpec, n: number, offset = 0): Promise<string[]> {
  const ids: string[] = [];
  const debtors: string[] = [];
  const phones: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(randomUUID());
    debtors.push(randomUUID());
    phones.push(phoneIn(spec, offset + i));
  }
  await pool.query(
    `INSERT INTO debtors (created_at, updated_at, id, tenant_id, full_name, phone)
     SELECT now(), now(), d, $1, 'Bench Debtor', p FROM unnest($2::uuid[], $3::text[]) AS x(d, p)`,
    [tenantId, debtors, phones],
  );
  await pool.query(`INSERT INTO worker_debtor_flags (debtor_id, tenant_id, timezone) SELECT d, $1, $3 FROM unnest($2::uuid[]) AS x(d)`, [tenantId, debtors, spec.zone]);
  await pool.query(
    `INSERT INTO debt_cases (created_at, updated_at, id, tenant_id, debtor_id, amount_due_cents, days_past_due, status, approval_status)
     SELECT now(), now(), c, $1, d, 50000, 40, 'NEW', 'APPROVED' FROM unnest($2::uuid[], $3::uuid[]) AS x(c, d)`,
    [tenantId, ids, debtors],
  );
  return ids;
}

/**
 * A sandbox PMS connection (the deterministic sandbox connector) with one lease per external id,
 * for the pre-dial freshness check. `balanceOverrides` is what the sandbox reports for a lease.
 */
export async function seedSandboxConnection(
  pool: Pool,
  tenantId: string,
  encrypted: unknown,
  leaseExternalIds: string[],
): Promise<{ connectionId: string; leases: Record<string, { leaseId: string; pmsDebtorId: string }> }> {
  await ensureSandboxSoftware(pool);
  const connectionId = randomUUID();
  await pool.query(
    `INSERT INTO pms_connections (created_at, updated_at, id, tenant_id, software_id, status, credentials)
     SELECT now(), now(), $1, $2, s.id, 'connected', $3::jsonb FROM softwares s WHERE s.key = 'sandbox'`,
    [connectionId, tenantId, JSON.stringify(encrypted)],
  );
  const leases: Record<string, { leaseId: string; pmsDebtorId: string }> = {};
  for (const ext of leaseExternalIds) {
    const pmsDebtorId = randomUUID();
    const leaseId = randomUUID();
    await pool.query(`INSERT INTO pms_debtors (created_at, updated_at, id, tenant_id, pms_connection_id, external_id, display_name) VALUES (now(), now(), $1, $2, $3, $4, 'PMS Debtor')`, [
      pmsDebtorId,
      tenantId,
      connectionId,
      `deb-${ext}`,
    ]);
    await pool.query(`INSERT INTO pms_leases (created_at, updated_at, id, tenant_id, pms_connection_id, external_id, pms_debtor_id) VALUES (now(), now(), $1, $2, $3, $4, $5)`, [
      leaseId,
      tenantId,
      connectionId,
      ext,
      pmsDebtorId,
    ]);
    leases[ext] = { leaseId, pmsDebtorId };
  }
  return { connectionId, leases };
}
