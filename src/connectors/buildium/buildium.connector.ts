import { CanonicalCharge, CanonicalLeaseBalance, CanonicalPayment, STREAM_ORDER, StreamKind } from '../canonical';
import { ConnectionContext, LeaseBalanceRead, PmsApiError, PmsAuthError, PmsConnector, PulledPage, PullOptions, TestConnectionResult } from '../connector.types';
import { PmsHttpClient, QueryValue } from '../http/http-client';
import { maxIso, toCents, toId, utcDate } from '../http/normalize';
import { chunk, mapLimit, sinceMinus } from '../http/paging';
import { limiterFor } from '../http/rate-limiter';
import { RetryPolicy } from '../http/retry';
import { isPayment, mapLease, mapLeaseCharges, mapOutstanding, mapPayment, mapRental, mapTenant, mapUnit, zeroBalance } from './buildium.mapper';
import { BuildiumItem, pageSchema } from './buildium.schemas';

export const BUILDIUM_DEFAULT_URL = 'https://api.buildium.com';

export interface BuildiumConnectorOptions {
  /** Base URL without /v1 (BUILDIUM_API_URL; default https://api.buildium.com). */
  baseUrl?: string;
  /** limit per page (Buildium max 1000). */
  pageSize?: number;
  /** Requests per second per connection (Buildium allows 10). */
  ratePerSecond?: number;
  /** Lease ledgers fetched in parallel (still under the rate cap). */
  ledgerConcurrency?: number;
  /** Leases whose charges make one yielded page. */
  leasesPerPage?: number;
  /** Modified-since cursors are re-read from this much earlier (default 5 min). */
  overlapMs?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  now?: () => Date;
}

interface PageResume {
  /** Rows consumed so far. */
  offset: number;
  /** Highest Id seen (rows are sorted by Id). */
  lastId: number | null;
  /** Requests made so far in this pass (page numbers in messages). */
  page?: number;
}

interface LedgerResume {
  afterLeaseId: number;
}

/** State shared by the streams of one pull. */
interface PullState {
  mode: 'full' | 'incremental';
  startedAt: string;
  asOfDate: string;
  /** Every lease id seen by a leases stream that started at the beginning (null otherwise). */
  leaseIds: Set<string> | null;
  /** Outstanding balances by lease id (fetched once per pull). */
  outstanding: Map<string, BuildiumItem> | null;
  /** Leases whose ledgers are fetched (sorted numerically). */
  ledgerLeaseIds: number[] | null;
  /** Payments collected while fetching ledgers for charges, by lease id (complete when set). */
  paymentsByLease: Map<number, CanonicalPayment[]> | null;
}

const TRANSACTIONS = '/v1/leases/{leaseId}/transactions';
/** Asked for explicitly: past leases (and their tenants) matter most for collections. */
const ALL_STATUSES = ['Active', 'Past', 'Future'];

/**
 * Buildium Open API connector (docs/connectors.md). Ledgers cost one request per lease and the API
 * allows 10 requests per second, so ledgers are read only for leases that owe money according to
 * /v1/leases/outstandingbalances (full pulls) or that changed since the cursor (incremental
 * pulls); one ledger read serves both the charges and the payments streams.
 */
export class BuildiumConnector implements PmsConnector {
  readonly key = 'buildium';
  readonly supportsIncremental = true;
  private readonly pageSize: number;
  private readonly baseUrl: string;

  constructor(private readonly options: BuildiumConnectorOptions = {}) {
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
    this.baseUrl = (options.baseUrl ?? BUILDIUM_DEFAULT_URL).replace(/\/+$/, '');
  }

  private http(ctx: ConnectionContext, retry?: Partial<RetryPolicy>): PmsHttpClient {
    const c = ctx.credentials ?? {};
    const clientId = typeof c.clientId === 'string' ? c.clientId.trim() : '';
    const clientSecret = typeof c.clientSecret === 'string' ? c.clientSecret.trim() : '';
    if (!clientId || !clientSecret) {
      throw new PmsAuthError('Buildium credentials need a clientId and a clientSecret', { software: this.key, endpoint: '(credentials)', code: 'BAD_CREDENTIALS' });
    }
    return new PmsHttpClient({
      software: 'Buildium',
      softwareKey: this.key,
      baseUrl: this.baseUrl,
      headers: { 'x-buildium-client-id': clientId, 'x-buildium-client-secret': clientSecret },
      limiter: limiterFor(`buildium:${ctx.connectionId}`, { max: this.options.ratePerSecond ?? 10, windowMs: 1000 }),
      timeoutMs: this.options.timeoutMs,
      retry: { ...(this.options.retry ?? {}), ...(retry ?? {}) },
      arrayFormat: 'repeat',
      signal: ctx.signal,
    });
  }

  async testConnection(ctx: ConnectionContext): Promise<TestConnectionResult> {
    try {
      const http = this.http(ctx, { retries: 2 });
      await http.getJson({ path: '/v1/rentals', query: { limit: 1, offset: 0 } });
      await http.getJson({ path: '/v1/leases', query: { limit: 1, offset: 0 } });
      return { ok: true, code: 'OK', message: 'Connected to Buildium' };
    } catch (err) {
      return describeFailure(err, 'Buildium');
    }
  }

  pullFull(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage> {
    return this.pull(ctx, opts, 'full');
  }

  pullIncremental(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage> {
    return this.pull(ctx, opts, 'incremental');
  }

  async fetchLeaseBalance(ctx: ConnectionContext, leaseExternalId: string): Promise<LeaseBalanceRead | null> {
    const http = this.http(ctx);
    const spec = { path: '/v1/leases/outstandingbalances', query: { leaseids: [leaseExternalId], limit: 1, offset: 0 } as Record<string, QueryValue> };
    const res = await http.getJson(spec);
    const rows = http.validate(pageSchema, res.body, spec);
    const row = rows.find((r) => toId(r.LeaseId) === leaseExternalId);
    const total = row ? (toCents(row.TotalBalance) ?? 0) : 0;
    return { leaseExternalId, balanceCents: total, pastDueCents: total, asOf: (this.options.now?.() ?? new Date()).toISOString() };
  }

  private async *pull(ctx: ConnectionContext, opts: PullOptions, mode: 'full' | 'incremental'): AsyncGenerator<PulledPage> {
    const http = this.http(ctx);
    const now = this.options.now?.() ?? new Date();
    const state: PullState = {
      mode,
      startedAt: now.toISOString(),
      asOfDate: utcDate(now),
      leaseIds: null,
      outstanding: null,
      ledgerLeaseIds: null,
      paymentsByLease: null,
    };
    const wanted = new Set<StreamKind>(opts.streams ?? STREAM_ORDER);
    const overlap = this.options.overlapMs ?? 5 * 60_000;
    const since = (key: 'debtorsSince' | 'leasesSince'): string | undefined => {
      if (mode !== 'incremental') return undefined;
      const d = sinceMinus(opts.since?.[key], overlap);
      return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
    };

    for (const kind of STREAM_ORDER) {
      if (!wanted.has(kind)) continue;
      const resume = opts.resume?.[kind];
      switch (kind) {
        case 'debtors': {
          const filters = { lastupdatedfrom: since('debtorsSince'), leasetermstatuses: ALL_STATUSES };
          for await (const p of this.pages(http, '/v1/leases/tenants', filters, resume as PageResume)) {
            yield { kind: 'debtors', records: p.items.map(mapTenant), resume: p.resume, maxModifiedAt: state.startedAt, source: { endpoint: '/v1/leases/tenants', page: p.page } };
          }
          break;
        }
        case 'portfolios':
          break; // Buildium has no portfolios (see buildium.mapper.ts)
        case 'properties': {
          for await (const p of this.pages(http, '/v1/rentals', { lastupdatedfrom: since('leasesSince') }, resume as PageResume)) {
            yield { kind: 'properties', records: p.items.map(mapRental), resume: p.resume, maxModifiedAt: state.startedAt, source: { endpoint: '/v1/rentals', page: p.page } };
          }
          break;
        }
        case 'units': {
          for await (const p of this.pages(http, '/v1/rentals/units', { lastupdatedfrom: since('leasesSince') }, resume as PageResume)) {
            yield { kind: 'units', records: p.items.map(mapUnit), resume: p.resume, maxModifiedAt: state.startedAt, source: { endpoint: '/v1/rentals/units', page: p.page } };
          }
          break;
        }
        case 'leases': {
          const fromStart = !resume;
          const ids = new Set<string>();
          for await (const p of this.pages(http, '/v1/leases', { lastupdatedfrom: since('leasesSince'), leasestatuses: ALL_STATUSES }, resume as PageResume)) {
            const records = p.items.map(mapLease);
            for (const r of records) if (r.externalId) ids.add(r.externalId);
            yield { kind: 'leases', records, resume: p.resume, maxModifiedAt: maxIso(records.map((r) => r.lastExternalUpdatedAt)), source: { endpoint: '/v1/leases', page: p.page } };
          }
          if (fromStart) state.leaseIds = ids;
          break;
        }
        case 'charges': {
          const after = (resume as LedgerResume | undefined)?.afterLeaseId ?? null;
          const leaseIds = (await this.ledgerLeaseIds(http, state, since('leasesSince'))).filter((id) => after === null || id > after);
          const collectPayments = after === null && wanted.has('payments') && !opts.resume?.payments;
          const payments = collectPayments ? new Map<number, CanonicalPayment[]>() : null;
          let page = 0;
          for (const batch of chunk(leaseIds, this.options.leasesPerPage ?? 50)) {
            page += 1;
            const ledgers = await mapLimit(batch, this.options.ledgerConcurrency ?? 5, (id) => this.ledger(http, id));
            const records: CanonicalCharge[] = [];
            batch.forEach((id, i) => {
              const lease = String(id);
              const owed = toCents(state.outstanding?.get(lease)?.TotalBalance) ?? 0;
              records.push(...mapLeaseCharges(lease, ledgers[i], owed));
              payments?.set(id, ledgers[i].filter(isPayment).map((t) => mapPayment(lease, t)));
            });
            yield { kind: 'charges', records, resume: { afterLeaseId: batch[batch.length - 1] } satisfies LedgerResume, maxModifiedAt: state.startedAt, source: { endpoint: TRANSACTIONS, page } };
          }
          state.paymentsByLease = payments;
          break;
        }
        case 'payments': {
          const after = (resume as LedgerResume | undefined)?.afterLeaseId ?? null;
          const leaseIds = (await this.ledgerLeaseIds(http, state, since('leasesSince'))).filter((id) => after === null || id > after);
          let page = 0;
          for (const batch of chunk(leaseIds, this.options.leasesPerPage ?? 50)) {
            page += 1;
            let perLease: CanonicalPayment[][];
            if (state.paymentsByLease) {
              perLease = batch.map((id) => state.paymentsByLease!.get(id) ?? []);
            } else {
              const ledgers = await mapLimit(batch, this.options.ledgerConcurrency ?? 5, (id) => this.ledger(http, id, 'Payment'));
              perLease = ledgers.map((txs, i) => txs.filter(isPayment).map((t) => mapPayment(String(batch[i]), t)));
            }
            yield { kind: 'payments', records: perLease.flat(), resume: { afterLeaseId: batch[batch.length - 1] } satisfies LedgerResume, maxModifiedAt: state.startedAt, source: { endpoint: TRANSACTIONS, page } };
          }
          state.paymentsByLease = null;
          break;
        }
        case 'balances': {
          const after = (resume as LedgerResume | undefined)?.afterLeaseId ?? null;
          const outstanding = await this.outstanding(http, state);
          const byLease = new Map<string, CanonicalLeaseBalance>();
          for (const [id, row] of outstanding) byLease.set(id, mapOutstanding(row, state.asOfDate));
          // Leases absent from outstandingbalances owe nothing (balance <= 0): report 0 for every
          // lease of this pull (all leases on a full pull, the changed ones on an incremental one),
          // listing their ids if no leases stream ran from the start in this pull (resumed run).
          if (!state.leaseIds) state.leaseIds = await this.leaseIdSet(http, since('leasesSince'));
          for (const id of state.leaseIds) if (!byLease.has(id)) byLease.set(id, zeroBalance(id, state.asOfDate));
          const sorted = [...byLease.values()]
            .filter((b) => after === null || Number(b.leaseExternalId) > after)
            .sort((a, b) => Number(a.leaseExternalId) - Number(b.leaseExternalId));
          let page = 0;
          for (const part of chunk(sorted, this.pageSize)) {
            page += 1;
            yield {
              kind: 'balances',
              records: part,
              resume: { afterLeaseId: Number(part[part.length - 1].leaseExternalId) } satisfies LedgerResume,
              maxModifiedAt: state.startedAt,
              source: { endpoint: '/v1/leases/outstandingbalances', page },
            };
          }
          break;
        }
      }
    }
  }

  /**
   * Offset pages sorted by Id. Each request after the first re-reads the last row of the previous
   * page (offset - 1, limit + 1): if rows were deleted meanwhile (everything shifts left), the
   * first row returned is newer than the last one seen, and the pager steps back instead of
   * silently skipping rows. Rows already seen (Id <= last Id) are dropped. Page n is the n-th
   * request of the pass.
   */
  private async *pages(
    http: PmsHttpClient,
    path: string,
    filters: Record<string, QueryValue>,
    resume: PageResume | undefined,
    idField = 'Id',
  ): AsyncGenerator<{ items: BuildiumItem[]; page: number; resume: PageResume }> {
    let offset = resume?.offset ?? 0;
    let lastId: number | null = resume?.lastId ?? null;
    let page = resume?.page ?? 0;
    let stepBacks = 0;
    for (;;) {
      const overlap = lastId !== null && offset > 0;
      const reqOffset = overlap ? offset - 1 : offset;
      const limit = overlap ? Math.min(1000, this.pageSize + 1) : this.pageSize;
      page += 1;
      const spec = { path, page, query: { ...filters, orderby: `${idField} asc`, offset: reqOffset, limit } };
      const res = await http.getJson(spec);
      const items = http.validate(pageSchema, res.body, spec);
      const idOf = (it: BuildiumItem): number | null => {
        const s = toId(it[idField]);
        return s && /^\d+$/.test(s) ? Number(s) : null;
      };
      const firstId = items.length ? idOf(items[0]) : null;
      if (overlap && firstId !== null && lastId !== null && firstId > lastId && stepBacks < 20) {
        // rows before our position were deleted meanwhile: step back rather than skip rows
        stepBacks += 1;
        offset = Math.max(0, offset - this.pageSize);
        page -= 1;
        continue;
      }
      const fresh = items.filter((it) => {
        const id = idOf(it);
        return id === null || lastId === null || id > lastId;
      });
      for (const it of items) {
        const id = idOf(it);
        if (id !== null && (lastId === null || id > lastId)) lastId = id;
      }
      offset = reqOffset + items.length;
      const totalHeader = res.headers['x-total-count'];
      const total = totalHeader !== undefined && /^\d+$/.test(String(totalHeader)) ? Number(totalHeader) : null;
      yield { items: fresh, page, resume: { offset, lastId, page } };
      if (items.length < limit || (total !== null && offset >= total)) return;
    }
  }

  private async ledger(http: PmsHttpClient, leaseId: number, type?: string): Promise<BuildiumItem[]> {
    const out: BuildiumItem[] = [];
    for await (const p of this.pages(http, `/v1/leases/${leaseId}/transactions`, { transactiontypes: type ? [type] : undefined }, undefined)) out.push(...p.items);
    return out;
  }

  private async outstanding(http: PmsHttpClient, state: PullState): Promise<Map<string, BuildiumItem>> {
    if (state.outstanding) return state.outstanding;
    const map = new Map<string, BuildiumItem>();
    for await (const p of this.pages(http, '/v1/leases/outstandingbalances', {}, undefined, 'LeaseId')) {
      for (const row of p.items) {
        const id = toId(row.LeaseId);
        if (id) map.set(id, row);
      }
    }
    state.outstanding = map;
    return map;
  }

  /** Ids of all leases (or of those changed since `lastupdatedfrom`). */
  private async leaseIdSet(http: PmsHttpClient, lastupdatedfrom: string | undefined): Promise<Set<string>> {
    const seen = new Set<string>();
    for await (const p of this.pages(http, '/v1/leases', { lastupdatedfrom, leasestatuses: ALL_STATUSES }, undefined)) {
      for (const l of p.items) {
        const id = toId(l.Id);
        if (id && /^\d+$/.test(id)) seen.add(id);
      }
    }
    return seen;
  }

  /** Full: leases that owe money. Incremental: leases changed since the cursor. */
  private async ledgerLeaseIds(http: PmsHttpClient, state: PullState, leasesSince: string | undefined): Promise<number[]> {
    if (state.ledgerLeaseIds) return state.ledgerLeaseIds;
    const outstanding = await this.outstanding(http, state);
    let ids: string[];
    if (state.mode === 'incremental' && leasesSince) {
      if (!state.leaseIds) state.leaseIds = await this.leaseIdSet(http, leasesSince);
      ids = [...state.leaseIds];
    } else {
      ids = [...outstanding.entries()].filter(([, row]) => (toCents(row.TotalBalance) ?? 0) > 0).map(([id]) => id);
    }
    state.ledgerLeaseIds = ids.filter((s) => /^\d+$/.test(s)).map(Number).sort((a, b) => a - b);
    return state.ledgerLeaseIds;
  }
}

/** testConnection messages a user can act on. */
export function describeFailure(err: unknown, software: string): TestConnectionResult {
  if (err instanceof PmsAuthError) {
    const forbidden = err.details.code === 'FORBIDDEN' || err.details.status === 403;
    if (err.details.endpoint === '(credentials)') return { ok: false, code: 'BAD_CREDENTIALS', message: err.message };
    return forbidden
      ? { ok: false, code: 'FORBIDDEN', message: `${software} accepted the key but it lacks permission to read ${err.details.endpoint}: give the API key read access to rentals and leases` }
      : { ok: false, code: 'BAD_CREDENTIALS', message: `${software} rejected the credentials: check the API key and secret` };
  }
  if (err instanceof PmsApiError) {
    const code = err.details.code;
    if (code === 'RATE_LIMITED') return { ok: false, code: 'RATE_LIMITED', message: `${software} is rate-limiting this key right now (HTTP 429): try again in a minute` };
    if (code === 'UNREACHABLE') return { ok: false, code: 'UNREACHABLE', message: `${software} is unreachable: ${err.message}` };
    if (code === 'UNKNOWN_ACCOUNT' || err.details.status === 404) return { ok: false, code: 'UNKNOWN_ACCOUNT', message: `${software} account not found: ${err.message}` };
    return { ok: false, code: 'ERROR', message: err.message };
  }
  return { ok: false, code: 'ERROR', message: `${software}: ${(err as Error)?.message ?? String(err)}` };
}
