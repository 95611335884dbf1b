import { Injectable } from '@nestjs/common';
import { StreamKind, STREAM_ORDER } from '../canonical';
import { ConnectionContext, LeaseBalanceRead, PmsApiError, PmsAuthError, PmsConnector, PulledPage, PullOptions, TestConnectionResult } from '../connector.types';
import {
  SandboxCredentialsError,
  SandboxOptions,
  badRecords,
  balance,
  chargeAndPaid,
  debtor,
  lease,
  leasePresent,
  parseSandboxOptions,
  paymentFor,
  portfolio,
  property,
  reportsBalance,
  sandboxCounts,
  unit,
} from './sandbox.portfolio';

export const SANDBOX_KEY = 'sandbox';

function options(ctx: ConnectionContext): SandboxOptions {
  try {
    return parseSandboxOptions(ctx.credentials);
  } catch (err) {
    if (err instanceof SandboxCredentialsError) throw new PmsAuthError(err.message, { software: SANDBOX_KEY, endpoint: '/v1/account' });
    throw err;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * The sandbox PMS (softwares.key 'sandbox'): a deterministic account generated page by page from
 * the connection's credentials (see sandbox.portfolio.ts). No network; latency and failures are
 * simulated on request (pageDelayMs, failAt).
 */
@Injectable()
export class SandboxConnector implements PmsConnector {
  readonly key = SANDBOX_KEY;
  readonly supportsIncremental = false;

  async testConnection(ctx: ConnectionContext): Promise<TestConnectionResult> {
    try {
      const o = parseSandboxOptions(ctx.credentials);
      return { ok: true, code: 'OK', message: `sandbox account (seed ${o.seed}, ${o.leases} leases)`, externalAccountId: `sandbox-${o.seed}` };
    } catch (err) {
      return { ok: false, code: 'BAD_CREDENTIALS', message: (err as Error).message };
    }
  }

  pullFull(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage> {
    return this.pull(ctx, opts);
  }

  /** The sandbox has no modified-since filter: an incremental pull is a full pull (never soft-deletes: the runner decides). */
  pullIncremental(ctx: ConnectionContext, opts: PullOptions): AsyncIterable<PulledPage> {
    return this.pull(ctx, opts);
  }

  async fetchLeaseBalance(ctx: ConnectionContext, leaseExternalId: string): Promise<LeaseBalanceRead | null> {
    const o = options(ctx);
    await this.latency(o, ctx);
    const m = /^lease-(\d+)$/.exec(leaseExternalId);
    if (!m) return null;
    const i = Number(m[1]);
    if (i >= o.leases || !leasePresent(o, i)) return null;
    const b = balance(o, i);
    return { leaseExternalId, balanceCents: b.balanceCents, pastDueCents: b.pastDueTotalCents ?? null, asOf: new Date().toISOString() };
  }

  private async latency(o: SandboxOptions, ctx: ConnectionContext): Promise<void> {
    if (o.pageDelayMs > 0) await sleep(o.pageDelayMs, ctx.signal);
  }

  private async *pull(ctx: ConnectionContext, opts: PullOptions): AsyncGenerator<PulledPage> {
    const o = options(ctx);
    const c = sandboxCounts(o);
    const streams = STREAM_ORDER.filter((s) => !opts.streams || opts.streams.includes(s));
    const totals: Record<StreamKind, number> = {
      debtors: c.debtors,
      portfolios: c.portfolios,
      properties: c.properties,
      units: c.units,
      leases: c.leases,
      charges: c.charges,
      payments: c.charges,
      balances: c.leases,
    };
    for (const kind of streams) {
      const resume = opts.resume?.[kind] as { nextPage?: number } | undefined;
      const pages = Math.ceil(totals[kind] / o.pageSize);
      for (let page = resume?.nextPage ?? 0; page < pages; page++) {
        if (ctx.signal?.aborted) return;
        await this.latency(o, ctx);
        if (o.failAt && o.failAt.stream === kind && o.failAt.page === page) {
          const endpoint = `/v1/${kind}`;
          throw new PmsApiError(`sandbox ${endpoint}?page=${page} returned HTTP ${o.failAt.status}`, {
            software: SANDBOX_KEY,
            endpoint,
            status: o.failAt.status,
            page,
            retryable: o.failAt.status >= 500 || o.failAt.status === 429,
          });
        }
        const from = page * o.pageSize;
        const to = Math.min(from + o.pageSize, totals[kind]);
        const records = this.records(o, kind, from, to);
        if (page === 0 && o.badRecords && records.length > 0) records.push(...badRecords(kind, records[0]));
        yield { kind, records, resume: { nextPage: page + 1 }, source: { endpoint: `/v1/${kind}`, page } } as PulledPage;
      }
    }
  }

  private records(o: SandboxOptions, kind: StreamKind, from: number, to: number): unknown[] {
    const out: unknown[] = [];
    for (let i = from; i < to; i++) {
      switch (kind) {
        case 'debtors':
          out.push(debtor(o, i));
          break;
        case 'portfolios':
          out.push(portfolio(o, i));
          break;
        case 'properties':
          out.push(property(o, i));
          break;
        case 'units':
          out.push(unit(o, i));
          break;
        case 'leases':
          if (leasePresent(o, i)) out.push(lease(o, i));
          break;
        case 'charges':
          if (leasePresent(o, Math.floor(i / o.chargesPerLease))) out.push(chargeAndPaid(o, i).charge);
          break;
        case 'payments': {
          if (!leasePresent(o, Math.floor(i / o.chargesPerLease))) break;
          const p = paymentFor(o, i);
          if (p) out.push(p);
          break;
        }
        case 'balances':
          if (leasePresent(o, i) && (reportsBalance(i) || o.balanceOverrides[`lease-${i}`] !== undefined)) out.push(balance(o, i));
          break;
      }
    }
    return out;
  }
}
