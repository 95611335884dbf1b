import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { encryptCredentials } from '../../src/common/credentials-crypto';
import {
  chargeAndPaid,
  debtor,
  debtorOf,
  isMismatch,
  leasePresent,
  ledgerBalance,
  MISMATCH_DELTA_CENTS,
  parseSandboxOptions,
  paymentFor,
  reportsBalance,
  sandboxCounts,
  todayUtc,
} from '../../src/connectors/sandbox/sandbox.portfolio';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv, TEST_ENCRYPTION_KEY } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue, waitForJobEnd } from '../utils/queues';
import { AGING_POLICIES, insertConnection, insertTenant } from '../utils/seed';

/**
 * The sync engine end to end: real worker process, real queue, real Postgres. Expected figures are
 * computed independently from the sandbox generator (a reference implementation of the aging rules
 * over the generated records), then compared with what the worker wrote.
 */

jest.setTimeout(120000);

const LEASES = 300;
const CREDS = { seed: 11, leases: LEASES, pageSize: 120 };

let db: TestDatabase;
let pool: Pool;
let prefix: string;
let queue: Queue;
let worker: AppProcess;
let tenantId: string;
let connectionId: string;
let jobSeq = 0;

async function setCredentials(creds: unknown) {
  await pool.query('UPDATE pms_connections SET credentials = $2 WHERE id = $1', [connectionId, encryptCredentials(creds, TEST_ENCRYPTION_KEY)]);
}

async function runJob(name: string, data: Record<string, unknown>) {
  const job = await queue.add(name, data, { jobId: `e2e-${name}-${++jobSeq}`, attempts: 1 });
  const done = await waitForJobEnd(queue, job.id!, 90000);
  return { job: done, state: await done.getState() };
}

async function sync(extra: Record<string, unknown> = {}) {
  const r = await runJob('sync', { connectionId, tenantId, trigger: 'manual', ...extra });
  if (r.state !== 'completed') throw new Error(`sync failed: ${r.job.failedReason}`);
  return r.job.returnvalue as any;
}

/** A fingerprint of every row the sync writes: any rewrite changes xmin. */
async function fingerprint(): Promise<Record<string, string>> {
  const tables = [
    'pms_debtors', 'pms_debtor_contacts', 'pms_portfolios', 'pms_properties', 'pms_units', 'pms_leases', 'ar_charges', 'ar_payments', 'pms_reported_balances',
    'ar_balances', 'ar_lease_aging_snapshots', 'ar_portfolio_aging_snapshots', 'ar_aging_snapshots', 'debt_cases', 'debtors',
  ];
  const out: Record<string, string> = {};
  for (const t of tables) {
    const r = await pool.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(id::text || ':' || xmin::text, ',' ORDER BY id), '')) AS h FROM ${t}`);
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}

/**
 * The debtors' contacts the generator gives, one line per contact ('deb-i|type|value|label|primary');
 * `version(i)` picks the snapshot whose record of debtor i must be stored.
 */
function expectedContacts(credentials: Record<string, unknown>, version: (i: number) => number = () => 1): string[] {
  const out: string[] = [];
  const n = sandboxCounts(parseSandboxOptions(credentials)).debtors;
  for (let i = 0; i < n; i++) {
    const d = debtor(parseSandboxOptions({ ...credentials, version: version(i) }), i);
    for (const k of d.contacts ?? []) out.push(`deb-${i}|${k.type}|${k.value}|${k.label ?? ''}|${k.isPrimary === true}`);
  }
  return out.sort();
}

async function storedContacts(): Promise<string[]> {
  const rows = (
    await pool.query(
      `SELECT d.external_id || '|' || k.contact_type || '|' || k.value || '|' || coalesce(k.label, '') || '|' || k.is_primary AS line,
              k.external_id = d.external_id || '#' || k.contact_type || ':' || k.value AS id_ok
       FROM pms_debtor_contacts k JOIN pms_debtors d ON d.id = k.pms_debtor_id WHERE d.pms_connection_id = $1`,
      [connectionId],
    )
  ).rows;
  expect(rows.filter((r) => !r.id_ok)).toEqual([]);
  return rows.map((r) => r.line).sort();
}

/** Reference figures from the generator (version 1 snapshot). */
function expected(credentials: Record<string, unknown>) {
  const o = parseSandboxOptions(credentials);
  const asOf = todayUtc();
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  const c = sandboxCounts(o);
  let charges = 0;
  let payments = 0;
  let total = 0;
  const buckets = [0, 0, 0, 0];
  let cases = 0;
  let pastDueCases = 0;
  let mismatches = 0;
  let leases = 0;
  for (let i = 0; i < o.leases; i++) {
    if (!leasePresent(o, i)) continue;
    leases++;
    let oldest: string | null = null;
    for (let k = 0; k < o.chargesPerLease; k++) {
      const g = i * o.chargesPerLease + k;
      const { charge, paid } = chargeAndPaid(o, g);
      charges++;
      if (paymentFor(o, g)) payments++;
      const open = charge.amountCents - paid;
      const dpd = Math.round((asOfMs - Date.parse(`${charge.dueDate}T00:00:00Z`)) / 86400000);
      if (open > 0 && dpd > 0) {
        buckets[dpd <= 30 ? 0 : dpd <= 60 ? 1 : dpd <= 90 ? 2 : 3] += open;
        if (!oldest || charge.dueDate < oldest) oldest = charge.dueDate;
      }
    }
    const ledger = ledgerBalance(o, i).balance;
    const reported = reportsBalance(i) ? (isMismatch(i) ? ledger + MISMATCH_DELTA_CENTS : ledger) : null;
    if (reported !== null && reported !== ledger) mismatches++;
    const balance = reported ?? ledger;
    total += balance;
    // The API builds a case for every lease whose balance is > 0, past due or not.
    if (balance > 0) cases++;
    if (balance > 0 && oldest) pastDueCases++;
  }
  return { debtors: c.debtors, leases, charges, payments, total, buckets, cases, pastDueCases, mismatches, debtorOf: (i: number) => debtorOf(o, i) };
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = db.pool;
  prefix = testPrefix();
  queue = testQueue('pms-sync', prefix);
  tenantId = await insertTenant(pool, 'Sync E2E', AGING_POLICIES);
  connectionId = await insertConnection(pool, { tenantId, credentials: CREDS });
  worker = startWorker(baseEnv(db.name, prefix));
  await worker.waitForMsg('worker ready', 30000);
});

afterAll(async () => {
  await worker?.stop();
  await queue?.close();
  await cleanPrefix(prefix);
  await db?.drop();
});

describe('sync of a sandbox account through the queue', () => {
  let first: any;

  it('writes the exact expected counts, sums, aging buckets and cases', async () => {
    first = await sync();
    const e = expected(CREDS);
    expect(first.status).toBe('completed');
    expect(typeof first.runId).toBe('string');
    expect(first.durationMs).toBeGreaterThan(0);

    const n = async (sql: string) => Number((await pool.query(sql, [connectionId])).rows[0].n);
    expect(await n(`SELECT count(*) AS n FROM pms_debtors WHERE pms_connection_id = $1`)).toBe(e.debtors + 1); // + the odd-unicode debtor
    expect(await n(`SELECT count(*) AS n FROM pms_leases WHERE pms_connection_id = $1`)).toBe(e.leases);
    expect(await n(`SELECT count(*) AS n FROM ar_charges WHERE pms_connection_id = $1`)).toBe(e.charges);
    expect(await n(`SELECT count(*) AS n FROM ar_payments WHERE pms_connection_id = $1`)).toBe(e.payments + 1); // + the payment of an unknown lease
    expect(await n(`SELECT count(*) AS n FROM ar_payments WHERE pms_connection_id = $1 AND pms_lease_id IS NULL`)).toBe(1);

    const snap = (await pool.query(`SELECT * FROM ar_aging_snapshots WHERE pms_connection_id = $1`, [connectionId])).rows;
    expect(snap).toHaveLength(1);
    expect(snap[0].as_of_date.toISOString?.() ?? snap[0].as_of_date).toBeDefined();
    expect(Number(snap[0].total_cents)).toBe(e.total);
    expect([snap[0].bucket_0_30_cents, snap[0].bucket_31_60_cents, snap[0].bucket_61_90_cents, snap[0].bucket_90_plus_cents].map(Number)).toEqual(e.buckets);
    expect(Number((await pool.query(`SELECT sum(balance_cents) AS s FROM ar_balances WHERE pms_connection_id = $1`, [connectionId])).rows[0].s)).toBe(e.total);
    const pf = (await pool.query(`SELECT sum(total_cents) AS s FROM ar_portfolio_aging_snapshots WHERE pms_connection_id = $1`, [connectionId])).rows[0];
    expect(Number(pf.s)).toBe(e.total);
    expect(await n(`SELECT count(*) AS n FROM ar_lease_aging_snapshots WHERE pms_connection_id = $1`)).toBe(e.leases);
    expect(await n(`SELECT count(*) AS n FROM pms_leases WHERE pms_connection_id = $1 AND risk_tier IS NULL`)).toBe(0);

    // cases: one per lease with a positive balance (the API's rule), in the API's words and keys
    const cases = (await pool.query(`SELECT c.*, d.external_ref, d.metadata FROM debt_cases c JOIN debtors d ON d.id = c.debtor_id WHERE c.tenant_id = $1`, [tenantId])).rows;
    expect(cases).toHaveLength(e.cases);
    expect(first.cases.created).toBe(e.cases);
    for (const c of cases) {
      expect(c.external_key).toBe(`pms:${connectionId}:lease:${c.pms_lease_id}`);
      expect(c.external_ref).toMatch(new RegExp(`^pms:${connectionId}:deb-\\d+$`));
      expect(c.metadata.pms_debtor_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(c.amount_due_cents)).toBeGreaterThan(0);
      expect(c.status).toBe('NEW');
      expect(c.next_action_at).not.toBeNull();
      expect(c.meta).toMatchObject({ source: 'pms', pms_connection_id: connectionId, pms_lease_id: c.pms_lease_id, pms_debtor_id: c.metadata.pms_debtor_id });
      expect(c.meta).toHaveProperty('lease_number');
      expect(c.meta).toHaveProperty('property_name');
      expect(c.meta).toHaveProperty('unit_number');
      // a policy only where one covers the days past due (the sandbox's policies start at 1)
      if (c.days_past_due > 0) expect(c.flow_policy_id).not.toBeNull();
      else expect(c.flow_policy_id).toBeNull();
      expect(c.risk_tier).toBe(c.days_past_due <= 0 ? 'al_dia' : c.days_past_due <= 30 ? 'bajo' : c.days_past_due <= 60 ? 'medio' : c.days_past_due <= 90 ? 'alto' : 'critico');
    }
    expect(cases.filter((c) => c.days_past_due > 0)).toHaveLength(e.pastDueCases);
    expect(e.cases).toBeGreaterThan(e.pastDueCases);
    // flow policy by days past due
    const wrongPolicy = await pool.query(
      `SELECT count(*)::int AS n FROM debt_cases c JOIN flow_policies f ON f.id = c.flow_policy_id
       WHERE c.tenant_id = $1 AND NOT (f.min_days_past_due <= c.days_past_due AND (f.max_days_past_due IS NULL OR c.days_past_due <= f.max_days_past_due))`,
      [tenantId],
    );
    expect(wrongPolicy.rows[0].n).toBe(0);
    // reconciliation: mismatching leases are recorded in stats and hold their case
    const run = (await pool.query(`SELECT * FROM sync_runs WHERE id = $1`, [first.runId])).rows[0];
    expect(run.status).toBe('completed');
    expect(run.stats.reconciliation.mismatches).toBe(e.mismatches);
    expect(e.mismatches).toBeGreaterThan(0);
    const held = cases.filter((c) => c.meta.reconciliation?.mismatch === true);
    for (const h of held) expect(h.meta.reconciliation.pmsBalanceCents - h.meta.reconciliation.ledgerBalanceCents).toBe(MISMATCH_DELTA_CENTS);
    expect(first.cases.reconciliationHolds).toBe(held.length);

    // bad records: skipped with their reason, never stored
    expect(run.stats.skippedReasons.debtors).toEqual({ missing_id: 1, string_too_long: 1, invalid_text: 2, duplicate_in_page: 1 });
    expect(run.stats.skippedReasons.charges).toEqual({ invalid_amount: 1, invalid_date: 1, duplicate_in_page: 1, missing_id: 1 });
    expect(run.stats.skippedReasons.leases).toEqual({ invalid_enum: 1, invalid_date: 1 });
    expect(run.stats.skippedReasons.payments).toEqual({ invalid_amount: 1, invalid_timestamp: 1 });
    expect(run.stats.missingRelations.leases).toEqual({ count: 3, sample: ['lease-unknown-1', 'lease-unknown-2', 'lease-unknown-9'] });
    expect(run.stats.missingRelations.debtors.count).toBe(1);
    expect(run.stats.tables.charges).toMatchObject({ received: e.charges + 6, created: e.charges, skipped: 6, missingRelations: 2 });
    const odd = (await pool.query(`SELECT display_name FROM pms_debtors WHERE external_id = 'deb-odd-unicode'`)).rows[0];
    expect(odd.display_name).toBe('Zoë 🏠 Ωmega \u202eRTL\u202c e\u0301');
    expect(await n(`SELECT count(*) AS n FROM pms_debtors WHERE pms_connection_id = $1 AND external_id LIKE 'deb-bad%'`)).toBe(0);

    // the debtors' phones and emails: exactly the generator's, one row each
    const contacts = expectedContacts(CREDS);
    expect(contacts.length).toBeGreaterThan(e.debtors);
    expect(await storedContacts()).toEqual(contacts);
    expect(run.stats.contacts).toEqual({ created: contacts.length, updated: 0, deleted: 0 });

    // connection state
    const conn = (await pool.query(`SELECT * FROM pms_connections WHERE id = $1`, [connectionId])).rows[0];
    expect(conn.status).toBe('connected');
    expect(conn.last_synced_at).not.toBeNull();
    expect(conn.sync_state.lastRunStatus).toBe('SUCCESS');
    // job progress was reported
    const job = await queue.getJob(`e2e-sync-${jobSeq}`);
    expect(job?.progress).toMatchObject({ step: 'aging' });
  });

  it('a second identical sync changes no row', async () => {
    const before = await fingerprint();
    const second = await sync();
    expect(await fingerprint()).toEqual(before);
    for (const t of Object.values(second.counts) as any[]) {
      expect(t.created).toBe(0);
      expect(t.updated).toBe(0);
    }
    expect(second.counts.charges.unchanged).toBe(expected(CREDS).charges);
    expect(second.cases.created).toBe(0);
    const run = (await pool.query(`SELECT stats FROM sync_runs WHERE id = $1`, [second.runId])).rows[0];
    expect(run.stats.contacts).toEqual({ created: 0, updated: 0, deleted: 0 });
  });

  it('the same idempotency key twice is the same run', async () => {
    const a = await sync({ idempotencyKey: 'demo-key-1' });
    const b = await sync({ idempotencyKey: 'demo-key-1' });
    expect(b.runId).toBe(a.runId);
    expect(b.idempotentReplay).toBe(true);
    const runs = await pool.query(`SELECT count(*)::int AS n FROM sync_runs WHERE pms_connection_id = $1 AND idempotency_key = 'demo-key-1'`, [connectionId]);
    expect(runs.rows[0].n).toBe(1);
  });

  it('a later snapshot: newer records applied, older ones ignored, missing leases soft-deleted; they come back when they reappear', async () => {
    await setCredentials({ ...CREDS, version: 2 });
    const r = await sync();
    const gone = Array.from({ length: LEASES }, (_, i) => i).filter((i) => i % 50 === 7);
    expect(r.softDeleted.leases).toBe(gone.length);
    const deleted = (await pool.query(`SELECT external_id FROM pms_leases WHERE pms_connection_id = $1 AND EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = id) ORDER BY external_id`, [connectionId])).rows;
    expect(deleted.map((d) => d.external_id).sort()).toEqual(gone.map((i) => `lease-${i}`).sort());
    const ln = async (i: number) => (await pool.query(`SELECT lease_number FROM pms_leases WHERE pms_connection_id = $1 AND external_id = $2`, [connectionId, `lease-${i}`])).rows[0].lease_number;
    expect(await ln(3)).toBe('L-000003-R2'); // newer: applied
    expect(await ln(5)).toBe('L-000005'); // older: ignored (monotonic)
    expect(r.counts.leases.stale).toBe(Array.from({ length: LEASES }, (_, i) => i).filter((i) => i % 40 === 5 && i % 50 !== 7).length);
    const desc = async (g: number) => (await pool.query(`SELECT description FROM ar_charges WHERE pms_connection_id = $1 AND external_id = $2`, [connectionId, `chg-${g}`])).rows[0].description;
    expect(await desc(2)).toMatch(/\(corrected\)$/);
    expect(await desc(4)).not.toMatch(/stale copy/);
    // no case counts a soft-deleted lease in the aging
    const agingLeases = (await pool.query(`SELECT count(*)::int AS n FROM ar_lease_aging_snapshots WHERE pms_connection_id = $1`, [connectionId])).rows[0].n;
    expect(agingLeases).toBe(LEASES - gone.length);
    const balances = (await pool.query(`SELECT count(*)::int AS n FROM ar_balances WHERE pms_connection_id = $1`, [connectionId])).rows[0].n;
    expect(balances).toBe(LEASES - gone.length);

    // contacts: a newer debtor record replaces its contacts (work phone gone, billing email added),
    // an older one leaves them as they were
    const v2 = (i: number) => (i % 40 === 21 ? 1 : 2);
    expect(await storedContacts()).toEqual(expectedContacts(CREDS, v2));
    const changed = Array.from({ length: sandboxCounts(parseSandboxOptions(CREDS)).debtors }, (_, i) => i).filter((i) => i % 40 === 1);
    const dropped = changed.filter((i) => (debtor(parseSandboxOptions(CREDS), i).contacts ?? []).some((k) => k.label === 'work')).length;
    const added = changed.filter((i) => debtor(parseSandboxOptions(CREDS), i).email).length;
    expect(dropped).toBeGreaterThan(0);
    const v2run = (await pool.query(`SELECT stats FROM sync_runs WHERE id = $1`, [r.runId])).rows[0];
    expect(v2run.stats.contacts).toEqual({ created: added, updated: 0, deleted: dropped });

    // back to the first snapshot: the leases reappear, the newer record stays
    await setCredentials(CREDS);
    await sync();
    expect((await pool.query(`SELECT count(*)::int AS n FROM pms_leases WHERE pms_connection_id = $1 AND EXISTS (SELECT 1 FROM worker_soft_deletes sd WHERE sd.row_id = id)`, [connectionId])).rows[0].n).toBe(0);
    expect(await ln(3)).toBe('L-000003-R2');
    expect(await storedContacts()).toEqual(expectedContacts(CREDS, (i) => (i % 40 === 1 ? 2 : 1)));
  });

  it('closes a case as PAID when the balance reaches zero, and reopens it when it comes back', async () => {
    const c = (
      await pool.query(
        `SELECT c.id, l.external_id FROM debt_cases c JOIN pms_leases l ON l.id = c.pms_lease_id WHERE c.tenant_id = $1 AND c.closed_at IS NULL ORDER BY l.external_id LIMIT 1`,
        [tenantId],
      )
    ).rows[0];
    await setCredentials({ ...CREDS, balanceOverrides: { [c.external_id]: 0 } });
    const r = await sync();
    expect(r.cases.closedPaid).toBe(1);
    const closed = (await pool.query(`SELECT status, closed_at FROM debt_cases WHERE id = $1`, [c.id])).rows[0];
    expect(closed.status).toBe('PAID');
    expect(closed.closed_at).not.toBeNull();
    await setCredentials(CREDS);
    const r2 = await sync();
    expect(r2.cases.reopened).toBe(1);
    expect(r2.cases.created).toBe(0); // one case per lease, ever
    const reopened = (await pool.query(`SELECT status, closed_at FROM debt_cases WHERE id = $1`, [c.id])).rows[0];
    expect(reopened).toEqual({ status: 'NEW', closed_at: null });
  });

  it('refresh-cases creates none; build-new-cases creates only the missing; sync-full-flow does all three', async () => {
    const total = async () => (await pool.query(`SELECT count(*)::int AS n FROM debt_cases WHERE tenant_id = $1`, [tenantId])).rows[0].n;
    const all = await total();
    const victim = (await pool.query(`SELECT id, amount_due_cents FROM debt_cases WHERE tenant_id = $1 ORDER BY external_key LIMIT 2`, [tenantId])).rows;
    await pool.query(`DELETE FROM debt_cases WHERE id = $1`, [victim[0].id]);
    await pool.query(`UPDATE debt_cases SET amount_due_cents = 1 WHERE id = $1`, [victim[1].id]);

    const refresh = await runJob('refresh-cases', { connectionId, tenantId });
    expect(refresh.state).toBe('completed');
    expect(await total()).toBe(all - 1);
    expect(Number((await pool.query(`SELECT amount_due_cents FROM debt_cases WHERE id = $1`, [victim[1].id])).rows[0].amount_due_cents)).toBe(Number(victim[1].amount_due_cents));

    const build = await runJob('build-cases', { connectionId, tenantId });
    expect(build.state).toBe('completed');
    expect((build.job.returnvalue as any).counts.cases.created).toBe(1);
    expect(await total()).toBe(all);
    const again = await runJob('build-new-cases', { connectionId, tenantId });
    expect((again.job.returnvalue as any).counts.cases.created).toBe(0);

    const flow = await runJob('sync-full-flow', { connectionId, tenantId });
    expect(flow.state).toBe('completed');
    expect((flow.job.returnvalue as any).runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await total()).toBe(all);
  });

  it('steps limit the run', async () => {
    const r = await sync({ steps: ['charges'] });
    expect(Object.keys(r.counts)).toEqual(['charges']);
    expect(r.aging).toBeUndefined();
  });

  it('never logs the credentials or the key', () => {
    const all = worker.raw.join('\n');
    expect(all).not.toContain(TEST_ENCRYPTION_KEY);
    expect(all).not.toContain('"seed"');
  });
});
