import { createHmac } from 'crypto';
import { signedVoiceUrl, verifyVoiceUrl, voiceSignature } from '../../src/calls/voice-context';

const ctx = { interactionId: '3f2c1d9e-0a4b-4c5d-8e6f-7a8b9c0d1e2f', tenantId: 'a1b2c3d4-0000-4000-8000-000000000001', caseId: 'c0ffee00-0000-4000-8000-000000000002' };
const opts = { secret: 's3cr3t', version: '1', ttlSeconds: 600 };
const now = new Date('2026-11-28T12:00:00Z');

describe('signed voice context (docs/queue-contract.md)', () => {
  it('signs "<il>|<tenant>|<case>|<exp>|<v>" with HMAC-SHA256, base64url', () => {
    const exp = 1795867200;
    const expected = createHmac('sha256', 's3cr3t').update(`${ctx.interactionId}|${ctx.tenantId}|${ctx.caseId}|${exp}|1`).digest('base64url');
    expect(voiceSignature('s3cr3t', ctx, exp, '1')).toBe(expected);
    expect(expected).not.toMatch(/[+/=]/);
  });

  it('builds the URL with il, exp = now + ttl, v and sig, keeping the base URL query', () => {
    const url = new URL(signedVoiceUrl('https://api.example.test/voice?x=1', ctx, opts, now));
    expect(url.origin + url.pathname).toBe('https://api.example.test/voice');
    expect(url.searchParams.get('x')).toBe('1');
    expect(url.searchParams.get('il')).toBe(ctx.interactionId);
    expect(url.searchParams.get('exp')).toBe(String(now.getTime() / 1000 + 600));
    expect(url.searchParams.get('v')).toBe('1');
    expect(url.searchParams.get('sig')).toBe(voiceSignature('s3cr3t', ctx, now.getTime() / 1000 + 600, '1'));
  });

  it('verifies as the API does; rejects other cases, secrets, expired URLs and tampering; accepts hex', () => {
    const url = signedVoiceUrl('https://api.example.test/voice', ctx, opts, now);
    const expect_ = { tenantId: ctx.tenantId, caseId: ctx.caseId };
    expect(verifyVoiceUrl(url, expect_, 's3cr3t', now)).toEqual({ ok: true, interactionId: ctx.interactionId });
    expect(verifyVoiceUrl(url, { ...expect_, caseId: ctx.tenantId }, 's3cr3t', now).ok).toBe(false);
    expect(verifyVoiceUrl(url, expect_, 'other', now).ok).toBe(false);
    expect(verifyVoiceUrl(url, expect_, 's3cr3t', new Date(now.getTime() + 601_000))).toEqual({ ok: false, reason: 'expired' });
    const tampered = new URL(url);
    tampered.searchParams.set('exp', String(Number(tampered.searchParams.get('exp')) + 1));
    expect(verifyVoiceUrl(tampered.toString(), expect_, 's3cr3t', now).ok).toBe(false);
    const hex = new URL(url);
    hex.searchParams.set('sig', Buffer.from(hex.searchParams.get('sig')!, 'base64url').toString('hex'));
    expect(verifyVoiceUrl(hex.toString(), expect_, 's3cr3t', now).ok).toBe(true);
  });
});
