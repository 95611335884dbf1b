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
