import pino from 'pino';
import { maskPhoneForLog, REDACTED, redactDeep, redactString } from '../../src/logging/redact';
import { pinoOptions } from '../../src/logging/logging.module';
import { QueryFailedError } from 'typeorm';
import { PermanentJobError } from '../../src/common/errors';
import { maskPhoneForRecord } from '../../src/common/phone';

describe('redaction: secrets by key', () => {
  it.each([
    'password',
    'DB_PASSWORD',
    'secret',
    'clientSecret',
    'client_secret',
    'accessKey',
    'access_key',
    'token',
    'authToken',
    'auth_token',
    'TWILIO_AUTH_TOKEN',
    'apiKey',
    'authorization',
    'Authorization',
    'credentials',
    'cipher',
    'authTag',
    'CREDENTIALS_ENCRYPTION_KEY',
    'CALL_CONTEXT_HMAC_SECRET',
    'privateKey',
    'cookie',
    'signature',
    'sig',
  ])('redacts the value under "%s"', (key) => {
    expect(redactDeep({ [key]: 'value-that-must-not-leak' })).toEqual({ [key]: REDACTED });
  });

  it('redacts whole credential objects, at any depth', () => {
    const out = redactDeep({
      connection: { id: 'c1', credentials: { clientId: 'id-1', clientSecret: 'cs-1' } },
      list: [{ headers: { authorization: 'Basic abc' } }],
      encrypted: { v: 1, iv: 'aXY=', authTag: 'dGFn', cipher: 'Y2lwaGVy' },
    }) as any;
    expect(out.connection).toEqual({ id: 'c1', credentials: REDACTED });
    expect(out.list[0].headers.authorization).toBe(REDACTED);
    expect(out.encrypted.cipher).toBe(REDACTED);
    expect(out.encrypted.authTag).toBe(REDACTED);
    expect(JSON.stringify(out)).not.toMatch(/cs-1|Basic abc|Y2lwaGVy|dGFn/);
  });

  it('keeps booleans and nulls under secret-looking keys (flags such as hasToken are not secrets)', () => {
    expect(redactDeep({ token: null, hasSecret: true, password: undefined })).toEqual({ token: null, hasSecret: true, password: undefined });
  });
});

describe('redaction: phone numbers', () => {
  it('masks numbers under phone-like keys, keeping the last two digits', () => {
    expect(redactDeep({ phone: '+15555550123', to: '+15555550199', from: '(555) 555-0100', mobile: 5555550142 })).toEqual({
      phone: '***23',
      to: '***99',
      from: '***00',
      mobile: '***42',
    });
  });

  it('masks E.164 and formatted NANP numbers inside any string', () => {
    const s = redactString('dialing +15555550123 for case 7; callback (555) 555-0188 or 555.555.0177 or 555-555-0166');
    expect(s).toBe('dialing ***23 for case 7; callback ***88 or ***77 or ***66');
    expect(redactDeep({ msg: 'To +447700900123 failed' })).toEqual({ msg: 'To ***23 failed' });
  });

  it('masks phone numbers in error messages and stacks', () => {
    const out = redactDeep({ err: new Error('Twilio 21211: invalid To +15555550123') }) as any;
    expect(out.err.message).toBe('Twilio 21211: invalid To ***23');
    expect(out.err.stack).not.toContain('+15555550123');
  });

  it('maskPhoneForLog never returns more than two digits', () => {
    expect(maskPhoneForLog('+1 (555) 555-0123')).toBe('***23');
    expect(maskPhoneForLog('+15555550123')).toBe('***23');
    expect(maskPhoneForLog('0123')).toBe('***23');
    expect(maskPhoneForLog('123')).toBe('***');
    expect(maskPhoneForLog('12')).toBe('***');
  });

  it('keeps a number it already masked (the logger masks phone-like keys again)', () => {
    expect(maskPhoneForLog(maskPhoneForLog('+15555550123'))).toBe('***23');
    expect(maskPhoneForLog('***')).toBe('***');
    expect(redactDeep({ to: maskPhoneForLog('+15555550123') })).toEqual({ to: '***23' });
  });

  it("logs a number masked for a record with the logs' own mask", () => {
    expect(redactDeep({ to: maskPhoneForRecord('+13125550100') })).toEqual({ to: '***00' });
  });
});

describe('redaction: nothing else is mangled', () => {
  const untouched = {
    id: '3f2b8c1e-9a7d-4e5f-8b6a-1c2d3e4f5a6b',
    tenantId: '00000000-0000-4000-8000-000000000001',
    jobId: 'CALL_CASE-on-demand-3f2b8c1e-9a7d-4e5f-8b6a-1c2d3e4f5a6b-1764300000000',
    at: '2026-11-28T11:12:25.123Z',
    date: '2026-11-28',
    amountCents: 123456789,
    amount: '1234567.89',
    bigAmount: '12345678901',
    callSid: 'CA0123456789abcdef0123456789abcdef',
    externalId: '1234567890',
    durationMs: 1234567,
    key: 'twilio/calls/CA0123456789abcdef0123456789abcdef/summary-2026-11-28T11-12-25-123Z.json',
    msg: 'synced 1234 leases and 5678901 charges in 2026-11-28T11:12:25.123Z run',
    nested: [{ leaseCount: 5555550123, ok: true, nothing: null }],
  };

  it('leaves UUIDs, ISO timestamps, dates, amounts, ids, SIDs and counts alone', () => {
    expect(redactDeep(untouched)).toEqual(untouched);
  });

  it('leaves short strings and Dates alone', () => {
    const d = new Date('2026-11-28T00:00:00Z');
    expect(redactDeep({ d, s: 'ok' })).toEqual({ d, s: 'ok' });
  });

  it('copes with cycles and deep objects', () => {
    const a: any = { name: 'a' };
    a.self = a;
    expect(redactDeep(a)).toEqual({ name: 'a', self: '[Circular]' });
    let deep: any = { v: 1 };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redactDeep(deep))).toContain('[Depth]');
  });
});

describe('redaction: secrets inside strings', () => {
  it('hides the password of connection URLs', () => {
    expect(redactString('connecting to rediss://default:AbC123xyz@eu1-fine-cat.upstash.io:6379')).toBe(
      'connecting to rediss://default:[REDACTED]@eu1-fine-cat.upstash.io:6379',
    );
    expect(redactString('postgres://app:s3cr3t@db.internal:5432/mordecai')).toBe('postgres://app:[REDACTED]@db.internal:5432/mordecai');
  });

  it('hides signatures and tokens in query strings, keeps the other parameters', () => {
    const url = 'https://api.example.com/twilio/voice?il=3f2b8c1e-9a7d-4e5f-8b6a-1c2d3e4f5a6b&exp=1764300000&v=1&sig=q1w2e3r4t5y6u7i8o9p0';
    expect(redactString(url)).toBe('https://api.example.com/twilio/voice?il=3f2b8c1e-9a7d-4e5f-8b6a-1c2d3e4f5a6b&exp=1764300000&v=1&sig=[REDACTED]');
  });

  it('leaves URLs without credentials alone', () => {
    const s = 'GET https://api.buildium.com/v1/leases?limit=1000&offset=2000 took 1234 ms';
    expect(redactString(s)).toBe(s);
  });
});

describe('the pino logger of the apps', () => {

  function capture(): { lines: () => Record<string, any>[]; raw: () => string; logger: pino.Logger } {
    const chunks: string[] = [];
    const stream = { write: (s: string) => chunks.push(s) };
    const logger = pino(pinoOptions('info', 'worker'), stream as any);
    return { lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l)), raw: () => chunks.join(''), logger };
  }

  it('writes job lines with queue, jobName, jobId and attempt, and masks phone numbers even in bindings', () => {
    const c = capture();
    const jobLog = c.logger.child({ queue: 'case-actions', jobName: 'CALL +15555550123', jobId: 'CALL_CASE-on-demand-x-1', attempt: 2 });
    jobLog.info({ to: '+15555550199', credentials: { accessKey: 'AK', secret: 'S' } }, 'dialing +15555550188');
    const [line] = c.lines();
    expect(line).toMatchObject({ level: 'info', app: 'worker', queue: 'case-actions', jobName: 'CALL ***23', jobId: 'CALL_CASE-on-demand-x-1', attempt: 2, to: '***99', credentials: '[REDACTED]', msg: 'dialing ***88' });
    expect(c.raw()).not.toMatch(/5555550(123|199|188)|"AK"|"S"/);
  });

  it('keeps the error type and redacts its message, stack and details', () => {
    const c = capture();
    c.logger.error({ err: new PermanentJobError('invalid To +15555550123', { authToken: 'tok', to: '+15555550123' }) }, 'job failed');
    const [line] = c.lines();
    expect(line.err.type).toBe('PermanentJobError');
    expect(line.err.message).toBe('invalid To ***23');
    expect(line.err.details).toEqual({ authToken: '[REDACTED]', to: '***23' });
    expect(c.raw()).not.toContain('5555550123');
    expect(c.raw()).not.toContain('tok"');
  });

  it("logs a failed query's SQL and error code but not its bound values", () => {
    const c = capture();
    const err = new QueryFailedError('INSERT INTO pms_debtors SELECT * FROM unnest($1::text[])', ['{"Jane Roe","jane@example.com"}', 7], Object.assign(new Error('duplicate key'), { code: '23505' }));
    c.logger.error({ err }, 'job failed');
    const [line] = c.lines();
    expect(line.err).toMatchObject({ type: 'QueryFailedError', message: 'duplicate key', code: '23505', query: 'INSERT INTO pms_debtors SELECT * FROM unnest($1::text[])', parameters: '[2 bound values]' });
    expect(c.raw()).not.toContain('Jane');
  });

  it('leaves ids, timestamps and amounts as they are', () => {
    const c = capture();
    const fields = { tenantId: '5b0d6c0e-2f6a-4f1e-9a51-6a2a0c9d8e71', at: '2026-11-28T11:12:25.123Z', amountCents: 123456789, jobId: '1764300000000' };
    c.logger.info(fields, 'synced');
    expect(c.lines()[0]).toMatchObject(fields);
  });
});
