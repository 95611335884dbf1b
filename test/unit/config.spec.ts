import { ConfigValidationError, envSchema, FEATURE_VARIABLES, missingForFeature, parseEnv } from '../../src/config/env.schema';
import { Injectable } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import { processorProvider, queueSettings, workerOptions } from '../../src/queues/worker-settings';

function problemsOf(raw: Record<string, string>): string[] {
  try {
    parseEnv(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigValidationError);
    return (err as ConfigValidationError).problems;
  }
  throw new Error('expected the environment to be rejected');
}

describe('env schema: defaults', () => {
  const env = parseEnv({});

  it('starts with an empty environment and documented defaults', () => {
    expect(env.DB_HOST).toBe('127.0.0.1');
    expect(env.DB_PORT).toBe(5432);
    expect(env.DB_NAME).toBe('mordecai');
    expect(env.DB_USER).toBe('postgres');
    expect(env.DB_SSL).toBe(false);
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.BULLMQ_PREFIX).toBe('bull');
    expect(env.WORKER_CONCURRENCY).toBe(5);
    expect(env.WORKER_ATTEMPTS).toBe(3);
    expect(env.WORKER_SHUTDOWN_TIMEOUT_MS).toBe(90000);
    expect(env.WORKER_DRAIN_DELAY_SECONDS).toBe(300);
    expect(env.WORKER_STALLED_INTERVAL_MS).toBe(300000);
    expect(env.CALL_CONTEXT_TTL_SECONDS).toBe(600);
    expect(env.CALL_CONTEXT_SIGNATURE_VERSION).toBe('1');
    expect(env.LOG_LEVEL).toBe('info');
  });

  it('leaves feature-only variables unset by default', () => {
    expect(env.TWILIO_ACCOUNT_SID).toBeUndefined();
    expect(env.TWILIO_AUTH_TOKEN).toBeUndefined();
    expect(env.S3_BUCKET_NAME).toBeUndefined();
    expect(env.CREDENTIALS_ENCRYPTION_KEY).toBeUndefined();
  });

  it('treats empty strings as unset (as an .env file with "X=" gives)', () => {
    const e = parseEnv({ DB_PORT: '', REDIS_URL: '', BULLMQ_PREFIX: ' ', TWILIO_ACCOUNT_SID: '', DB_SSL: '' });
    expect(e.DB_PORT).toBe(5432);
    expect(e.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(e.BULLMQ_PREFIX).toBe('bull');
    expect(e.TWILIO_ACCOUNT_SID).toBeUndefined();
    expect(e.DB_SSL).toBe(false);
  });

  it('parses typed values', () => {
    const e = parseEnv({
      DB_PORT: '6543',
      DB_SSL: 'true',
      REDIS_URL: 'rediss://default:pw@eu1-fine-cat-12345.upstash.io:6379',
      WORKER_CONCURRENCY: '12',
      TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32),
      TWILIO_FROM_NUMBER: '+15555550100',
      TWILIO_VOICE_URL: 'https://api.example.com/twilio/voice/',
    });
    expect(e.DB_PORT).toBe(6543);
    expect(e.DB_SSL).toBe(true);
    expect(e.REDIS_URL).toBe('rediss://default:pw@eu1-fine-cat-12345.upstash.io:6379');
    expect(e.WORKER_CONCURRENCY).toBe(12);
    expect(e.TWILIO_VOICE_URL).toBe('https://api.example.com/twilio/voice');
  });

  it('ignores variables it does not know (the shell environment is full of them)', () => {
    expect(() => parseEnv({ PATH: '/usr/bin', HOME: '/root', SOMETHING_ELSE: 'x' })).not.toThrow();
  });
});

describe('env schema: invalid values', () => {
  it('reports every invalid variable together, each by name with the reason', () => {
    const problems = problemsOf({
      DB_PORT: 'abc',
      REDIS_URL: 'http://x',
      TWILIO_FROM_NUMBER: '123',
      TWILIO_ACCOUNT_SID: 'SK123',
      WORKER_CONCURRENCY: '0',
      DB_SSL: 'maybe',
      LOG_LEVEL: 'loud',
      TWILIO_VOICE_URL: 'ftp://example.com/voice',
      SCHEDULER_TENANT_ID: 'not-a-uuid',
    });
    const names = problems.map((p) => p.split(':')[0]);
    expect(names.sort()).toEqual(
      ['DB_PORT', 'REDIS_URL', 'TWILIO_FROM_NUMBER', 'TWILIO_ACCOUNT_SID', 'WORKER_CONCURRENCY', 'DB_SSL', 'LOG_LEVEL', 'TWILIO_VOICE_URL', 'SCHEDULER_TENANT_ID'].sort(),
    );
    expect(problems.find((p) => p.startsWith('DB_PORT'))).toMatch(/integer.*"abc"/);
    expect(problems.find((p) => p.startsWith('REDIS_URL'))).toMatch(/redis:\/\/ or rediss:\/\//);
    expect(problems.find((p) => p.startsWith('TWILIO_FROM_NUMBER'))).toMatch(/E\.164/);
    expect(problems.find((p) => p.startsWith('WORKER_CONCURRENCY'))).toMatch(/between 1 and/);
  });

  it('puts all problems in one error message', () => {
    try {
      parseEnv({ DB_PORT: 'abc', REDIS_URL: 'http://x', TWILIO_FROM_NUMBER: '123' });
      throw new Error('not rejected');
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toMatch(/Invalid configuration \(3 problems\)/);
      for (const v of ['DB_PORT', 'REDIS_URL', 'TWILIO_FROM_NUMBER']) expect(msg).toContain(v);
    }
  });

  it.each([
    ['DB_PORT', '0'],
    ['DB_PORT', '70000'],
    ['DB_PORT', '54.32'],
    ['REDIS_URL', 'localhost:6379'],
    ['REDIS_URL', 'not a url'],
    ['WORKER_SHUTDOWN_TIMEOUT_MS', '-1'],
    ['WORKER_ATTEMPTS', 'three'],
    ['TWILIO_FROM_NUMBER', '5555550100'],
    ['TWILIO_STATUS_CALLBACK_URL', 'example.com/cb'],
    ['BUILDIUM_API_URL', 'nope'],
    ['NODE_ENV', 'staging'],
  ])('rejects %s=%s', (key, value) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${key}:`)).toBe(true);
  });

  it('never echoes secret values in its messages', () => {
    // Secrets are free-form strings; a malformed neighbour must not drag them into the message.
    try {
      parseEnv({ DB_PORT: 'abc', DB_PASSWORD: 'hunter2-secret', TWILIO_AUTH_TOKEN: 'tok_abcdef', CREDENTIALS_ENCRYPTION_KEY: 'k'.repeat(44) });
    } catch (err) {
      expect((err as Error).message).not.toMatch(/hunter2|tok_abcdef|kkkk/);
    }
  });
});

describe('feature requirements', () => {
  it('requires Twilio settings only for calls', () => {
    const env = parseEnv({});
    expect(missingForFeature(env, 'calls')).toEqual([
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM_NUMBER',
      'TWILIO_VOICE_URL',
      'CALL_CONTEXT_HMAC_SECRET',
    ]);
    // A worker that only syncs starts without any Twilio or S3 variable.
    for (const f of Object.keys(FEATURE_VARIABLES) as (keyof typeof FEATURE_VARIABLES)[]) {
      for (const v of FEATURE_VARIABLES[f]) expect(envSchema.shape[v as keyof typeof envSchema.shape]).toBeDefined();
    }
    for (const v of FEATURE_VARIABLES.calls) expect(FEATURE_VARIABLES.summaries as readonly string[]).not.toContain(v);
  });

  it('is satisfied when the variables are present', () => {
    const env = parseEnv({
      TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32),
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_FROM_NUMBER: '+15555550100',
      TWILIO_VOICE_URL: 'https://example.com/voice',
      CALL_CONTEXT_HMAC_SECRET: 'secret',
      S3_BUCKET_NAME: 'bucket',
      AWS_REGION: 'us-east-1',
    });
    expect(missingForFeature(env, 'calls')).toEqual([]);
    expect(missingForFeature(env, 'summaries')).toEqual([]);
    expect(missingForFeature(env, 'credentials')).toEqual(['CREDENTIALS_ENCRYPTION_KEY']);
  });

  it('summaries need the bucket and region, nothing of Twilio', () => {
    const env = parseEnv({ S3_BUCKET_NAME: 'b' });
    expect(missingForFeature(env, 'summaries')).toEqual(['AWS_REGION']);
  });
});

describe('.env.example', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require('path') as typeof import('path');
  const text = fs.readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
  const entries = Object.fromEntries(
    text
      .split('\n')
      .map((l) => /^([A-Z_0-9]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );

  it('documents every variable of the schema, and nothing else', () => {
    expect(Object.keys(entries).sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('shows the real defaults (parsing it gives the same config as an empty environment)', () => {
    expect(parseEnv(entries)).toEqual(parseEnv({}));
  });
});

describe('queue settings', () => {
  it('the engine queues poll and check for stalled jobs three times less often than the busy ones, at most hourly', () => {
    const s = queueSettings(parseEnv({}));
    expect([s['pms-sync'].drainDelay, s['case-actions'].drainDelay, s['collection-tick'].drainDelay, s['automation-maintenance'].drainDelay]).toEqual([300, 300, 900, 900]);
    expect([s['pms-sync'].stalledInterval, s['case-actions'].stalledInterval, s['collection-tick'].stalledInterval, s['automation-maintenance'].stalledInterval]).toEqual([300_000, 300_000, 900_000, 900_000]);
    const slow = queueSettings(parseEnv({ WORKER_DRAIN_DELAY_SECONDS: '1800', WORKER_STALLED_INTERVAL_MS: '1500000' }));
    expect([slow['collection-tick'].drainDelay, slow['collection-tick'].stalledInterval]).toEqual([3600, 3_600_000]);
    expect(workerOptions(parseEnv({}), 'collection-tick')).toMatchObject({ drainDelay: 900, stalledInterval: 900_000, concurrency: 1 });
  });
});

describe('processorProvider', () => {
  @Injectable()
  class Clock {
    now = () => 42;
  }
  @Injectable()
  class SomeProcessor extends WorkerHost {
    constructor(readonly clock: Clock) {
      super();
    }
    process() {
      return Promise.resolve(this.clock.now());
    }
  }

  it("registers the class for the queue with this environment's worker options, its dependencies injected", async () => {
    const env = parseEnv({ WORKER_CONCURRENCY: '7', WORKER_DRAIN_DELAY_SECONDS: '60' });
    const provider = processorProvider(SomeProcessor, 'case-actions', env);
    const mod = await Test.createTestingModule({ providers: [Clock, provider] }).compile();
    const instance = mod.get(SomeProcessor);
    expect(instance).toBeInstanceOf(SomeProcessor);
    expect(instance.clock.now()).toBe(42);
    expect(Reflect.getMetadata('bullmq:processor_metadata', instance.constructor)).toEqual({ name: 'case-actions' });
    expect(Reflect.getMetadata('bullmq:worker_metadata', instance.constructor)).toEqual(workerOptions(env, 'case-actions'));
    expect(workerOptions(env, 'case-actions')).toMatchObject({ concurrency: 7, drainDelay: 60 });
    // the class itself is left as it was: another boot (another test) gets its own options
    expect(Reflect.getMetadata('bullmq:worker_metadata', SomeProcessor)).toBeUndefined();
    await mod.close();
  });
});
