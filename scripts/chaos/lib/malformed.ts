import fc from 'fast-check';
import { randomUUID } from 'crypto';

/**
 * Malformed jobs of every kind, generated with fast-check: unknown names (prototype keys, odd
 * unicode, names of the other queue), SMS_CASE/EMAIL_CASE with broken payloads, known names with a required field
 * missing or of the wrong type, non-object payloads, bad optional fields, nested junk, huge strings.
 * Each carries the fragment its failedReason must contain.
 */

export interface BadJob {
  queue: 'pms-sync' | 'case-actions';
  name: string;
  data: unknown;
  expect: string;
  kind: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KNOWN: Record<BadJob['queue'], string[]> = {
  'pms-sync': ['sync', 'build-new-cases', 'build-cases', 'refresh-cases', 'sync-full-flow'],
  'case-actions': ['CALL_CASE', 'SYNC_CALL_SUMMARY', 'RECONCILE_CALLS'],
};
// handled on case-actions (a broken payload is rejected there), unknown names on pms-sync
const MESSAGE_JOBS = ['SMS_CASE', 'EMAIL_CASE'];

const oddStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  '\u202Emoc.evil',
  'null',
  'undefined',
  '💥'.repeat(40),
  'Z̷̡̛a̸l̵g̶o̷',
  '../../etc/passwd',
  "'; DROP TABLE tenants; --",
  '{{7*7}}',
  '${process.env.CREDENTIALS_ENCRYPTION_KEY}',
  '__proto__',
  '\ud800',
  '00000000-0000-0000-0000-00000000000g',
  '{"tenantId":"x"}',
);
const hugeString = fc
  .tuple(fc.integer({ min: 20_000, max: 120_000 }), fc.constantFrom('x', 'é', '𝔘', '\u0000', 'ab'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

/** Any JSON-ish junk value (never a UUID string). */
export const junk: fc.Arbitrary<unknown> = fc
  .oneof(
    { arbitrary: fc.integer(), weight: 3 },
    { arbitrary: fc.double(), weight: 2 },
    { arbitrary: fc.boolean(), weight: 2 },
    { arbitrary: fc.constant(null), weight: 2 },
    { arbitrary: fc.string({ maxLength: 40 }), weight: 4 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 4 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
    { arbitrary: oddStrings, weight: 4 },
    { arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 3 },
    { arbitrary: fc.constant(randomUUID().toUpperCase().replace(/-/g, '')), weight: 1 },
    { arbitrary: hugeString, weight: 1 },
  )
  .filter((v) => !(typeof v === 'string' && UUID_RE.test(v)));

const nestedJunk = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 12 }).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 5 }), { maxKeys: 4 });

function requiredOf(name: string): string[] {
  if (name === 'CALL_CASE') return ['tenantId', 'caseId'];
  if (name === 'SYNC_CALL_SUMMARY') return ['tenantId'];
  if (name === 'RECONCILE_CALLS') return [];
  return ['connectionId', 'tenantId'];
}

function validBase(name: string): Record<string, unknown> {
  if (name === 'CALL_CASE') return { tenantId: randomUUID(), caseId: randomUUID() };
  if (name === 'SYNC_CALL_SUMMARY') return { tenantId: randomUUID(), interactionId: randomUUID() };
  if (name === 'RECONCILE_CALLS') return {};
  return { connectionId: randomUUID(), tenantId: randomUUID() };
}

const queueArb = fc.constantFrom<BadJob['queue']>('pms-sync', 'case-actions');

/** A known name whose payload breaks its schema. */
const badPayload: fc.Arbitrary<BadJob> = fc
  .tuple(queueArb, fc.nat(), fc.integer({ min: 0, max: 5 }), junk, junk, nestedJunk, fc.boolean())
  .map(([queue, pick, mode, j1, j2, extra, deleteIt]) => {
    const names = KNOWN[queue];
    const name = names[pick % names.length];
    const base: Record<string, unknown> = { ...validBase(name), ...extra };
    const required = requiredOf(name);
    let data: unknown = base;
    let kind = 'bad-field';
    if (mode === 0 || required.length === 0) {
      // optional field of the wrong type/value
      kind = 'bad-optional';
      if (name === 'RECONCILE_CALLS') base.olderThanSeconds = typeof j1 === 'number' && Number.isInteger(j1) && j1 > 0 ? -Math.abs(j1) : j1 === undefined ? 'x' : j1;
      else if (name === 'SYNC_CALL_SUMMARY') {
        delete base.interactionId;
        base.callSid = typeof j1 === 'string' ? `XX${j1}` : j1 ?? 'bad';
      } else if (name === 'CALL_CASE') base.caseId = j1 ?? 'not-a-uuid';
      else if (name === 'sync') base[['trigger', 'steps', 'idempotencyKey'][Math.abs(Number(pick)) % 3]] = junkNotValidOptional(j1);
      else base.connectionId = j1 ?? 'nope';
    } else if (mode === 1) {
      kind = 'non-object';
      data = Array.isArray(j1) ? j1 : typeof j1 === 'object' && j1 !== null ? [j1] : j1;
    } else {
      const field = required[pick % required.length];
      if (deleteIt) {
        delete base[field];
        kind = 'missing-field';
      } else base[field] = j2 ?? 123;
      if (name === 'SYNC_CALL_SUMMARY' && mode === 5) {
        base.tenantId = randomUUID();
        delete base.interactionId;
        kind = 'summary-without-ids';
      }
    }
    return { queue, name, data, expect: 'invalid payload', kind };
  });

function junkNotValidOptional(v: unknown): unknown {
  // trigger must be one of manual|scheduled|webhook, steps an array of known steps or null, key 1..256 chars
  if (v === null || v === undefined) return 12;
  if (typeof v === 'string') return v.length >= 1 && v.length <= 256 ? { nested: v } : v;
  if (Array.isArray(v)) return [...v, 'not-a-step'];
  return v;
}

const unknownName: fc.Arbitrary<BadJob> = fc
  .tuple(
    queueArb,
    fc.oneof(
      fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'call_case', 'Sync', 'sync ', 'SMS_CASE ', 'build_cases'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
      fc.integer({ min: 2000, max: 8000 }).map((n) => 'N'.repeat(n)),
    ),
    fc.oneof(junk, nestedJunk),
    fc.boolean(),
  )
  .map(([queue, rawName, data, other]) => {
    // names that are valid on the other queue are unknown here
    const name = other ? KNOWN[queue === 'pms-sync' ? 'case-actions' : 'pms-sync'][rawName.length % KNOWN[queue === 'pms-sync' ? 'case-actions' : 'pms-sync'].length] : rawName;
    return { queue, name, data, expect: 'unknown job name', kind: other ? 'other-queue-name' : 'unknown-name' };
  })
  .filter((j) => !KNOWN[j.queue].includes(j.name) && !MESSAGE_JOBS.includes(j.name));

const messageJobs: fc.Arbitrary<BadJob> = fc
  .tuple(queueArb, fc.constantFrom(...MESSAGE_JOBS), fc.oneof(junk, nestedJunk))
  .map(([queue, name, data]) => ({ queue, name, data, expect: queue === 'case-actions' ? 'invalid payload' : 'unknown job name', kind: 'message-job' }));

export const badJob: fc.Arbitrary<BadJob> = fc.oneof({ arbitrary: badPayload, weight: 6 }, { arbitrary: unknownName, weight: 3 }, { arbitrary: messageJobs, weight: 1 });

export function sampleBadJobs(n: number, seed: number): BadJob[] {
  return fc.sample(badJob, { numRuns: n, seed });
}
