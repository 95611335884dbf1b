import { createHmac, timingSafeEqual } from 'crypto';

/**
 * The signed voice context (docs/queue-contract.md), compatible with the API:
 *   url = TWILIO_VOICE_URL ? il=<interactionId> & exp=<unix s> & v=<version> & sig=<signature>
 *   signature = base64url(HMAC-SHA256(secret, "<interactionId>|<tenantId>|<caseId>|<exp>|<version>"))
 */
export interface VoiceContext {
  interactionId: string;
  tenantId: string;
  caseId: string;
}

export interface SigningOptions {
  secret: string;
  version: string;
  ttlSeconds: number;
}

export function voiceSignature(secret: string, ctx: VoiceContext, exp: number, version: string): string {
  const message = `${ctx.interactionId}|${ctx.tenantId}|${ctx.caseId}|${exp}|${version}`;
  return createHmac('sha256', secret).update(message, 'utf8').digest('base64url');
}

export function signedVoiceUrl(baseUrl: string, ctx: VoiceContext, opts: SigningOptions, now: Date = new Date()): string {
  const exp = Math.floor(now.getTime() / 1000) + opts.ttlSeconds;
  const url = new URL(baseUrl);
  url.searchParams.set('il', ctx.interactionId);
  url.searchParams.set('exp', String(exp));
  url.searchParams.set('v', opts.version);
  url.searchParams.set('sig', voiceSignature(opts.secret, ctx, exp, opts.version));
  return url.toString();
}

/**
 * The API's check, for tests and tooling: the signature matches (base64url, or hex as the API also
 * accepts) and the URL has not expired. tenantId and caseId come from the interaction row.
 */
export function verifyVoiceUrl(
  url: string,
  expected: { tenantId: string; caseId: string },
  secret: string,
  now: Date = new Date(),
): { ok: true; interactionId: string } | { ok: false; reason: string } {
  const u = new URL(url);
  const il = u.searchParams.get('il');
  const exp = u.searchParams.get('exp');
  const v = u.searchParams.get('v');
  const sig = u.searchParams.get('sig');
  if (!il || !exp || !v || !sig) return { ok: false, reason: 'missing parameter' };
  if (!/^\d+$/.test(exp)) return { ok: false, reason: 'bad exp' };
  if (Number(exp) < Math.floor(now.getTime() / 1000)) return { ok: false, reason: 'expired' };
  const want = Buffer.from(voiceSignature(secret, { interactionId: il, ...expected }, Number(exp), v), 'base64url');
  const got = /^[0-9a-f]{64}$/i.test(sig) ? Buffer.from(sig, 'hex') : Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: 'bad signature' };
  return { ok: true, interactionId: il };
}
