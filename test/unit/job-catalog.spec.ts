import { UnrecoverableError } from 'bullmq';
import { InvalidJobError, JOB_CATALOG, JOB_IDS, jobOptions, QUEUE_RETENTION, safeJobId, UNSUPPORTED_JOBS, validateJob } from '../../src/queues/job-catalog';
import { CASE_ACTIONS_QUEUE, PMS_SYNC_QUEUE } from '../../src/queues/queue-names';

const TENANT = '5b0d6c0e-2f6a-4f1e-9a51-6a2a0c9d8e71';
const CONN = 'c3a1f0d2-7b4e-4c8a-9f10-2e3d4c5b6a79';
const CASE = '9e8d7c6b-5a49-4838-a726-150f4e3d2c1b';
const INTERACTION = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

function rejection(queue: typeof PMS_SYNC_QUEUE | typeof CASE_ACTIONS_QUEUE, name: string, data: unknown): InvalidJobError {
  try {
    validateJob(queue, name, data, 'job-1');
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidJobError);
    expect(err).toBeInstanceOf(UnrecoverableError); // BullMQ does not retry it
    return err as InvalidJobError;
  }
  throw new Error(`expected ${name} ${JSON.stringify(data)} to be rejected`);
}

describe('job map: the API payloads are accepted unchanged', () => {
  it.each([
    ['sync (manual, with steps and key)', PMS_SYNC_QUEUE, 'sync', { connectionId: CONN, tenantId: TENANT, trigger: 'manual', steps: ['debtors_leases', 'charges'], idempotencyKey: `manual-${CONN}-1764300000000` }],
    ['sync (minimal)', PMS_SYNC_QUEUE, 'sync', { connectionId: CONN, tenantId: TENANT }],
    ['sync (steps null)', PMS_SYNC_QUEUE, 'sync', { connectionId: CONN, tenantId: TENANT, trigger: 'scheduled', steps: null }],
    ['sync (webhook, all steps)', PMS_SYNC_QUEUE, 'sync', { connectionId: CONN, tenantId: TENANT, trigger: 'webhook', steps: ['debtors_leases', 'charges', 'payments', 'balances_aging'] }],
    ['build-new-cases', PMS_SYNC_QUEUE, 'build-new-cases', { connectionId: CONN, tenantId: TENANT }],
    ['build-cases (old alias)', PMS_SYNC_QUEUE, 'build-cases', { connectionId: CONN, tenantId: TENANT }],
    ['refresh-cases', PMS_SYNC_QUEUE, 'refresh-cases', { connectionId: CONN, tenantId: TENANT }],
    ['sync-full-flow', PMS_SYNC_QUEUE, 'sync-full-flow', { connectionId: CONN, tenantId: TENANT }],
    ['CALL_CASE', CASE_ACTIONS_QUEUE, 'CALL_CASE', { tenantId: TENANT, caseId: CASE }],
    ['SYNC_CALL_SUMMARY by interaction', CASE_ACTIONS_QUEUE, 'SYNC_CALL_SUMMARY', { tenantId: TENANT, interactionId: INTERACTION }],
    ['SYNC_CALL_SUMMARY by call SID and key', CASE_ACTIONS_QUEUE, 'SYNC_CALL_SUMMARY', { tenantId: TENANT, callSid: 'CA0123456789abcdef0123456789abcdef', key: 'twilio/calls/CA0123456789abcdef0123456789abcdef/summary-2026-11-28T11-12-25-123Z.json' }],
    ['RECONCILE_CALLS', CASE_ACTIONS_QUEUE, 'RECONCILE_CALLS', {}],
  ] as const)('%s', (_label, queue, name, data) => {
    const out = validateJob(queue, name, data, 'j1');
    expect(out.name).toBe(name);
    expect(out.data).toEqual(data);
  });

  it('tolerates extra fields the API may add, and keeps them', () => {
    const out = validateJob(CASE_ACTIONS_QUEUE, 'CALL_CASE', { tenantId: TENANT, caseId: CASE, requestedBy: 'user-1' });
    expect(out.data).toEqual({ tenantId: TENANT, caseId: CASE, requestedBy: 'user-1' });
  });

  it('accepts any uuid the database can hold (not only RFC 4122 v4)', () => {
    expect(() => validateJob(CASE_ACTIONS_QUEUE, 'CALL_CASE', { tenantId: '11111111-1111-1111-1111-111111111111', caseId: '00000000-0000-0000-0000-000000000001' })).not.toThrow();
  });
});

describe('job map: bad payloads are rejected naming the field', () => {
  it.each([
    ['sync without connectionId', PMS_SYNC_QUEUE, 'sync', { tenantId: TENANT }, ['connectionId']],
    ['sync with a non-uuid tenant', PMS_SYNC_QUEUE, 'sync', { connectionId: CONN, tenantId: 'tenant-1' }, ['tenantId']],
    ['sync with an unknown trigger', PMS_SYNC_QUEUE, 'sync', { connectionId: CONN, tenantId: TENANT, trigger: 'cron' }, ['trigger']],
    ['sync with an unknown step', PMS_SYNC_QUEUE, 'sync', { connectionId: CONN, tenantId: TENANT, steps: ['charges', 'everything'] }, ['steps.1']],
    ['sync with steps as a string', PMS_SYNC_QUEUE, 'sync', { connectionId: CONN, tenantId: TENANT, steps: 'charges' }, ['steps']],
    ['sync with an empty idempotency key', PMS_SYNC_QUEUE, 'sync', { connectionId: CONN, tenantId: TENANT, idempotencyKey: '' }, ['idempotencyKey']],
    ['refresh-cases missing both ids', PMS_SYNC_QUEUE, 'refresh-cases', {}, ['connectionId', 'tenantId']],
    ['CALL_CASE without caseId', CASE_ACTIONS_QUEUE, 'CALL_CASE', { tenantId: TENANT }, ['caseId']],
    ['CALL_CASE with a numeric caseId', CASE_ACTIONS_QUEUE, 'CALL_CASE', { tenantId: TENANT, caseId: 42 }, ['caseId']],
    ['SYNC_CALL_SUMMARY with neither id', CASE_ACTIONS_QUEUE, 'SYNC_CALL_SUMMARY', { tenantId: TENANT, key: 'k' }, ['interactionId']],
    ['SYNC_CALL_SUMMARY with a bad SID', CASE_ACTIONS_QUEUE, 'SYNC_CALL_SUMMARY', { tenantId: TENANT, callSid: 'SM123' }, ['callSid']],
  ] as const)('%s', (_label, queue, name, data, fields) => {
    const err = rejection(queue, name, data);
    expect(err.message).toContain(`"${name}" on queue ${queue}`);
    expect(err.message).toContain('invalid payload');
    for (const f of fields) expect(err.message).toContain(`${f}:`);
    expect((err.details as { fields: string[] }).fields).toHaveLength(fields.length);
  });

  it.each([null, undefined, 'CALL_CASE', 42, []])('rejects a payload that is not an object (%p)', (data) => {
    const err = rejection(CASE_ACTIONS_QUEUE, 'CALL_CASE', data);
    expect(err.message).toMatch(/invalid payload/);
  });
});

describe('job map: names', () => {
  it('handles every job name the API enqueues on case-actions (nothing is "not supported")', () => {
    expect(UNSUPPORTED_JOBS).toEqual({});
    for (const name of ['SMS_CASE', 'EMAIL_CASE']) {
      expect(validateJob(CASE_ACTIONS_QUEUE, name, { tenantId: TENANT, caseId: CASE, automationId: CASE, stateId: CASE }).name).toBe(name);
      expect(rejection(CASE_ACTIONS_QUEUE, name, { tenantId: TENANT }).message).toMatch(/caseId/);
      expect(rejection(CASE_ACTIONS_QUEUE, name, { tenantId: TENANT, caseId: CASE, stateId: 'state-1' }).message).toMatch(/stateId: must be a UUID/);
    }
  });

  it.each(['SEND_LETTER', 'constructor', '__proto__', 'toString', 'hasOwnProperty', ''])('unknown name %p fails naming what is handled', (name) => {
    const err = rejection(CASE_ACTIONS_QUEUE, name, { tenantId: TENANT, caseId: CASE });
    expect(err.message).toContain('unknown job name');
    expect(err.message).toContain('CALL_CASE, SYNC_CALL_SUMMARY');
  });

  it('does not accept a job name on the wrong queue', () => {
    expect(rejection(PMS_SYNC_QUEUE, 'CALL_CASE', { tenantId: TENANT, caseId: CASE }).message).toContain('unknown job name');
    expect(rejection(CASE_ACTIONS_QUEUE, 'sync', { connectionId: CONN, tenantId: TENANT }).message).toContain('unknown job name');
  });

  it('covers every job name of the contract', () => {
    expect(Object.keys(JOB_CATALOG[PMS_SYNC_QUEUE]).sort()).toEqual(['build-cases', 'build-new-cases', 'refresh-cases', 'sync', 'sync-full-flow']);
    expect(Object.keys(JOB_CATALOG[CASE_ACTIONS_QUEUE])).toEqual(expect.arrayContaining(['CALL_CASE', 'SYNC_CALL_SUMMARY']));
  });
});

describe('safeJobId', () => {
  it('replaces ":" and prefixes all-digit ids (BullMQ rejects both)', () => {
    expect(safeJobId(`CALL_CASE:${CASE}:2026-11-28T10`)).toBe(`CALL_CASE-${CASE}-2026-11-28T10`);
    expect(safeJobId('12345')).toBe('j-12345');
    expect(safeJobId('CALL_CASE-on-demand-x-1')).toBe('CALL_CASE-on-demand-x-1');
  });
});

describe('job options from the catalog', () => {
  const env = { WORKER_ATTEMPTS: 4 };
  it("the API's attempts and first delays, with jitter, and the queue's retention", () => {
    expect(jobOptions(PMS_SYNC_QUEUE, 'sync', env)).toEqual({
      attempts: 2,
      backoff: { type: 'exponential', delay: 5000, jitter: 0.2 },
      removeOnComplete: { age: 86400, count: 1000 },
      removeOnFail: { age: 14 * 86400, count: 5000 },
    });
    expect(jobOptions(CASE_ACTIONS_QUEUE, 'CALL_CASE', env)).toMatchObject({ attempts: 4, backoff: { type: 'exponential', delay: 2000, jitter: 0.2 } });
    expect(jobOptions('collection-tick', 'tick', env)).toEqual({ attempts: 2, backoff: { type: 'exponential', delay: 10000, jitter: 0.2 }, ...QUEUE_RETENTION['collection-tick'] });
  });
  it('one attempt: no backoff', () => {
    expect(jobOptions(PMS_SYNC_QUEUE, 'sync-full-flow', env)).toEqual({ attempts: 1, ...QUEUE_RETENTION[PMS_SYNC_QUEUE] });
    expect(jobOptions(CASE_ACTIONS_QUEUE, 'RECONCILE_CALLS', env)).toEqual({ attempts: 1, ...QUEUE_RETENTION[CASE_ACTIONS_QUEUE] });
    expect(jobOptions(CASE_ACTIONS_QUEUE, 'SMS_CASE', { WORKER_ATTEMPTS: 1 })).toEqual({ attempts: 1, ...QUEUE_RETENTION[CASE_ACTIONS_QUEUE] });
    expect(jobOptions('automation-maintenance', 'hourly', env)).toEqual({ attempts: 1, ...QUEUE_RETENTION['automation-maintenance'] });
  });
  it('a name outside the catalog is refused', () => {
    expect(() => jobOptions(PMS_SYNC_QUEUE, 'CALL_CASE' as never, env)).toThrow('no job "CALL_CASE" on queue pms-sync in the catalog');
  });
  it('job ids', () => {
    expect(JOB_IDS.onDemandCall(CASE, new Date(1764300000000))).toBe(`CALL_CASE-on-demand-${CASE}-1764300000000`);
    expect(JOB_IDS.scheduledCall(CASE, '202611281000')).toBe(`CALL_CASE-sched-${CASE}-202611281000`);
    expect(JOB_IDS.reconcile(5881000)).toBe('RECONCILE_CALLS-5881000');
  });
});
