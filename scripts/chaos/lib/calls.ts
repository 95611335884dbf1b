import { Pool } from 'pg';
import { FakeTwilioServer } from '../../../test/fakes/twilio-server';
import { onCleanup } from './harness';

/** The fake Twilio (test/fakes) on loopback, stopped on exit. */
export async function startFakeTwilio(opts: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilioServer> {
  const t = new FakeTwilioServer(opts);
  await t.start();
  onCleanup('fake twilio', () => t.stop());
  return t;
}

export function twilioEnv(t: FakeTwilioServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: t.accountSid,
    TWILIO_AUTH_TOKEN: t.authToken,
    TWILIO_API_BASE_URL: t.url,
    TWILIO_HTTP_TIMEOUT_MS: '3000',
    TWILIO_CPS: '100',
    CALLS_DRY_RUN: 'false',
    ...extra,
  };
}

/**
 * Per tenant: cases without exactly one call interaction, and a checksum of the call outcome
 * (interaction type/direction/status/provider, whether a SID was kept, the case status) that two
 * equal runs share whatever the SIDs and ids.
 */
export async function callState(pool: Pool, tenantId: string, caseIds: string[] | null = null): Promise<{ cases: number; interactions: number; notExactlyOne: number; md5: string }> {
  const r = await pool.query(
    `WITH per AS (
       SELECT dc.id, dc.status AS case_status, count(il.id) AS n,
              string_agg(il.type || '|' || il.direction || '|' || il.status || '|' || coalesce(il.channel_provider, '∅') || '|' || (il.provider_ref IS NULL)::text, ',' ORDER BY il.status) AS calls
       FROM debt_cases dc LEFT JOIN interaction_logs il ON il.debt_case_id = dc.id AND il.type = 'CALL'
       WHERE dc.tenant_id = $1 AND ($2::uuid[] IS NULL OR dc.id = ANY($2::uuid[])) GROUP BY dc.id, dc.status)
     SELECT count(*)::int AS cases, coalesce(sum(n), 0)::int AS interactions, count(*) FILTER (WHERE n <> 1)::int AS bad,
            md5(coalesce(string_agg(case_status || '#' || coalesce(calls, ''), E'\\n' ORDER BY case_status || '#' || coalesce(calls, '')), '')) AS md5
     FROM per`,
    [tenantId, caseIds],
  );
  const x = r.rows[0];
  return { cases: x.cases, interactions: x.interactions, notExactlyOne: x.bad, md5: x.md5 };
}
