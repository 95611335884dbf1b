import * as http from 'http';
import { AddressInfo } from 'net';
import { maxInWindow } from '../utils/windows';

/**
 * Shared plumbing of the fake PMS servers: a real HTTP server on 127.0.0.1 (port 0), a request
 * log with monotonic timestamps, and switches for failures (429 bursts with or without
 * Retry-After, 5xx on a given page, slow pages, dropped connections) matched per path and page.
 */

export interface RecordedRequest {
  at: number; // ms, monotonic
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
  /** true when the fake's own rate limit (not a switch) answered 429 */
  rateExceeded?: boolean;
}

export interface Fault {
  /** path to match (exact, after any account prefix), or undefined for any */
  path?: string | RegExp;
  /** page to match (1-based; computed by the fake from offset/limit or page) */
  page?: number;
  /** how many matching requests get the fault (default 1) */
  times?: number;
  kind: 'status' | 'slow' | 'drop' | 'body';
  status?: number;
  retryAfter?: string | null;
  delayMs?: number;
  body?: string;
}

export interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  path: string;
  query: URLSearchParams;
  page: number;
}

/** Listens on a free loopback port; resolves with the base URL. */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server and its kept-alive connections. */
export async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export function monoNow(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private server: http.Server | null = null;
  private faults: Fault[] = [];
  baseUrl = '';
  /** Requests accepted per sliding second before a 429 in the vendor's error format; 0 = no limit. */
  rateLimit = 0;
  private accepted: number[] = [];
  /** Hook run before answering a data request (e.g. change data between pages). */
  beforeRespond: ((ctx: Ctx) => void) | null = null;

  protected abstract route(ctx: Ctx): { status: number; body: unknown; headers?: Record<string, string> };
  /** The path after any prefix (account) and the page number, or an early answer. */
  protected abstract prepare(req: http.IncomingMessage, url: URL): { path: string; page: number } | { status: number; body: unknown };

  addFault(f: Fault): void {
    this.faults.push({ times: 1, ...f });
  }

  clearFaults(): void {
    this.faults = [];
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.baseUrl = await listenOnLoopback(this.server);
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await closeServer(this.server);
    this.server = null;
  }

  /** Requests whose path matches (string: exact or prefix with '*' at the end). */
  seen(path?: string | RegExp): RecordedRequest[] {
    if (path === undefined) return this.requests;
    return this.requests.filter((r) => matchPath(path, r.path));
  }

  /** Most requests that arrived within any window of `windowMs`. */
  maxInWindow(windowMs = 1000): number {
    return maxInWindow(
      this.requests.map((r) => r.at),
      windowMs,
    );
  }

  resetLog(): void {
    this.requests.length = 0;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = monoNow();
    const url = new URL(req.url ?? '/', 'http://fake');
    const rec: RecordedRequest = { at, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, status: 0 };
    this.requests.push(rec);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(text);
    };
    try {
      const prep = this.prepare(req, url);
      if ('status' in prep) return send(prep.status, prep.body);
      rec.path = prep.path;
      const ctx: Ctx = { req, res, path: prep.path, query: url.searchParams, page: prep.page };
      const early = this.rateCheck(rec);
      if (early) return send(early.status, early.body, early.headers);
      const fault = this.faults.find((f) => (f.times ?? 1) > 0 && (f.path === undefined || matchPath(f.path, prep.path)) && (f.page === undefined || f.page === prep.page));
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.kind === 'drop') {
          rec.status = -1;
          req.socket.destroy();
          return;
        }
        if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
        if (fault.kind === 'status') {
          const headers: Record<string, string> = {};
          if (fault.retryAfter) headers['retry-after'] = fault.retryAfter;
          return send(fault.status ?? 500, this.errorBody(fault.status ?? 500), headers);
        }
        if (fault.kind === 'body') return send(200, fault.body ?? '');
        if (res.destroyed) return;
      }
      this.beforeRespond?.(ctx);
      const out = this.route(ctx);
      send(out.status, out.body, out.headers);
    } catch (err) {
      send(500, { error: (err as Error).message });
    }
  }

  /** The rate limit answer (429) when `rateLimit` requests were accepted in the last second, or null. */
  protected rateCheck(rec: RecordedRequest): { status: number; body: unknown; headers?: Record<string, string> } | null {
    if (!this.rateLimit) return null;
    const now = monoNow();
    this.accepted = this.accepted.filter((t) => now - t < 1000);
    if (this.accepted.length >= this.rateLimit) {
      rec.rateExceeded = true;
      return { status: 429, body: this.errorBody(429) };
    }
    this.accepted.push(now);
    return null;
  }

  protected abstract errorBody(status: number): unknown;
}

export function matchPath(p: string | RegExp, path: string): boolean {
  if (p instanceof RegExp) return p.test(path);
  if (p.endsWith('*')) return path.startsWith(p.slice(0, -1));
  return p === path;
}

/** A page of `items` from 0-based offset. */
export function slice<T>(items: T[], offset: number, limit: number): T[] {
  return items.slice(offset, offset + limit);
}
