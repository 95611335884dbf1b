/**
 * CallsRepository on the cloned API-schema database: the guarantees the call handlers lean on, read
 * back from the rows (one live call per case, one record per intent, a SID held by one interaction,
 * an end that keeps the first end time, a reconciliation that never reopens a closed call).
 */
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, openDataSource, TestDatabase } from '../utils/db';
import { seedCase, seedTenant } from '../fakes/twilio-scenario';
import { CallsRepository } from '../../src/calls/calls.repository';

let db: TestDatabase;
let ds: DataSource;
let calls: CallsRepository;
let tenantId: string;
let otherTenantId: string;
let phoneSeq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = await openDataSource(db.name);
  calls = new CallsRepository(ds);
  tenantId = await seedTenant(db.pool, 'America/Chicago');
  otherTenantId = await seedTenant(db.pool, 'America/Chicago');
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const newCase = (t = tenantId) => seedCase(db.pool, { tenantId: t, phone: `+1312555${String(2000 + ++phoneSeq)}`, timezone: 'America/Chicago', status: 'NEW' });

function intent(c: { caseId: string; debtorId: string }, key = `CALL_CASE:int-${randomUUID()}`) {
  return { tenantId, caseId: c.caseId, debtorId: c.debtorId, key, evidence: { rules: 'ok' }, delivery: { attempt: 1 } };
}

const row = async (id: string) =>
  (
    await db.pool.query(
      `SELECT il.status, il.outcome, il.error, il.ended_at, il.provider_ref, il.ai_data, wi.evidence, wi.attempts
         FROM interaction_logs il JOIN worker_interactions wi ON wi.interaction_log_id = il.id WHERE il.id = $1`,
      [id],
    )
  ).rows[0];

it('records one intent per key and none while another call of the case is live', async () => {
  const c = await newCase();
  const first = await calls.transaction(async (tx) => {
    await tx.lockCase(c.caseId);
    return tx.insertIntentIfNoLiveCall(intent(c, 'CALL_CASE:int-same'));
  });
  expect(first).toMatchObject({ status: 'queued', idempotency_key: 'CALL_CASE:int-same', evidence: { rules: 'ok' }, attempts: [{ attempt: 1 }] });
  // the same key again, and a new key while the first call is queued: nothing is inserted
  expect(await calls.insertIntentIfNoLiveCall(intent(c, 'CALL_CASE:int-same'))).toBeNull();
  expect(await calls.insertIntentIfNoLiveCall(intent(c))).toBeNull();
  expect(await calls.otherLiveCall(c.caseId)).toMatchObject({ id: first!.id, status: 'queued' });
  expect(await calls.otherLiveCall(c.caseId, first!.id)).toBeNull();
  const n = await db.pool.query(`SELECT count(*)::int AS n FROM interaction_logs WHERE debt_case_id = $1`, [c.caseId]);
  expect(n.rows[0].n).toBe(1);
});

it('ends an interaction keeping its first end time, with "{}" as the error when none is given', async () => {
  const c = await newCase();
  const i = (await calls.insertIntentIfNoLiveCall(intent(c)))!;
  const first = new Date('2026-03-02T15:00:00.000Z');
  await calls.markEnded(i.id, { status: 'failed', outcome: 'FAILED', error: { kind: 'rejected' }, endedAt: first });
  await calls.markEnded(i.id, { status: 'canceled', endedAt: new Date('2026-03-02T16:00:00.000Z') });
  const r = await row(i.id);
  expect(r).toMatchObject({ status: 'canceled', outcome: 'FAILED', error: {} });
  expect(r.ended_at.toISOString()).toBe(first.toISOString());
  // attempts are appended, dial marks merged
  await calls.appendAttempt(i.id, { attempt: 2 });
  await calls.markDialing(i.id, { dialAttemptedAt: null, lastDialError: { kind: 'server' } });
  const after = await row(i.id);
  expect(after.attempts).toEqual([{ attempt: 1 }, { attempt: 2 }]);
  expect(after.evidence).toEqual({ rules: 'ok', dialAttemptedAt: null, lastDialError: { kind: 'server' } });
});

it('says a SID is held only by another interaction of the same tenant', async () => {
  const c = await newCase();
  const i = (await calls.insertIntentIfNoLiveCall(intent(c)))!;
  await calls.recordPlaced(i.id, { sid: 'CAheld', at: new Date(), evidence: { twilio: { sid: 'CAheld' } }, nextActionAt: new Date(Date.now() + 3_600_000) });
  expect(await calls.sidClaimed(tenantId, 'CAheld', randomUUID())).toBe(true);
  expect(await calls.sidClaimed(tenantId, 'CAheld', i.id)).toBe(false);
  expect(await calls.sidClaimed(otherTenantId, 'CAheld', randomUUID())).toBe(false);
  expect(await calls.sidClaimed(tenantId, 'CAother', randomUUID())).toBe(false);
  expect((await calls.interactionBySid(tenantId, 'CAheld'))?.id).toBe(i.id);
  const kase = await db.pool.query(`SELECT status::text, last_contacted_at FROM debt_cases WHERE id = $1`, [c.caseId]);
  expect(kase.rows[0].status).toBe('IN_PROGRESS');
  expect(kase.rows[0].last_contacted_at).not.toBeNull();
});

it('closes a stale call once: a second close changes nothing and the case leaves IN_PROGRESS', async () => {
  const c = await newCase();
  const i = (await calls.insertIntentIfNoLiveCall(intent(c)))!;
  await calls.recordPlaced(i.id, { sid: 'CAstale', at: new Date(), evidence: {}, nextActionAt: new Date() });
  const close = { status: 'no_answer', outcome: 'NO_ANSWER', endedAt: new Date(), sid: 'CAstale', reconciliation: { twilioStatus: 'no-answer' }, error: null, caseStatus: 'NO_ANSWER' };
  expect(await calls.closeReconciled(i.id, c.caseId, close)).toBe(true);
  expect(await calls.closeReconciled(i.id, c.caseId, { ...close, status: 'failed', reconciliation: { twilioStatus: 'failed' } })).toBe(false);
  const r = await row(i.id);
  expect(r.status).toBe('no_answer');
  expect(r.ai_data.reconciliation).toEqual({ twilioStatus: 'no-answer' });
  const kase = await db.pool.query(`SELECT status::text FROM debt_cases WHERE id = $1`, [c.caseId]);
  expect(kase.rows[0].status).toBe('NO_ANSWER');
});

it('rolls back every statement of a transaction that throws', async () => {
  const c = await newCase();
  await expect(
    calls.transaction(async (tx) => {
      await tx.insertIntentIfNoLiveCall(intent(c));
      await tx.holdCase(c.caseId, new Date('2030-01-01T00:00:00Z'), { reason: 'TEST' });
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  const n = await db.pool.query(`SELECT count(*)::int AS n FROM interaction_logs WHERE debt_case_id = $1`, [c.caseId]);
  expect(n.rows[0].n).toBe(0);
  const kase = await db.pool.query(`SELECT meta FROM debt_cases WHERE id = $1`, [c.caseId]);
  expect(kase.rows[0].meta?.callHold).toBeUndefined();
});
