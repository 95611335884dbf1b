import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';

/**
 * PMS connection credentials, byte-compatible with the API (docs/schema.md): AES-256-GCM, 12-byte IV,
 * 16-byte tag, stored as {v:1, iv, authTag, cipher} (base64), plaintext = JSON of the credentials.
 * Every failure is its own error class with a clear message; none ever contains the key or the
 * plaintext.
 */

export type CredentialsErrorCode =
  | 'KEY_MISSING'
  | 'KEY_INVALID'
  | 'VERSION_UNSUPPORTED'
  | 'PAYLOAD_INVALID'
  | 'AUTH_FAILED'
  | 'PLAINTEXT_INVALID';

export class CredentialsError extends Error {
  constructor(
    readonly code: CredentialsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CredentialsError';
  }
}

export interface EncryptedCredentials {
  v: 1;
  iv: string;
  authTag: string;
  cipher: string;
}

/** CREDENTIALS_ENCRYPTION_KEY: 32 bytes as base64, or 64 hex characters. */
export function parseEncryptionKey(raw: string | undefined | null): Buffer {
  if (raw === undefined || raw === null || raw.trim() === '') {
    throw new CredentialsError('KEY_MISSING', 'CREDENTIALS_ENCRYPTION_KEY is not set: the worker cannot decrypt PMS credentials (it must be the same key the API uses)');
  }
  const value = raw.trim();
  let key: Buffer;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  else throw new CredentialsError('KEY_INVALID', 'CREDENTIALS_ENCRYPTION_KEY is neither base64 nor 64 hex characters');
  if (key.length !== 32) {
    throw new CredentialsError('KEY_INVALID', `CREDENTIALS_ENCRYPTION_KEY must decode to 32 bytes (base64, or 64 hex characters); it decodes to ${key.length} bytes`);
  }
  return key;
}

export function encryptCredentials(credentials: unknown, rawKey: string): EncryptedCredentials {
  const key = parseEncryptionKey(rawKey);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  // Stryker disable next-line StringLiteral: equivalent: Node reads a string without an encoding as UTF-8, so '' encrypts the same bytes
  const cipher = Buffer.concat([c.update(JSON.stringify(credentials), 'utf8'), c.final()]);
  return { v: 1, iv: iv.toString('base64'), authTag: c.getAuthTag().toString('base64'), cipher: cipher.toString('base64') };
}

function part(payload: Record<string, unknown>, name: 'iv' | 'authTag' | 'cipher', expectedLength?: number): Buffer {
  const value = payload[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new CredentialsError('PAYLOAD_INVALID', `encrypted credentials are missing "${name}"`);
  }
  const buf = Buffer.from(value, 'base64');
  if (expectedLength !== undefined && buf.length !== expectedLength) {
    throw new CredentialsError('PAYLOAD_INVALID', `encrypted credentials "${name}" must be ${expectedLength} bytes, got ${buf.length}`);
  }
  return buf;
}

export function decryptCredentials<T = Record<string, unknown>>(stored: unknown, rawKey: string | undefined | null): T {
  const key = parseEncryptionKey(rawKey);
  let payload = stored;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      throw new CredentialsError('PAYLOAD_INVALID', 'encrypted credentials are not a JSON object');
    }
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new CredentialsError('PAYLOAD_INVALID', 'encrypted credentials are missing or not an object');
  }
  const p = payload as Record<string, unknown>;
  if (p.v !== 1) {
    throw new CredentialsError('VERSION_UNSUPPORTED', `encrypted credentials version ${JSON.stringify(p.v ?? null)} is not supported (expected 1)`);
  }
  const iv = part(p, 'iv', 12);
  const tag = part(p, 'authTag', 16);
  const cipher = part(p, 'cipher');
  let plain: string;
  try {
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(tag);
    plain = Buffer.concat([d.update(cipher), d.final()]).toString('utf8');
  } catch {
    throw new CredentialsError('AUTH_FAILED', 'credentials could not be decrypted: authentication failed (wrong CREDENTIALS_ENCRYPTION_KEY, or the data was altered)');
  }
  try {
    return JSON.parse(plain) as T;
  } catch {
    throw new CredentialsError('PLAINTEXT_INVALID', 'decrypted credentials are not valid JSON');
  }
}
