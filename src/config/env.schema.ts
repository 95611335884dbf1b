import { z } from 'zod';

/**
 * The one schema for the environment. Every variable of the shared docs is here, with its
 * default. Variables that only one feature needs are optional here and required by
 * `requireFeature()` when that feature runs (Twilio only for CALL_CASE, S3 only for summaries).
 */

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : v === 'true' || v === '1' || v === 'yes'));

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      if (!/^-?\d+$/.test(v.trim())) {
        ctx.addIssue({ code: 'custom', message: `must be an integer, got "${v}"` });
        return z.NEVER;
      }
      const n = Number(v);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}, got ${n}` });
        return z.NEVER;
      }
      return n;
    });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const httpUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    try {
      const u = new URL(v.trim());
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      return v.trim().replace(/\/+$/, '');
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, got "${v}"` });
      return z.NEVER;
    }
  });

const redisUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const value = v === undefined || v.trim() === '' ? 'redis://127.0.0.1:6379' : v.trim();
    try {
      const u = new URL(value);
      if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error('protocol');
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a redis:// or rediss:// URL' });
      return z.NEVER;
    }
    return value;
  });

/** 32 bytes as base64 or as 64 hex chars (docs/schema.md, encrypted credentials). Validated in depth by the crypto module. */
const encryptionKey = optionalString;

const cronExpr = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const value = v === undefined || v.trim() === '' ? '0 * * * * *' : v.trim();
    const parts = value.split(/\s+/);
    if (parts.length < 5 || parts.length > 6) {
      ctx.addIssue({ code: 'custom', message: `must be a cron expression with 5 or 6 fields, got "${value}"` });
      return z.NEVER;
    }
    return value;
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info'),

  // Postgres (shared with the API)
  DB_HOST: z.string().optional().default('127.0.0.1'),
  DB_PORT: int(5432, 1, 65535),
  DB_NAME: z.string().optional().default('mordecai'),
  DB_USER: z.string().optional().default('postgres'),
  DB_PASSWORD: z.string().optional().default(''),
  DB_SSL: bool(false),
  DB_POOL_SIZE: int(10, 1, 200),

  // Redis / BullMQ (shared with the API)
  REDIS_URL: redisUrl,
  BULLMQ_PREFIX: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? 'bull' : v.trim())),
  // Redis Cluster: comma-separated seed nodes "host:port,host:port". When set, BullMQ connects in
  // cluster mode (credentials and TLS still come from REDIS_URL) and BULLMQ_PREFIX must carry a
  // hash tag such as "{mordecai}" so every key of a queue lands in one slot.
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const nodes = v.split(',').map((n) => n.trim()).filter(Boolean);
      const out: { host: string; port: number }[] = [];
      for (const n of nodes) {
        const m = /^(?:redis:\/\/)?([^:/\s]+):(\d{1,5})$/.exec(n);
        if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
          ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of host:port, got "${n}"` });
          return z.NEVER;
        }
        out.push({ host: m[1], port: Number(m[2]) });
      }
      return out.length ? out : undefined;
    }),

  // Credentials of PMS connections (shared with the API)
  CREDENTIALS_ENCRYPTION_KEY: encryptionKey,

  // Twilio (required only when CALL_CASE may dial)
  TWILIO_ACCOUNT_SID: optionalString.refine((v) => v === undefined || /^AC[0-9a-fA-F]{32}$/.test(v), {
    message: 'must be "AC" followed by 32 hex characters',
  }),
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM_NUMBER: optionalString.refine((v) => v === undefined || /^\+[1-9]\d{6,14}$/.test(v), {
    message: 'must be an E.164 number such as +15555550100',
  }),
  TWILIO_VOICE_URL: httpUrl,
  TWILIO_STATUS_CALLBACK_URL: httpUrl,
  TWILIO_API_BASE_URL: httpUrl,
  TWILIO_CPS: int(1, 1, 1000),
  TWILIO_RING_TIMEOUT_SECONDS: int(30, 5, 600),
  TWILIO_MACHINE_DETECTION: z.enum(['', 'Enable', 'DetectMessageEnd', 'off']).optional().default('off'),
  TWILIO_HTTP_TIMEOUT_MS: int(15000, 500, 120000),
  CALL_CONTEXT_HMAC_SECRET: optionalString,
  CALL_CONTEXT_SIGNATURE_VERSION: z.string().optional().default('1'),
  CALL_CONTEXT_TTL_SECONDS: int(600, 30, 86400),
  CALL_FRESHNESS_MINUTES: int(60, 0, 10080),
  CALL_STALE_TTL_SECONDS: int(1800, 60, 604800),
  CALLS_DRY_RUN: bool(false),

  // Messages (SMS_CASE / EMAIL_CASE). SMS goes from the Messaging Service when set, else from
  // TWILIO_FROM_NUMBER; email through SES v2 in SES_REGION (else AWS_REGION).
  TWILIO_MESSAGING_SERVICE_SID: optionalString.refine((v) => v === undefined || /^MG[0-9a-fA-F]{32}$/.test(v), {
    message: 'must be "MG" followed by 32 hex characters',
  }),
  TWILIO_SMS_STATUS_CALLBACK_URL: httpUrl,
  SES_FROM_EMAIL: optionalString.refine((v) => v === undefined || /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>$/.test(v), {
    message: 'must be an email address (optionally "Name <address>")',
  }),
  SES_REPLY_TO_EMAIL: optionalString,
  SES_CONFIGURATION_SET: optionalString,
  SES_REGION: optionalString,
  SES_ENDPOINT: httpUrl,
  SES_HTTP_TIMEOUT_MS: int(15000, 500, 120000),
  EMAIL_UNSUBSCRIBE_URL: httpUrl,
  MESSAGES_DRY_RUN: bool(false),

  // S3 (required only for SYNC_CALL_SUMMARY)
  AWS_REGION: optionalString,
  S3_BUCKET_NAME: optionalString,
  S3_ENDPOINT: httpUrl,
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,

  // Worker
  WORKER_CONCURRENCY: int(5, 1, 500),
  WORKER_ATTEMPTS: int(3, 1, 100),
  WORKER_SHUTDOWN_TIMEOUT_MS: int(90000, 0, 3600000),
  WORKER_DRAIN_DELAY_SECONDS: int(300, 1, 3600),
  WORKER_STALLED_INTERVAL_MS: int(300000, 5000, 3600000),
  WORKER_LOCK_DURATION_MS: int(60000, 5000, 3600000),

  // Scheduler
  SCHEDULER_CRON: cronExpr,
  SCHEDULER_LIMIT: int(500, 1, 100000),
  SCHEDULER_PER_TENANT_LIMIT: int(10, 1, 100000),
  SCHEDULER_COOLDOWN_MINUTES: int(360, 1, 100000),
  SCHEDULER_INCLUDE_DEMO_CASES: bool(false),
  SCHEDULER_TENANT_ID: optionalString.refine((v) => v === undefined || z.guid().safeParse(v).success, {
    message: 'must be a UUID',
  }),
  SCHEDULER_ENABLED: bool(true),
  // Full-sync cadence inside automation-maintenance: an hourly maintenance job syncs every step of a
  // connection whose last complete sync is older than this (0 = only the API's hourly/daily steps)
  SYNC_INTERVAL_HOURS: int(6, 0, 8760),
  // Sync engine: a running sync_run whose heartbeat is older than this is taken over (its worker died)
  SYNC_RUN_STALE_SECONDS: int(120, 10, 86400),
  // Sync engine: a sync job finding another sync of its connection running waits (delayed, no attempt
  // used) and looks again every SYNC_BUSY_RETRY_SECONDS, for at most SYNC_BUSY_MAX_WAIT_MINUTES since it
  // was enqueued (then it fails with the busy message; 0 = fail at once)
  SYNC_BUSY_RETRY_SECONDS: int(15, 1, 3600),
  SYNC_BUSY_MAX_WAIT_MINUTES: int(360, 0, 10080),
  // Sync engine: records per write batch (a connector page larger than this is written in several batches)
  SYNC_BATCH_SIZE: int(5000, 100, 100000),

  // PMS base URLs (tests point them at fake servers; production uses the vendors' hosts).
  // BUILDIUM_API_URL: default https://api.buildium.com (paths /v1/...).
  // RENTVINE_API_URL: default https://{account}.rentvine.com/api/manager; a `{account}` in the
  // value is replaced by the connection's account (e.g. http://127.0.0.1:4010/{account}/api/manager).
  BUILDIUM_API_URL: httpUrl,
  RENTVINE_API_URL: httpUrl,
  // Rows per page: Buildium `limit` (max 1000), Rentvine `pageSize`.
  BUILDIUM_PAGE_SIZE: int(1000, 1, 1000),
  RENTVINE_PAGE_SIZE: int(100, 1, 1000),

  // Operator HTTP (off unless METRICS_PORT is set)
  METRICS_PORT: int(0, 0, 65535),
  DASHBOARD_USER: optionalString,
  DASHBOARD_PASSWORD: optionalString,
}).superRefine((env, ctx) => {
  if (env.REDIS_CLUSTER_NODES && !/\{[^{}]+\}/.test(env.BULLMQ_PREFIX)) {
    ctx.addIssue({
      code: 'custom',
      path: ['BULLMQ_PREFIX'],
      message: `must carry a Redis Cluster hash tag such as "{mordecai}" when REDIS_CLUSTER_NODES is set, got "${env.BULLMQ_PREFIX}"`,
    });
  }
});

export type Env = z.infer<typeof envSchema>;

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Parses the environment; throws one error listing every invalid variable and why. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigValidationError(problems);
  }
  return result.data;
}

/** Feature-level requirements: checked when the feature is about to run, listing all that is missing. */
export const FEATURE_VARIABLES = {
  calls: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM_NUMBER', 'TWILIO_VOICE_URL', 'CALL_CONTEXT_HMAC_SECRET'],
  callsDryRun: ['TWILIO_VOICE_URL', 'CALL_CONTEXT_HMAC_SECRET'],
  summaries: ['S3_BUCKET_NAME', 'AWS_REGION'],
  // plus TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER (checked by the SMS handler)
  sms: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  // plus SES_REGION or AWS_REGION (checked by the email handler)
  email: ['SES_FROM_EMAIL'],
  credentials: ['CREDENTIALS_ENCRYPTION_KEY'],
} as const satisfies Record<string, readonly (keyof Env)[]>;

export type Feature = keyof typeof FEATURE_VARIABLES;

export function missingForFeature(env: Env, feature: Feature): string[] {
  return FEATURE_VARIABLES[feature].filter((k) => env[k] === undefined || env[k] === '');
}
