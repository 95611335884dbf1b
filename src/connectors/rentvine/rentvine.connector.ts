import { CanonicalBatch, STREAM_ORDER, StreamKind } from '../canonical';
import { ConnectionContext, LeaseBalanceRead, PmsApiError, PmsAuthError, PmsConnector, PulledPage, PullOptions, TestConnectionResult } from '../connector.types';
import { describeFailure } from '../buildium/buildium.connector';
import { PmsHttpClient, QueryValue } from '../http/http-client';
import { maxIso, toCents, toId, toUtcIso, utcDate } from '../http/normalize';
import { sinceMinus } from '../http/paging';
import { limiterFor } from '../http/rate-limiter';
import { RetryPolicy } from '../http/retry';
import { UnitLeaseIndex, mapBalance, mapCharges, mapDebtors, mapLease, mapPayment, mapPortfolio, mapProperty, mapUnit } from './rentvine.mapper';
import { RentvineItem, pageSchema } from './rentvine.schemas';

/** Production base URL; `{account}` is the customer's subdomain. */
export const RENTVINE_DEFAULT_URL = 'https://{account}.rentvine.com/api/manager';

export interface RentvineConnectorOptions {
  /**
   * RENTVINE_API_URL. May contain `{account}` (replaced by the connection's account, e.g.
   * `http://127.0.0.1:4010/{account}/api/manager` for the fake); without it the URL is used as is
   * for every account.
   */
  baseUrl?: string;
  /** pageSize (default 100). */
  pageSize?: number;
  /** Export pages kept in memory so the export streams share one pass (default 10,000 items). */
  exportCacheItems?: number;
  /** Rentvine publishes no limit; we still cap each connection (default 10 requests/s). */
  ratePerSecond?: number;
  /**
   * Modified-since cursors are re-read from this much earlier (default 14 h: Rentvine timestamps
   * carry no zone, and whether they are UTC or account-local is unverified).
   */
  overlapMs?: number;
  /** Payments are filtered by posting date; re-read this many days before the cursor (default 7). */
  paymentLookbackDays?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  now?: () => Date;
}

/** The account subdomain from a subdomain, a host or a full URL. */
export function rentvineAccount(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  let s = raw.trim().toLowerCase();
  if (!s) return null;
  if (/^https?:\/\//.test(s)) {
    try {
      s = new URL(s).hostname;
    } catch {
      return null;
    }
  }
  s = s.replace(/\/.*$/, '').replace(/\.rentvine\.com\.?$/, '');
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(s) ? s : null;
}

const EXPORT = '/leases/export';
const PAYMENTS = '/accounting/transactions/search';
type ExportKind = Exclude<StreamKind, 'payments'>;

interface PullState {
  mode: 'full' | 'incremental';
  asOfDate: string;
  /** Complete export passes from page 1 kept in memory, per filter set (absent when too big). */
  cache: Map<string, { page: number; items: RentvineItem[] }[]>;
  units: UnitLeaseIndex;
  unitsComplete: boolean;
}

/**
 * Rentvine Manager API connector (docs/connectors.md). Everything but payments comes from
 * /leases/export (the one endpoint whose real response shape is known): debtors, portfolios,
 * properties, units, leases, open charges and balances, one stream after the other, sharing a
 * single pass over the export when it fits in memory. Incremental pulls filter the export with
 * dateTimeModifiedMin (bumped by lease edits and by charges, credits and payments).
 */
export class RentvineConnector implements PmsConnector {
  readonly key = 'rentvine';
  readonly supportsIncremental = true;
  private readonly pageSize: number;

  constructor(private readonly options: RentvineConnectorOptions = {}) {
    this.pageSize = Math.max(1, options.pageSize ?? 100);
  }

  private http(ctx: ConnectionContext, retry?: Partial<RetryPolicy>): { http: PmsHttpClient; account: string } {
    const c = ctx.credentials ?? {};
    const account = rentvineAccount(c.account);
    const accessKey = typeof c.accessKey === 'string' ? c.accessKey.trim() : '';
    const secret = typeof c.secret === 'string' ? c.secret.trim() : '';
    if (!account) {
      throw new PmsAuthError(`Rentvine account "${String(c.account ?? '')}" is not a valid account (give the subdomain, e.g. "acme" for acme.rentvine.com)`, {
        software: this.key,
        endpoint: '(credentials)',
        code: 'UNKNOWN_ACCOUNT',
      });
    }
    if (!accessKey || !secret) {
      throw new PmsAuthError('Rentvine credentials need an accessKey and a secret', { software: this.key, endpoint: '(credentials)', code: 'BAD_CREDENTIALS' });
    }
    const template = this.options.baseUrl ?? RENTVINE_DEFAULT_URL;
    const http = new PmsHttpClient({
      software: 'Rentvine',
      softwareKey: this.key,
      baseUrl: template.replace(/\{account\}|%7Baccount%7D/gi, account),
      headers: { authorization: `Basic ${Buffer.from(`${accessKey}:${secret}`).toString('base64')}` },
      limiter: limiterFor(`rentvine:${ctx.connectionId}`, { max: this.options.ratePerSecond ?? 10, windowMs: 1000 }),
      timeoutMs: this.options.timeoutMs,
      retry: { ...(this.options.retry ?? {}), ...(retry ?? {}) },
      arrayFormat: 'brackets',
      signal: ctx.signal,
    });
    return { http, account };
  }

  async testConnection(ctx: ConnectionContext): Promise<TestConnectionResult> {
    let account = '';
    try {
      const h = this.http(ctx, { retries: 2 });
      account = h.account;
      await h.http.getJson({ path: EXPORT, query: { page: 1, pageSize: 1 } });
      return { ok: true, code: 'OK', message: `Connected to Rentvine account ${account}`, externalAccountId: account };
    } catch (err) {
      if (err instanceof PmsAuthError && err.details.code === 'UNKNOWN_ACCOUNT') return { ok: false, code: 'UNKNOWN_ACCOUNT', message: err.message };
      if (err instanceof PmsApiError && (err.details.status === 404 || err.details.code === 'UNKNOWN_HOST')) {
        return { ok: false, code: 'UNKNOWN_ACCOUNT', message: `Rentvine account "${account}" was not found: check the account subdomain (${account}.rentvine.com)` };
      }
      return describeFailure(err, 'Rentvine');
    }
  }

  pullFull(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage> {
    return this.pull(ctx, opts, 'full');
  }

  pullIncremental(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage> {
    return this.pull(ctx, opts, 'incremental');
  }

  async fetchLeaseBalance(ctx: ConnectionContext, leaseExternalId: string): Promise<LeaseBalanceRead | null> {
    const { http } = this.http(ctx);
    const spec = { path: EXPORT, page: 1, query: { 'leaseIDs': [leaseExternalId], page: 1, pageSize: 1 } as Record<string, QueryValue> };
    const res = await http.getJson(spec);
    const items = http.validate(pageSchema, res.body, spec);
    const item = items.find((i) => toId((i.lease as RentvineItem | undefined)?.leaseID) === leaseExternalId);
    if (!item) return null;
    const b = (item.balances ?? {}) as RentvineItem;
    return {
      leaseExternalId,
      balanceCents: toCents(b.unpaidTotalAmount) ?? 0,
      pastDueCents: toCents(b.pastDueTotalAmount),
      asOf: (this.options.now?.() ?? new Date()).toISOString(),
    };
  }

  private async *pull(ctx: ConnectionContext, opts: PullOptions, mode: 'full' | 'incremental'): AsyncGenerator<PulledPage> {
    const { http, account } = this.http(ctx);
    try {
      yield* this.pullPages(http, opts, mode);
    } catch (err) {
      // an unknown account answers 404 on every path: say so instead of "HTTP 404"
      if (err instanceof PmsApiError && !(err instanceof PmsAuthError) && err.details.status === 404 && err.details.endpoint === EXPORT) {
        throw new PmsApiError(`Rentvine account "${account}" was not found (HTTP 404 on GET ${err.details.endpoint}): check the account subdomain`, {
          ...err.details,
          code: 'UNKNOWN_ACCOUNT',
          retryable: false,
        });
      }
      throw err;
    }
  }

  private async *pullPages(http: PmsHttpClient, opts: PullOptions, mode: 'full' | 'incremental'): AsyncGenerator<PulledPage> {
    const now = this.options.now?.() ?? new Date();
    const state: PullState = { mode, asOfDate: utcDate(now), cache: new Map(), units: new UnitLeaseIndex(), unitsComplete: false };
    const wanted = new Set<StreamKind>(opts.streams ?? STREAM_ORDER);
    const overlap = this.options.overlapMs ?? 14 * 3600_000;
    const leasesSince = mode === 'incremental' ? sinceMinus(opts.since?.leasesSince, overlap) : null;
    const exportFilters: Record<string, QueryValue> = leasesSince ? { dateTimeModifiedMin: rentvineDateTime(leasesSince) } : {};

    for (const kind of STREAM_ORDER) {
      if (!wanted.has(kind)) continue;
      const resume = opts.resume?.[kind] as { page?: number } | undefined;
      if (kind === 'payments') {
        const lookback = (this.options.paymentLookbackDays ?? 7) * 86400_000;
        const paidSince = mode === 'incremental' ? sinceMinus(opts.since?.paymentsSince, lookback) : null;
        // Payments link to leases through their unit: index the leases that may have payments in
        // the window (a payment bumps its lease's dateTimeModified), unless an export stream did.
        const indexFilters = mode === 'incremental' ? (paidSince && (!leasesSince || paidSince < leasesSince) ? { dateTimeModifiedMin: rentvineDateTime(paidSince) } : paidSince ? exportFilters : {}) : exportFilters;
        if (!state.unitsComplete || JSON.stringify(indexFilters) !== JSON.stringify(exportFilters)) {
          for await (const _p of this.exportPages(http, state, indexFilters, undefined)) void _p;
        }
        const filters: Record<string, QueryValue> = { transactionTypeID: 2, isVoided: 'false' };
        if (paidSince) filters.datePostedMin = utcDate(paidSince);
        for (let page = (resume?.page ?? 0) + 1; ; page++) {
          const spec = { path: PAYMENTS, page, query: { ...filters, page, pageSize: this.pageSize } };
          const res = await http.getJson(spec);
          const items = http.validate(pageSchema, res.body, spec);
          const records = items.map((i) => mapPayment(i, state.units)).filter((p): p is NonNullable<typeof p> => p !== null);
          const maxModifiedAt = maxIso(records.map((r) => r.lastExternalUpdatedAt ?? toUtcIso(r.paidAt)));
          if (records.length) yield { kind: 'payments', records, resume: { page }, maxModifiedAt, source: { endpoint: PAYMENTS, page } };
          if (items.length < this.pageSize) break;
        }
        continue;
      }
      const seen = new Set<string>();
      for await (const p of this.exportPages(http, state, exportFilters, resume?.page)) {
        const batch = exportBatch(kind, p.items, seen, state.asOfDate);
        const maxModifiedAt = maxIso(p.items.map((i) => toUtcIso((i.lease as RentvineItem | undefined)?.dateTimeModified)));
        if (batch.records.length) yield { ...batch, resume: { page: p.page }, maxModifiedAt, source: { endpoint: EXPORT, page: p.page } } as PulledPage;
      }
    }
  }

  /**
   * Pages of /leases/export from page `after + 1` until a short page. A complete pass from page 1
   * that fits in `exportCacheItems` is kept and replayed for the next export stream of this pull.
   */
  private async *exportPages(http: PmsHttpClient, state: PullState, filters: Record<string, QueryValue>, after: number | undefined): AsyncGenerator<{ page: number; items: RentvineItem[] }> {
    const fromStart = !after;
    const key = JSON.stringify(filters);
    const cachedPass = fromStart ? state.cache.get(key) : undefined;
    if (cachedPass) {
      yield* cachedPass;
      return;
    }
    const limit = this.options.exportCacheItems ?? 10_000;
    let cache: { page: number; items: RentvineItem[] }[] | null = fromStart ? [] : null;
    let cached = 0;
    for (let page = (after ?? 0) + 1; ; page++) {
      const spec = { path: EXPORT, page, query: { ...filters, page, pageSize: this.pageSize } };
      const res = await http.getJson(spec);
      const items = http.validate(pageSchema, res.body, spec);
      for (const i of items) state.units.add(i);
      if (cache) {
        cached += items.length;
        if (cached > limit) cache = null;
        else cache.push({ page, items });
      }
      yield { page, items };
      if (items.length < this.pageSize) break;
    }
    if (fromStart) {
      state.unitsComplete = true;
      if (cache) state.cache.set(key, cache);
    }
  }
}

/** One export page mapped to one stream; parents seen earlier in the pass are not repeated. */
function exportBatch(kind: ExportKind, items: RentvineItem[], seen: Set<string>, asOfDate: string): CanonicalBatch {
  const once = <T extends { externalId: string }>(r: T | null): r is T => {
    if (!r) return false;
    if (r.externalId && seen.has(r.externalId)) return false;
    if (r.externalId) seen.add(r.externalId);
    return true;
  };
  switch (kind) {
    case 'debtors':
      return { kind, records: items.flatMap(mapDebtors).filter(once) };
    case 'portfolios':
      return { kind, records: items.map(mapPortfolio).filter(once) };
    case 'properties':
      return { kind, records: items.map(mapProperty).filter(once) };
    case 'units':
      return { kind, records: items.map(mapUnit).filter(once) };
    case 'leases':
      return { kind, records: items.map(mapLease) };
    case 'charges':
      return { kind, records: items.flatMap(mapCharges) };
    case 'balances':
      return { kind, records: items.map((i) => mapBalance(i, asOfDate)).filter((b): b is NonNullable<typeof b> => b !== null) };
  }
}

/** Rentvine's own datetime format, "YYYY-MM-DD HH:MM:SS" (UTC). */
export function rentvineDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
