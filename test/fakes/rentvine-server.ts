import * as http from 'http';
import * as fs from 'fs';
import * as path from 'path';
import { Ctx, FakeServer } from './fake-http';

/**
 * A fake Rentvine Manager API (docs/connectors.md) on loopback.
 *
 * Account: production is https://{account}.rentvine.com/api/manager; the fake serves every
 * account under a path segment, http://127.0.0.1:PORT/{account}/api/manager/..., so tests set
 * RENTVINE_API_URL=http://127.0.0.1:PORT/{account}/api/manager and the connector substitutes the
 * connection's account; an unknown account answers 404 like an unknown subdomain.
 * - auth: HTTP Basic accessKey:secret, else 401;
 * - GET /leases/export: `page` (1-based), `pageSize` (default 25), `leaseIDs[]`,
 *   `primaryLeaseStatusIDs[]`, `dateTimeModifiedMin`/`Max` ("YYYY-MM-DD HH:MM:SS"); bare JSON
 *   array, short last page, no total; items typed as the real response (ids as strings,
 *   balances "0.00" strings when zero, tenants[] and unpaidCharges[] with numeric ids);
 * - GET /accounting/transactions/search: `transactionTypeID`, `isVoided`, `datePostedMin`/`Max`,
 *   `page`, `pageSize` (default 15);
 * - `limit` is ignored; unknown paths 404. Rentvine documents no rate limit: `rateLimit` (per
 *   second) is off unless a test sets it.
 */

export type Row = Record<string, any>;

export interface RentvineAccount {
  account: string;
  credentials: { accessKey: string; secret: string };
  exportItems: Row[];
  payments: Row[];
}

export function loadRentvineFixture(name = 'account.json'): RentvineAccount {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/rentvine', name), 'utf8')) as RentvineAccount;
}

function normTs(v: string): string {
  return v.trim().replace('T', ' ').replace(/(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, '').slice(0, 19);
}

export class FakeRentvine extends FakeServer {
  private readonly accounts = new Map<string, RentvineAccount>();

  constructor(...accounts: RentvineAccount[]) {
    super();
    for (const a of accounts) this.accounts.set(a.account, a);
  }

  get(account: string): RentvineAccount {
    return this.accounts.get(account)!;
  }

  /** The RENTVINE_API_URL tests use. */
  get apiUrl(): string {
    return `${this.baseUrl}/{account}/api/manager`;
  }

  protected errorBody(status: number): unknown {
    return status === 429 ? { message: 'Too Many Requests' } : { message: `Error ${status}` };
  }

  protected prepare(req: http.IncomingMessage, url: URL): { path: string; page: number } | { status: number; body: unknown } {
    const m = /^\/([^/]+)\/api\/manager(\/.*)$/.exec(url.pathname);
    const account = m ? this.accounts.get(m[1]) : undefined;
    if (!m || !account) return { status: 404, body: { message: 'Not Found' } };
    const auth = req.headers.authorization ?? '';
    const expected = `Basic ${Buffer.from(`${account.credentials.accessKey}:${account.credentials.secret}`).toString('base64')}`;
    if (auth !== expected) return { status: 401, body: { message: 'Unauthorized' } };
    return { path: m[2], page: Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1) };
  }

  protected route(ctx: Ctx): { status: number; body: unknown } {
    const account = this.accounts.get(/^\/([^/]+)\//.exec(new URL(ctx.req.url ?? '/', 'http://f').pathname)![1])!;
    const q = ctx.query;
    let rows: Row[];
    let defaultSize: number;
    if (ctx.path === '/leases/export') {
      defaultSize = 25;
      const ids = q.getAll('leaseIDs[]');
      const statuses = q.getAll('primaryLeaseStatusIDs[]');
      const min = q.get('dateTimeModifiedMin');
      const max = q.get('dateTimeModifiedMax');
      rows = account.exportItems
        .filter((i) => ids.length === 0 || ids.includes(String(i.lease?.leaseID)))
        .filter((i) => statuses.length === 0 || statuses.includes(String(i.lease?.primaryLeaseStatusID)))
        .filter((i) => !min || String(i.lease?.dateTimeModified ?? '') >= normTs(min))
        .filter((i) => !max || String(i.lease?.dateTimeModified ?? '') <= normTs(max))
        .sort((a, b) => Number(a.lease?.leaseID) - Number(b.lease?.leaseID));
    } else if (ctx.path === '/accounting/transactions/search') {
      defaultSize = 15;
      const type = q.get('transactionTypeID');
      const voided = q.get('isVoided');
      const from = q.get('datePostedMin');
      const to = q.get('datePostedMax');
      rows = account.payments
        .filter((p) => !type || String(p.transaction?.transactionTypeID) === type)
        .filter((p) => voided === null || (voided === 'true') === (String(p.transaction?.isVoided) === '1'))
        .filter((p) => !from || String(p.transaction?.datePosted) >= from)
        .filter((p) => !to || String(p.transaction?.datePosted) <= to);
    } else {
      return { status: 404, body: { message: 'Not Found' } };
    }
    const size = Math.min(1000, Math.max(1, Number(q.get('pageSize') ?? defaultSize) || defaultSize));
    return { status: 200, body: rows.slice((ctx.page - 1) * size, ctx.page * size) };
  }
}

/** A synthetic account of `leases` export items (1 tenant each; every 10th owes one charge). */
export function generateRentvineAccount(n: number, account = 'big'): RentvineAccount {
  const exportItems: Row[] = [];
  for (let i = 0; i < n; i++) {
    const owes = i % 10 === 0;
    exportItems.push({
      lease: { leaseID: String(1000 + i), code: `L${i}`, propertyID: String(10 + Math.floor(i / 20)), unitID: String(5000 + i), primaryLeaseStatusID: '2', leaseStatusID: '2', moveInDate: '2025-01-01', moveOutDate: null, startDate: '2025-01-01', endDate: null, closedDate: null, tenants: [{ name: `T ${i}`, email: `t${i}@example.com`, phone: '+16145550123', isActive: 1, contactID: 90000 + i }], dateTimeCreated: '2025-01-01 00:00:00', dateTimeModified: '2025-01-01 00:00:00' },
      balances: owes ? { unpaidTotalAmount: 100, unpaidRentAmount: 100, pastDueTotalAmount: 100, pastDueRentAmount: 100 } : { unpaidTotalAmount: '0.00', unpaidRentAmount: '0.00', pastDueTotalAmount: '0.00', pastDueRentAmount: '0.00' },
      unpaidCharges: owes ? [{ amount: 100, isRent: 1, amountPaid: 0, datePosted: '2025-02-01', accountName: 'Rent', description: 'Rent', transactionID: 700000 + i, isOverdue: 1 }] : [],
      property: { propertyID: String(10 + Math.floor(i / 20)), isActive: '1', name: `P${Math.floor(i / 20)}`, address: '1 Main St', city: 'Columbus', stateID: 'OH', postalCode: '43215' },
      unit: { unitID: String(5000 + i), isActive: '1', name: `U${i}`, rent: '100.00' },
      portfolio: { portfolioID: '1', name: 'Main', owners: [] },
    });
  }
  return { account, credentials: { accessKey: 'k', secret: 's' }, exportItems, payments: [] };
}
