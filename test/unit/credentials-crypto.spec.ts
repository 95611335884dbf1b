import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';
import { CredentialsError, decryptCredentials, encryptCredentials, parseEncryptionKey } from '../../src/common/credentials-crypto';

const KEY_B64 = Buffer.alloc(32, 9).toString('base64');
const KEY_HEX = Buffer.alloc(32, 9).toString('hex');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as CredentialsError).code;
  }
  return 'NO_ERROR';
}

describe('credentials crypto (API-compatible AES-256-GCM)', () => {
  it('round-trips with a base64 key and a hex key of the same bytes', () => {
    const enc = encryptCredentials({ clientId: 'abc', clientSecret: 's3cr3t' }, KEY_B64);
    expect(Object.keys(enc).sort()).toEqual(['authTag', 'cipher', 'iv', 'v']);
    expect(Buffer.from(enc.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(enc.authTag, 'base64')).toHaveLength(16);
    expect(decryptCredentials(enc, KEY_HEX)).toEqual({ clientId: 'abc', clientSecret: 's3cr3t' });
    expect(decryptCredentials(JSON.stringify(enc), KEY_B64)).toEqual({ clientId: 'abc', clientSecret: 's3cr3t' });
  });

  it('gives each failure its own code and never echoes the key or plaintext', () => {
    const enc = encryptCredentials({ secret: 'PLAINTEXT-VALUE' }, KEY_B64);
    expect(codeOf(() => parseEncryptionKey(undefined))).toBe('KEY_MISSING');
    expect(codeOf(() => parseEncryptionKey(Buffer.alloc(16).toString('base64')))).toBe('KEY_INVALID');
    expect(codeOf(() => parseEncryptionKey('not a key!'))).toBe('KEY_INVALID');
    expect(codeOf(() => decryptCredentials({ ...enc, v: 2 }, KEY_B64))).toBe('VERSION_UNSUPPORTED');
    expect(codeOf(() => decryptCredentials({ v: 1, iv: enc.iv, cipher: enc.cipher }, KEY_B64))).toBe('PAYLOAD_INVALID');
    expect(codeOf(() => decryptCredentials(null, KEY_B64))).toBe('PAYLOAD_INVALID');
    expect(codeOf(() => decryptCredentials(enc, Buffer.alloc(32, 1).toString('base64')))).toBe('AUTH_FAILED');
    const tampered = { ...enc, cipher: Buffer.from('x' + Buffer.from(enc.cipher, 'base64').toString('latin1')).toString('base64') };
    expect(codeOf(() => decryptCredentials(tampered, KEY_B64))).toBe('AUTH_FAILED');
    try {
      decryptCredentials(enc, Buffer.alloc(32, 1).toString('base64'));
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('PLAINTEXT-VALUE');
      expect(String((e as Error).message)).not.toContain(KEY_B64);
    }
  });
});

/** A payload encrypted the way the API does, but with chosen IV and tag lengths and plaintext. */
function sealWith(plaintext: string, key: Buffer, ivBytes = 12): { v: 1; iv: string; authTag: string; cipher: string } {
  const iv = randomBytes(ivBytes);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const cipher = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return { v: 1, iv: iv.toString('base64'), authTag: c.getAuthTag().toString('base64'), cipher: cipher.toString('base64') };
}

describe('credentials crypto: IV and auth tag lengths', () => {
  const key = Buffer.alloc(32, 9);

  it('rejects a truncated GCM tag (12 of 16 bytes) that Node would otherwise accept', () => {
    const enc = sealWith('{"a":1}', key);
    const short = { ...enc, authTag: Buffer.from(enc.authTag, 'base64').subarray(0, 12).toString('base64') };
    // the short tag is a genuine prefix: without the length check it authenticates
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(enc.iv, 'base64'));
    d.setAuthTag(Buffer.from(short.authTag, 'base64'));
    expect(Buffer.concat([d.update(Buffer.from(enc.cipher, 'base64')), d.final()]).toString()).toBe('{"a":1}');
    expect(codeOf(() => decryptCredentials(short, KEY_B64))).toBe('PAYLOAD_INVALID');
    expect(() => decryptCredentials(short, KEY_B64)).toThrow('encrypted credentials "authTag" must be 16 bytes, got 12');
  });

  it('rejects an IV that is not 12 bytes, even one that decrypts', () => {
    const enc = sealWith('{"a":1}', key, 16);
    expect(codeOf(() => decryptCredentials(enc, KEY_B64))).toBe('PAYLOAD_INVALID');
    expect(() => decryptCredentials(enc, KEY_B64)).toThrow('encrypted credentials "iv" must be 12 bytes, got 16');
    expect(codeOf(() => decryptCredentials(sealWith('{"a":1}', key, 8), KEY_B64))).toBe('PAYLOAD_INVALID');
    expect(decryptCredentials(sealWith('{"a":1}', key, 12), KEY_B64)).toEqual({ a: 1 });
  });

  it.each([
    ['iv', 'missing', undefined],
    ['iv', 'empty', ''],
    ['iv', 'a number', 12],
    ['authTag', 'missing', undefined],
    ['authTag', 'empty', ''],
    ['cipher', 'missing', undefined],
    ['cipher', 'empty', ''],
    ['cipher', 'an array', ['x']],
  ])('"%s" %s -> PAYLOAD_INVALID naming it', (name, _what, value) => {
    const enc: Record<string, unknown> = { ...sealWith('{"a":1}', key) };
    if (value === undefined) delete enc[name];
    else enc[name] = value;
    expect(codeOf(() => decryptCredentials(enc, KEY_B64))).toBe('PAYLOAD_INVALID');
    expect(() => decryptCredentials(enc, KEY_B64)).toThrow(`encrypted credentials are missing "${name}"`);
  });
});

describe('credentials crypto: key formats', () => {
  const plain = { user: 'u', pass: 'p' };
  // Encrypted inside the tests (not while the file loads), so a broken encryptCredentials fails tests instead of the whole file.
  let enc: ReturnType<typeof encryptCredentials>;
  beforeAll(() => {
    enc = encryptCredentials(plain, KEY_B64);
  });

  it('hex keys: exactly 64 hex characters, either case', () => {
    expect(parseEncryptionKey(KEY_HEX)).toEqual(Buffer.alloc(32, 9));
    const mixed = Buffer.alloc(32, 0xab).toString('hex').toUpperCase();
    expect(parseEncryptionKey(mixed)).toEqual(Buffer.alloc(32, 0xab));
    expect(parseEncryptionKey(`  ${KEY_HEX}\n`)).toEqual(Buffer.alloc(32, 9));
  });

  it.each([
    ['70 hex characters', 'ab'.repeat(35)],
    ['66 hex characters', 'ab'.repeat(33)],
    ['64 hex characters then junk', `${'ab'.repeat(32)}zz`],
    ['junk then 64 hex characters', `zz${'ab'.repeat(32)}`],
    ['62 hex characters', 'ab'.repeat(31)],
    ['base64 key then junk', `${KEY_B64}!!`],
    ['junk then a base64 key', `!!${KEY_B64}`],
    ['base64 key with three "="', `${KEY_B64}==`],
    ['base64 key with a space inside', `${KEY_B64.slice(0, 20)} ${KEY_B64.slice(20)}`],
    ['24 bytes of base64', Buffer.alloc(24, 1).toString('base64')],
  ])('rejects %s (never cut to 32 bytes)', (_what, raw) => {
    expect(codeOf(() => parseEncryptionKey(raw))).toBe('KEY_INVALID');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['empty', ''],
    ['whitespace only', ' \t\n '],
  ])('a %s key is KEY_MISSING', (_what, raw) => {
    expect(codeOf(() => parseEncryptionKey(raw))).toBe('KEY_MISSING');
    expect(codeOf(() => decryptCredentials(enc, raw))).toBe('KEY_MISSING');
  });

  it('base64 with or without padding, and base64url, decode to the same key', () => {
    const bytes = Buffer.alloc(32, 0xfb); // base64 "+/v7...": both characters that base64url replaces
    const std = bytes.toString('base64');
    expect(std).toMatch(/\+/);
    expect(std).toMatch(/\//);
    const url = std.replace(/\+/g, '-').replace(/\//g, '_');
    expect(parseEncryptionKey(std)).toEqual(bytes);
    expect(parseEncryptionKey(url)).toEqual(bytes);
    expect(parseEncryptionKey(std.replace(/=+$/, ''))).toEqual(bytes);
    expect(decryptCredentials(encryptCredentials(plain, std), url)).toEqual(plain);
  });

  it('a key of the wrong size says how many bytes it decodes to', () => {
    expect(() => parseEncryptionKey(Buffer.alloc(16).toString('base64'))).toThrow(/decodes to 16 bytes/);
    // junk before 64 hex characters: read as base64 (66 characters = 49 bytes), not as a hex key
    expect(() => parseEncryptionKey(`zz${'ab'.repeat(32)}`)).toThrow(/decodes to 49 bytes/);
  });
});

describe('credentials crypto: payload shapes', () => {
  const key = Buffer.alloc(32, 9);
  let enc: ReturnType<typeof encryptCredentials>;
  beforeAll(() => {
    enc = encryptCredentials({ a: 1 }, KEY_B64);
  });

  it.each([
    ['a string that is not JSON', '{not json'],
    ['a JSON array string', '[1,2]'],
    ['a JSON null string', 'null'],
    ['a number', 42],
    ['undefined', undefined],
  ])('%s -> PAYLOAD_INVALID', (_what, stored) => {
    expect(codeOf(() => decryptCredentials(stored, KEY_B64))).toBe('PAYLOAD_INVALID');
  });

  it('an array holding a valid payload -> PAYLOAD_INVALID', () => {
    expect(codeOf(() => decryptCredentials([enc], KEY_B64))).toBe('PAYLOAD_INVALID');
  });

  it('a string that is not JSON says so', () => {
    expect(() => decryptCredentials('{not json', KEY_B64)).toThrow('encrypted credentials are not a JSON object');
  });

  it.each([
    ['missing', undefined],
    ['"1" as a string', '1'],
    ['2', 2],
  ])('version %s -> VERSION_UNSUPPORTED', (_what, v) => {
    expect(codeOf(() => decryptCredentials({ ...enc, v }, KEY_B64))).toBe('VERSION_UNSUPPORTED');
  });

  it('a plaintext that is not JSON -> PLAINTEXT_INVALID, without echoing it', () => {
    const sealed = sealWith('user=bob;pass=hunter2', key);
    expect(codeOf(() => decryptCredentials(sealed, KEY_B64))).toBe('PLAINTEXT_INVALID');
    expect(() => decryptCredentials(sealed, KEY_B64)).not.toThrow(/hunter2/);
  });

  it('a flipped tag bit -> AUTH_FAILED', () => {
    const tag = Buffer.from(enc.authTag, 'base64');
    tag[0] ^= 1;
    expect(codeOf(() => decryptCredentials({ ...enc, authTag: tag.toString('base64') }, KEY_B64))).toBe('AUTH_FAILED');
  });

  it('errors are CredentialsError with their code and name', () => {
    try {
      decryptCredentials('{oops', KEY_B64);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(CredentialsError);
      expect(e).toMatchObject({ name: 'CredentialsError', code: 'PAYLOAD_INVALID' });
    }
  });

  it('each encryption uses a fresh IV', () => {
    const a = encryptCredentials({ a: 1 }, KEY_B64);
    const b = encryptCredentials({ a: 1 }, KEY_B64);
    expect(a.iv).not.toBe(b.iv);
    expect(a.v).toBe(1);
  });
});
