/**
 * SIGKILL of the worker in the middle of a batch of CALL_CASE jobs, while Twilio has created calls
 * it has not yet answered for: after recovery (stalled jobs re-run by a fresh worker) every case has
 * exactly one interaction and Twilio saw exactly one dial per number.
 */
import { Queue } from 'bullmq';
import { createTestDatabase, TestDatabase } from '../utils/db';
import { baseEnv } from '../utils/env';
import { AppProcess } from '../../src/common/app-process';
import { startWorker } from '../utils/processes';
import { cleanPrefix, testPrefix, testQueue } from '../utils/queues';
import { waitForQuiet } from '../../src/queues/quiescence';
import { FakeTwilioServer } from '../fakes/twilio-server';
import { daytimeZone, seedCases, seedTenant } from '../fakes/twilio-scenario';

const N = 60;
let db: TestDatabase;
let prefix: string;
let twilio: FakeTwilioServer;
let queue: Queue;
const workers: AppProcess[] = [];

function env(): Record<string, string> {
  return baseEnv(db.name, prefix, {
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM_NUMBER: '+15005550006',
    TWILIO_VOICE_URL: 'https://api.mordecai.test/voice/twiml',
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_HTTP_TIMEOUT_MS: '2000',
    TWILIO_CPS: '10',
    CALL_CONTEXT_HMAC_SECRET: 'crash-secret',
    WORKER_CONCURRENCY: '8',
    WORKER_LOCK_DURATION_MS: '5000',
    WORKER_STALLED_INTERVAL_MS: '5000',
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = testPrefix();
  twilio = new FakeTwilioServer();
  await twilio.start();
  queue = testQueue('case-actions', prefix);
});

afterAll(async () => {
  for (const w of workers) await w.stop();
  await queue?.close();
  await twilio?.stop();
  await cleanPrefix(prefix);
  await db?.drop();
});

it('SIGKILL during a batch leaves zero duplicate dials and one interaction per case', async () => {
  const day = daytimeZone();
  const tenantId = await seedTenant(db.pool, day.zone);
  const caseIds = await seedCases(db.pool, tenantId, day, N, 500);
  // Every call is created at once but answered 400 ms later: a kill lands between the two.
  twilio.script({ kind: 'slow-response', ms: 400 }, { times: 10_000 });

  const first = startWorker(env());
  workers.push(first);
  await first.waitForMsg('worker ready', 30000);
  await queue.addBulk(caseIds.map((caseId, i) => ({ name: 'CALL_CASE', data: { tenantId, caseId }, opts: { jobId: `crash-${i}`, attempts: 3, backoff: { type: 'exponential', delay: 500 } } })));

  const until = Date.now() + 30000;
  while (twilio.calls.length < 20 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  first.kill('SIGKILL');
  await first.exited;
  const createdAtKill = twilio.calls.length;
  expect(createdAtKill).toBeGreaterThanOrEqual(20);
  expect(createdAtKill).toBeLessThan(N);

  const second = startWorker(env());
  workers.push(second);
  await second.waitForMsg('worker ready', 30000);
  await waitForQuiet(queue, 80000);

  const counts = await queue.getJobCounts('completed', 'failed');
  expect(counts).toMatchObject({ completed: N, failed: 0 });
  expect(twilio.duplicateDials()).toBe(0);
  expect(twilio.calls).toHaveLength(N);

  const { rows } = await db.pool.query(
    `SELECT il.debt_case_id, count(*)::int AS n, min(il.provider_ref) AS sid, bool_and(il.status = 'in_progress') AS placed,
            bool_or((wi.evidence #>> '{twilio,foundAfterRetry}')::boolean) AS found
       FROM interaction_logs il LEFT JOIN worker_interactions wi ON wi.interaction_log_id = il.id WHERE il.tenant_id = $1 GROUP BY il.debt_case_id`,
    [tenantId],
  );
  expect(rows).toHaveLength(N);
  expect(rows.every((r) => r.n === 1 && r.placed)).toBe(true);
  expect(new Set(rows.map((r) => r.sid)).size).toBe(N);
  expect(new Set(twilio.calls.map((c) => c.sid))).toEqual(new Set(rows.map((r) => r.sid)));
  // The kill did interrupt dials whose calls Twilio had already created: they were found, not redialed.
  expect(rows.filter((r) => r.found).length).toBeGreaterThanOrEqual(1);
}, 150000);
