import * as http from 'http';
import * as fs from 'fs';
import * as path from 'path';
import { Ctx, FakeServer } from './fake-http';

/**
 * A fake Buildium Open API (docs/connectors.md) on loopback:
 * - auth: `x-buildium-client-id` / `x-buildium-client-secret` on every call, else 401 with an
 *   ApiErrorResponse body `{UserMessage, ErrorCode, Errors[]}`;
 * - paths under /v1 (case-sensitive; anything else 404); `limit` (default 50, max 1000, larger is
 *   overridden) / `offset` (wrong case -> 404); `orderby=Prop asc|desc`; `X-Total-Count`; bare
 *   JSON arrays; array filters in explode form (`k=1&k=2`); query string over 4,096 chars -> 500;
 * - its own rate limit: more than 10 requests in any second -> 429 (recorded as rateExceeded);
 * - the endpoints the connector calls: /v1/leases/tenants, /v1/leases, /v1/rentals,
 *   /v1/rentals/units, /v1/leases/outstandingbalances, /v1/leases/{id}/transactions, with the
 *   filters lastupdatedfrom (UTC `YYYY-MM-DDTHH:MM:SSZ`), leasestatuses, leasetermstatuses,
 *   leaseids, propertyids, transactiontypes.
 * Records whose keys start with `_` keep hidden state (e.g. `_updatedAt` of tenants, rentals and
 * units, which Buildium filters on but does not return).
 */

export type Row = Record<string, unknown>;

export interface BuildiumAccount {
  credentials: { clientId: string; clientSecret: string };
  tenants: Row[];
  leases: Row[];
  rentals: Row[];
  units: Row[];
  outstandingBalances: Row[];
  /** Ledger per lease id; or a generator for big accounts. */
  transactions: Record<string, Row[]>;
  transactionsFor?: (leaseId: number) => Row[];
}

export function loadBuildiumFixture(name = 'account.json'): BuildiumAccount {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/buildium', name), 'utf8')) as BuildiumAccount;
}

const LUF = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export class FakeBuildium extends FakeServer {
  /** Requests allowed per second before 429 (Buildium: 10); 0 disables. */
  override rateLimit = 10;

  constructor(public account: BuildiumAccount) {
    super();
  }

  protected errorBody(status: number): unknown {
    if (status === 429) return { UserMessage: 'Too many requests', ErrorCode: 'TooManyRequests', Errors: [] };
    if (status >= 500) return { UserMessage: 'An unexpected error occurred', ErrorCode: 'InternalServerError', Errors: [] };
    return { UserMessage: `HTTP ${status}`, ErrorCode: String(status), Errors: [] };
  }

  protected prepare(req: http.IncomingMessage, url: URL): { path: string; page: number } | { status: number; body: unknown } {
    const rawQuery = (req.url ?? '').split('?')[1] ?? '';
    if (rawQuery.length > 4096) return { status: 500, body: this.errorBody(500) };
    const id = req.headers['x-buildium-client-id'];
    const secret = req.headers['x-buildium-client-secret'];
    if (id !== this.account.credentials.clientId || secret !== this.account.credentials.clientSecret) {
      return { status: 401, body: { UserMessage: 'The client id or secret is invalid.', ErrorCode: 'Unauthorized', Errors: [] } };
    }
    for (const k of url.searchParams.keys()) {
      if (k !== 'limit' && k !== 'offset' && (k.toLowerCase() === 'limit' || k.toLowerCase() === 'offset')) return { status: 404, body: this.errorBody(404) };
    }
    const { offset } = this.paging(url.searchParams);
    return { path: url.pathname, page: this.pageOrdinal(url.pathname, offset) };
  }

  /** Page n = the n-th distinct offset requested on a path since its last offset 0 (retries keep their page). */
  private readonly offsetsByPath = new Map<string, number[]>();
  private pageOrdinal(path: string, offset: number): number {
    let list = this.offsetsByPath.get(path);
    if (!list || offset === 0) {
      list = [0];
      this.offsetsByPath.set(path, list);
    }
    let i = list.indexOf(offset);
    if (i < 0) i = list.push(offset) - 1;
    return i + 1;
  }

  private paging(q: URLSearchParams): { limit: number; offset: number } {
    const limit = Math.min(1000, Math.max(1, Number(q.get('limit') ?? 50) || 50));
    const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
    return { limit, offset };
  }

  protected route(ctx: Ctx): { status: number; body: unknown; headers?: Record<string, string> } {
    const q = ctx.query;
    if (ctx.req.method !== 'GET') return { status: 405, body: this.errorBody(405) };
    const luf = q.get('lastupdatedfrom');
    if (luf !== null && !LUF.test(luf)) {
      return { status: 400, body: { UserMessage: 'Invalid lastupdatedfrom', ErrorCode: 'BadRequest', Errors: [{ Key: 'lastupdatedfrom', Value: 'must be UTC YYYY-MM-DDTHH:MM:SSZ' }] } };
    }
    const updatedSince = (r: Row, field: string) => luf === null || String(r[field] ?? '') >= luf;
    const m = /^\/v1\/leases\/(\d+)\/transactions$/.exec(ctx.path);
    let rows: Row[] | null = null;
    if (ctx.path === '/v1/leases/tenants') {
      // leasetermstatuses: tenants on a lease of one of these statuses (all tenants when absent)
      const statuses = q.getAll('leasetermstatuses');
      const onLease = new Set<string>();
      for (const l of this.account.leases) {
        if (statuses.length && !statuses.includes(String(l.LeaseStatus))) continue;
        for (const t of (l.Tenants as Row[] | undefined) ?? []) onLease.add(String(t.Id));
      }
      rows = this.account.tenants.filter((t) => updatedSince(t, '_updatedAt') && (statuses.length === 0 || onLease.has(String(t.Id))));
    }
    else if (ctx.path === '/v1/leases') {
      const statuses = q.getAll('leasestatuses');
      rows = this.account.leases.filter((l) => updatedSince(l, 'LastUpdatedDateTime') && (statuses.length === 0 || statuses.includes(String(l.LeaseStatus))));
    } else if (ctx.path === '/v1/rentals') rows = this.account.rentals.filter((r) => updatedSince(r, '_updatedAt'));
    else if (ctx.path === '/v1/rentals/units') {
      const props = q.getAll('propertyids');
      rows = this.account.units.filter((u) => updatedSince(u, '_updatedAt') && (props.length === 0 || props.includes(String(u.PropertyId))));
    } else if (ctx.path === '/v1/leases/outstandingbalances') {
      const ids = q.getAll('leaseids');
      rows = this.account.outstandingBalances.filter((o) => ids.length === 0 || ids.includes(String(o.LeaseId)));
    } else if (m) {
      const leaseId = Number(m[1]);
      const lease = this.account.leases.find((l) => Number(l.Id) === leaseId);
      if (!lease && !this.account.transactionsFor) return { status: 404, body: { UserMessage: 'Lease not found', ErrorCode: 'NotFound', Errors: [] } };
      const all = this.account.transactionsFor ? this.account.transactionsFor(leaseId) : (this.account.transactions[String(leaseId)] ?? []);
      const types = q.getAll('transactiontypes');
      rows = all.filter((t) => types.length === 0 || types.includes(String(t.TransactionTypeEnum)));
    }
    if (!rows) return { status: 404, body: this.errorBody(404) };

    const orderby = q.get('orderby');
    if (orderby) {
      const [prop, dir = 'asc'] = orderby.trim().split(/\s+/);
      if (rows.length && !(prop in rows[0])) return { status: 400, body: { UserMessage: `Invalid orderby ${prop}`, ErrorCode: 'BadRequest', Errors: [] } };
      const sign = dir.toLowerCase() === 'desc' ? -1 : 1;
      rows = [...rows].sort((a, b) => sign * (Number(a[prop]) - Number(b[prop]) || String(a[prop]).localeCompare(String(b[prop]))));
    }
    const { limit, offset } = this.paging(q);
    const page = rows.slice(offset, offset + limit).map(strip);
    return { status: 200, body: page, headers: { 'x-total-count': String(rows.length) } };
  }
}

function strip(r: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) if (!k.startsWith('_')) out[k] = v;
  return out;
}

/**
 * A big synthetic account: `leases` leases (one tenant, one unit each, 50 per property) of which
 * the first `delinquent` (by a fixed stride) owe money; every lease has a 3-entry ledger made on
 * demand.
 */
export function generateBuildiumAccount(opts: { leases: number; delinquent: number }): BuildiumAccount {
  const tenants: Row[] = [];
  const leases: Row[] = [];
  const units: Row[] = [];
  const rentals: Row[] = [];
  const outstandingBalances: Row[] = [];
  const stride = Math.max(1, Math.floor(opts.leases / Math.max(1, opts.delinquent)));
  for (let i = 0; i < opts.leases; i++) {
    const leaseId = 100000 + i;
    const tenantId = 500000 + i;
    const unitId = 200000 + i;
    const propId = 300000 + Math.floor(i / 50);
    if (i % 50 === 0) rentals.push({ Id: propId, Name: `Property ${propId}`, Address: { AddressLine1: `${i} Main St`, City: 'Boston', State: 'MA', PostalCode: '02110', Country: 'UnitedStates' }, _updatedAt: '2025-01-01T00:00:00Z' });
    units.push({ Id: unitId, PropertyId: propId, UnitNumber: String(i % 50), _updatedAt: '2025-01-01T00:00:00Z' });
    tenants.push({ Id: tenantId, FirstName: 'T', LastName: String(i), Email: `t${i}@example.com`, PhoneNumbers: [{ Number: `(617) 555-${String(i % 10000).padStart(4, '0')}`, Type: 'Cell' }], _updatedAt: '2025-01-01T00:00:00Z' });
    leases.push({
      Id: leaseId,
      PropertyId: propId,
      UnitId: unitId,
      UnitNumber: String(i % 50),
      LeaseFromDate: '2025-01-01',
      LeaseToDate: '2025-12-31',
      LeaseStatus: i % 7 === 0 ? 'Past' : 'Active',
      CurrentTenants: [],
      Tenants: [{ Id: tenantId, Status: 'Current', MoveInDate: '2025-01-01' }],
      MoveOutData: [],
      LastUpdatedDateTime: '2025-01-01T00:00:00Z',
    });
    if (i % stride === 0 && outstandingBalances.length < opts.delinquent) {
      outstandingBalances.push({ LeaseId: leaseId, PropertyId: propId, UnitId: unitId, Balance0To30Days: 100, Balance31To60Days: 0, Balance61To90Days: 0, BalanceOver90Days: 0, TotalBalance: 100 });
    }
  }
  return {
    credentials: { clientId: 'big-id', clientSecret: 'big-secret' },
    tenants,
    leases,
    rentals,
    units,
    outstandingBalances,
    transactions: {},
    transactionsFor: (leaseId) => [
      { Id: leaseId * 10 + 1, Date: '2025-02-01', TransactionTypeEnum: 'Charge', TransactionType: 'Charge', TotalAmount: 1000, LeaseId: leaseId, Journal: { Memo: 'Rent', Lines: [] } },
      { Id: leaseId * 10 + 2, Date: '2025-02-03', TransactionTypeEnum: 'Payment', TransactionType: 'Payment', TotalAmount: 900, LeaseId: leaseId, PaymentMethod: 'Check', Journal: { Memo: 'Pay', Lines: [] } },
      { Id: leaseId * 10 + 3, Date: '2025-03-01', TransactionTypeEnum: 'Charge', TransactionType: 'Charge', TotalAmount: 1000, LeaseId: leaseId, Journal: { Memo: 'Rent', Lines: [] } },
    ],
  };
}
