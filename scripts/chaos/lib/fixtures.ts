import { ensureSandboxSoftware } from '../../../src/connectors/sandbox/sandbox-software';
import { randomBytes, randomUUID } from 'crypto';
import { Pool } from 'pg';
import { encryptCredentials } from '../../../src/common/credentials-crypto';
import { clockEnv, DAYTIME_ZONE, shiftOwnClock, usDaytimeOffset } from '../../../test/utils/fake-clock';

/**
 * The clock of a scenario that places calls: every process it starts, and the scenario itself (it
 * enqueues jobs whose timestamps the workers compare with their own clock), reads 11:00 in New York
 * plus the time elapsed since, whatever the hour the suite runs at. The debtors are in New York with
 * 212 numbers, so the calling window is open without relaxing any rule. Call once, at the start.
 */
export function chaosClock(): { zone: typeof DAYTIME_ZONE; env: Record<string, string> } {
  const offset = usDaytimeOffset();
  shiftOwnClock(offset);
  return { zone: DAYTIME_ZONE, env: clockEnv(offset) };
}

/** Known secret values: the secrets scenario searches every log line for each of them. */
export const SECRETS = {
  encryptionKey: randomBytes(32).toString('base64'),
  twilioAuthToken: `tok${randomBytes(16).toString('hex')}`,
  hmacSecret: `hmac-${randomBytes(18).toString('hex')}`,
  twilioAccountSid: `AC${randomBytes(16).toString('hex')}`,
};

/** Environment common to every worker/scheduler a scenario starts (Redis and DB come from the backend). */
export function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    CREDENTIALS_ENCRYPTION_KEY: SECRETS.encryptionKey,
    // Fast stalled-job recovery so a SIGKILLed job comes back within seconds, not minutes.
    WORKER_LOCK_DURATION_MS: '10000',
    WORKER_STALLED_INTERVAL_MS: '5000',
    WORKER_SHUTDOWN_TIMEOUT_MS: '10000',
    WORKER_CONCURRENCY: '5',
    DB_POOL_SIZE: '6',
    TWILIO_ACCOUNT_SID: SECRETS.twilioAccountSid,
    TWILIO_AUTH_TOKEN: SECRETS.twilioAuthToken,
    TWILIO_FROM_NUMBER: '+15005550006',
    TWILIO_VOICE_URL: 'https://voice.example.test/twiml',
    TWILIO_STATUS_CALLBACK_URL: 'https://voice.example.test/status',
    CALL_CONTEXT_HMAC_SECRET: SECRETS.hmacSecret,
    SCHEDULER_ENABLED: 'false',
    SYNC_INTERVAL_HOURS: '0',
    SYNC_RUN_STALE_SECONDS: '15',
    ...extra,
  };
}

export interface Tenant {
  tenantId: string;
  connectionId: string;
}

export interface SandboxCreds {
  seed: number;
  leases: number;
  pageSize?: number;
  pageDelayMs?: number;
  [k: string]: unknown;
}

/** A tenant with a sandbox PMS connection (credentials encrypted as the API stores them). */
export async function createTenantWithSandbox(pool: Pool, creds: SandboxCreds, name = 'Chaos Tenant'): Promise<Tenant> {
  const tenantId = randomUUID();
  await pool.query(`INSERT INTO tenants (created_at, updated_at, id, name, timezone) VALUES (now(), now(), $1, $2, 'America/New_York')`, [tenantId, name]);
  await ensureSandboxSoftware(pool);
  const sw = await pool.query(`UPDATE softwares SET is_enabled = true WHERE key = 'sandbox' RETURNING id`);
  const connectionId = randomUUID();
  await pool.query(`INSERT INTO pms_connections (created_at, updated_at, id, tenant_id, software_id, status, credentials) VALUES (now(), now(), $1, $2, $3, 'connected', $4)`, [
    connectionId,
    tenantId,
    sw.rows[0].id,
    JSON.stringify(encryptCredentials(creds, SECRETS.encryptionKey)),
  ]);
  return { tenantId, connectionId };
}

/** `n` debt cases on fresh debtors (phones +1 555 01xx style), approved and callable unless told otherwise. */
export async function createCases(
  pool: Pool,
  tenantId: string,
  n: number,
  opts: { approval?: string; doNotCall?: boolean; phone?: (i: number) => string } = {},
): Promise<string[]> {
  const policy = await pool.query(
    `INSERT INTO flow_policies (id, created_at, updated_at, tenant_id, name, min_days_past_due, max_days_past_due, channels, is_active)
     VALUES (gen_random_uuid(), now(), now(), $1, 'chaos', 0, NULL, '{"call":true,"sms":false,"email":false,"whatsapp":false}'::jsonb, true) RETURNING id`,
    [tenantId],
  );
  const phone = opts.phone ?? ((i: number) => `+1212555${String(1000 + (i % 9000)).padStart(4, '0')}`);
  const r = await pool.query(
    `WITH d AS (
       INSERT INTO debtors (id, created_at, updated_at, tenant_id, external_ref, full_name, phone)
       SELECT gen_random_uuid(), now(), now(), $1, 'chaos-' || g, 'Debtor ' || g, ($4::text[])[g] FROM generate_series(1, $2::int) g
       RETURNING id, tenant_id, external_ref),
     f AS (
       INSERT INTO worker_debtor_flags (debtor_id, tenant_id, do_not_call, timezone) SELECT d.id, d.tenant_id, $5, 'America/New_York' FROM d)
     INSERT INTO debt_cases (id, created_at, updated_at, tenant_id, debtor_id, flow_policy_id, amount_due_cents, days_past_due, due_date, status, approval_status, external_key)
     SELECT gen_random_uuid(), now(), now(), $1, d.id, $3, 12345, 20, current_date - 20, 'NEW', $6, d.external_ref FROM d
     RETURNING id`,
    [tenantId, n, policy.rows[0].id, Array.from({ length: n }, (_, i) => phone(i)), opts.doNotCall ?? false, opts.approval ?? 'APPROVED'],
  );
  return r.rows.map((x) => x.id as string);
}

/** A call-enabled flow policy for every case of the tenant that has none (the scheduler needs one). */
export async function attachCallPolicy(pool: Pool, tenantId: string): Promise<void> {
  const p = await pool.query(
    `INSERT INTO flow_policies (id, created_at, updated_at, tenant_id, name, min_days_past_due, max_days_past_due, channels, is_active)
     VALUES (gen_random_uuid(), now(), now(), $1, 'chaos calls', 0, NULL, '{"call":true,"sms":false,"email":false,"whatsapp":false}'::jsonb, true) RETURNING id`,
    [tenantId],
  );
  await pool.query(`UPDATE debt_cases SET flow_policy_id = $2 WHERE tenant_id = $1 AND flow_policy_id IS NULL`, [tenantId, p.rows[0].id]);
}
