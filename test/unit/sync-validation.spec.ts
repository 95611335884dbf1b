import { isValidDate, validatePage } from '../../src/pms-sync/record-validation';
import { buildUpsert, TABLES } from '../../src/pms-sync/canonical-writer.sql';
import { columnArrays } from '../../src/pms-sync/canonical-writer';
import { SandboxConnector } from '../../src/connectors/sandbox/sandbox.connector';
import { debtor, parseSandboxOptions, SANDBOX_STATES } from '../../src/connectors/sandbox/sandbox.portfolio';
import { toE164, nanpAreaCode } from '../../src/common/phone';
import { PmsApiError } from '../../src/connectors/connector.types';

const ctx = { currency: 'USD' };

describe('validatePage', () => {
  it('keeps good records, skips each kind of bad one with its reason', () => {
    const good = { externalId: 'c1', leaseExternalId: 'l1', amountCents: 1000, dueDate: '2026-01-31', lastExternalUpdatedAt: '2026-01-01T00:00:00Z' };
    const v = validatePage(
      'charges',
      [
        good,
        { ...good }, // duplicate id in the page
        { ...good, externalId: 'c2', amountCents: '10.5' }, // non-numeric
        { ...good, externalId: 'c3', amountCents: 10.5 }, // not integer cents
        { ...good, externalId: 'c4', dueDate: '2026-02-30' }, // impossible date
        { ...good, externalId: '' }, // missing id
        { ...good, externalId: 'c5', description: 'a\u0000b' }, // NUL byte
        { ...good, externalId: 'c6', description: 'x'.repeat(10 * 1024) }, // 10 kB
        { ...good, externalId: 'c7', leaseExternalId: null }, // no lease id
        { ...good, externalId: 'c8', currency: 'dollars' },
        null,
        { ...good, externalId: 'c9', description: 'Zoë 🏠 e\u0301' }, // odd but valid
      ],
      ctx,
    );
    expect(v.rows.map((r) => r.external_id)).toEqual(['c1', 'c9']);
    expect(v.skipped).toEqual({
      duplicate_in_page: 1,
      invalid_amount: 2,
      invalid_date: 1,
      missing_id: 1,
      invalid_text: 1,
      string_too_long: 1,
      missing_relation_id: 1,
      invalid_enum: 1,
      not_an_object: 1,
    });
    expect(v.rows[0]).toMatchObject({ amount_cents: 1000, currency: 'USD', due_date: '2026-01-31', last_external_updated_at: '2026-01-01T00:00:00.000Z' });
  });

  it('rejects lone surrogates and NUL bytes inside JSON fields too', () => {
    const v = validatePage(
      'debtors',
      [
        { externalId: 'd1', displayName: 'A', address: { line1: 'x\u0000' } },
        { externalId: 'd2', displayName: 'B\ud800' },
        { externalId: 'd3', displayName: 'C', meta: { note: 'fine 🎉' } },
      ],
      ctx,
    );
    expect(v.rows.map((r) => r.external_id)).toEqual(['d3']);
    expect(v.skipped).toEqual({ invalid_text: 2 });
  });

  it('dates: real calendar dates only', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2025-02-29')).toBe(false);
    expect(isValidDate('2025-13-01')).toBe(false);
    expect(isValidDate('2025-1-01')).toBe(false);
    expect(isValidDate('1800-01-01')).toBe(false);
  });
});

describe('canonical writer SQL', () => {
  it('binds every value: no literal from records in the statement, one array parameter per column', () => {
    for (const spec of Object.values(TABLES)) {
      const b = buildUpsert(spec!);
      expect(b.columns[0]).toBe('external_id');
      const maxParam = Math.max(...[...b.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      // $1 connection, $2 tenant, one array per column, then the run id where the table tracks seen ids
      expect(maxParam).toBe(b.columns.length + 2 + (b.trackSeen ? 1 : 0));
      expect(b.trackSeen).toBe(spec!.kind === 'debtors' || spec!.kind === 'leases');
      expect(b.sql).toMatch(/IS DISTINCT FROM/);
      // The stored version is the row's own column, or the workers' record where the API's table has none.
      expect(b.sql).toMatch(/ok\.last_external_updated_at <= [tv]\.last_external_updated_at/);
      if (/\bworker_row_versions\b/.test(b.sql)) expect(b.sql).toMatch(/ok\.last_external_updated_at <= v\.last_external_updated_at/);
    }
  });
});

describe('array literals of a page', () => {
  it('one literal per column: quoted text (quotes and backslashes escaped), numbers, booleans, NULL', () => {
    const rows = [
      { a: 'plain', b: 12, c: true, d: null },
      { a: 'say "hi" \\ bye', b: -3, c: false, d: 'NULL' },
      { a: '', b: 9007199254740991, c: true, d: '{"x":[1,2]}' },
    ];
    expect(columnArrays(rows, ['a', 'b', 'c', 'd', 'missing'])).toEqual([
      '{"plain","say \\"hi\\" \\\\ bye",""}',
      '{12,-3,9007199254740991}',
      '{t,f,t}',
      '{NULL,"NULL","{\\"x\\":[1,2]}"}',
      '{NULL,NULL,NULL}',
    ]);
  });
});

describe('debtor contacts', () => {
  it("the connector's contacts when given (bad entries dropped, the same type and value once), else phone and email", () => {
    const v = validatePage(
      'debtors',
      [
        {
          externalId: 'd1',
          displayName: 'A',
          phone: '+15550100',
          contacts: [
            { type: 'phone', value: ' +15550101 ', label: 'work', isPrimary: false },
            { type: 'phone', value: '+15550101', label: 'again' },
            { type: 'fax', value: '123' },
            { type: 'email', value: '' },
            { type: 'email', value: 'x'.repeat(513) },
            { type: 'email', value: 'a\u0000b@x.test' },
            null,
            { type: 'postal', value: '1 Main St', label: 'L'.repeat(65), isPrimary: true },
          ],
        },
        { externalId: 'd2', displayName: 'B', phone: '+15550102', email: 'b@x.test' },
        { externalId: 'd3', displayName: 'C' },
      ],
      ctx,
    );
    expect(v.rows.map((r) => JSON.parse(r.contacts as string))).toEqual([
      [
        { t: 'phone', v: '+15550101', l: 'work', p: false },
        { t: 'postal', v: '1 Main St', l: null, p: true },
      ],
      [
        { t: 'phone', v: '+15550102', l: 'phone', p: true },
        { t: 'email', v: 'b@x.test', l: 'email', p: true },
      ],
      [],
    ]);
    expect(v.skipped).toEqual({});
  });
});

describe('sandbox connector', () => {
  const conn = new SandboxConnector();
  const c = (credentials: Record<string, unknown>) => ({ connectionId: 'c', tenantId: 't', credentials, currency: 'USD' });

  it('is deterministic page by page and resumes from a checkpoint', async () => {
    const collect = async (resume?: Record<string, unknown>) => {
      const out: string[] = [];
      for await (const p of conn.pullFull(c({ seed: 7, leases: 40, pageSize: 25, asOf: '2026-06-01' }), { streams: ['charges'], resume: resume as any })) {
        out.push(...(p.records as { externalId: string }[]).map((r) => r.externalId));
      }
      return out;
    };
    const all = await collect();
    expect(await collect()).toEqual(all);
    const tail = await collect({ charges: { nextPage: 5 } });
    expect(tail).toEqual(all.slice(all.length - tail.length));
    expect(tail.length).toBe(240 - 125);
  });

  it('debtors: valid US E.164 phones whose area code matches the state, except a deliberate few', () => {
    const o = parseSandboxOptions({ seed: 7, leases: 500 });
    let mismatched = 0;
    for (let i = 0; i < 450; i++) {
      const d = debtor(o, i);
      if (!d.phone) continue;
      expect(toE164(d.phone)).toBe(d.phone);
      const st = SANDBOX_STATES.find((s) => s.state === d.address!.state)!;
      if (d.timezone) expect(d.timezone).toBe(st.zone);
      if (!st.areaCodes.includes(nanpAreaCode(d.phone)!)) mismatched++;
    }
    expect(mismatched).toBeGreaterThan(5);
    expect(mismatched).toBeLessThan(40);
  });

  it('failAt raises a PmsApiError naming the endpoint and status', async () => {
    const it = conn.pullFull(c({ seed: 1, leases: 10, failAt: { stream: 'leases', page: 0, status: 502 } }), { streams: ['leases'] });
    await expect((async () => {
      for await (const _ of it) void _;
    })()).rejects.toThrow(new PmsApiError('sandbox /v1/leases?page=0 returned HTTP 502', { software: 'sandbox', endpoint: '/v1/leases' }));
  });

  it('testConnection and fetchLeaseBalance', async () => {
    expect((await conn.testConnection(c({ seed: 2, leases: 10 }))).ok).toBe(true);
    expect((await conn.testConnection(c({ seed: 'x' }))).code).toBe('BAD_CREDENTIALS');
    const b = await conn.fetchLeaseBalance(c({ seed: 2, leases: 10, balanceOverrides: { 'lease-3': 0 } }), 'lease-3');
    expect(b).toMatchObject({ leaseExternalId: 'lease-3', balanceCents: 0 });
    expect(await conn.fetchLeaseBalance(c({ seed: 2, leases: 10 }), 'lease-99')).toBeNull();
  });
});
