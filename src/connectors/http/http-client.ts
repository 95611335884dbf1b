import { Agent, Dispatcher, errors as undiciErrors, request } from 'undici';
import { z } from 'zod';
import { PmsApiError, PmsAuthError } from '../connector.types';
import { RateLimiter } from './rate-limiter';
import { DEFAULT_RETRY, RetryPolicy, backoffDelay, parseRetryAfter, sleep } from './retry';

/**
 * The HTTP layer under every PMS client (undici): timeouts, retries with exponential backoff and
 * jitter on 429 / 5xx / network errors honouring Retry-After, a per-connection rate cap that
 * retries also go through, and zod validation that names endpoint, page and field.
 *
 * Failures: 401/403 -> PmsAuthError (never retried); anything else that still fails after the
 * retries -> PmsApiError whose message names the software, endpoint, page and status.
 */

export type QueryValue = string | number | boolean | null | undefined | (string | number)[];

export interface HttpClientOptions {
  /** 'Buildium' / 'Rentvine': used in messages. */
  software: string;
  /** softwares.key, for error details. */
  softwareKey: string;
  baseUrl: string;
  headers: Record<string, string>;
  limiter?: RateLimiter;
  /** Per attempt: headers and body must arrive within this (default 30 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** How array query values are written: `k=1&k=2` (Buildium) or `k[]=1&k[]=2` (Rentvine). */
  arrayFormat?: 'repeat' | 'brackets';
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
}

export interface RequestSpec {
  path: string;
  query?: Record<string, QueryValue>;
  /** Page number for messages (1-based). */
  page?: number;
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  attempts: number;
}

let sharedAgent: Agent | null = null;
function agent(): Agent {
  if (!sharedAgent) sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 32 });
  return sharedAgent;
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function isNetworkError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return (code !== undefined && NETWORK_CODES.has(code)) || err instanceof undiciErrors.SocketError;
}

export class PmsHttpClient {
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(readonly options: HttpClientOptions) {
    this.retry = { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  url(spec: RequestSpec): string {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const qs: string[] = [];
    for (const [k, v] of Object.entries(spec.query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) {
        const key = this.options.arrayFormat === 'brackets' ? `${k}[]` : k;
        for (const item of v) qs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`);
      } else {
        qs.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
      }
    }
    return `${base}${spec.path}${qs.length ? `?${qs.join('&')}` : ''}`;
  }

  private where(spec: RequestSpec): string {
    return `${this.options.software} GET ${spec.path}${spec.page !== undefined ? ` page ${spec.page}` : ''}`;
  }

  /** GET a JSON document with retries. Non-2xx after retries throws (see class doc). */
  async getJson(spec: RequestSpec): Promise<JsonResponse> {
    const url = this.url(spec);
    const details = { software: this.options.softwareKey, endpoint: spec.path, page: spec.page };
    let attempt = 0;
    for (;;) {
      const signal = this.options.signal;
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      let status = 0;
      let headers: JsonResponse['headers'] = {};
      let text = '';
      let networkError: unknown = null;
      try {
        const run = async () => {
          const res = await request(url, {
            method: 'GET',
            headers: { accept: 'application/json', ...this.options.headers },
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs,
            signal,
            dispatcher: this.options.dispatcher ?? agent(),
          });
          status = res.statusCode;
          headers = res.headers;
          text = await res.body.text();
        };
        if (this.options.limiter) await this.options.limiter.schedule(run, signal);
        else await run();
      } catch (err) {
        if (signal?.aborted) throw err;
        if (!isNetworkError(err)) {
          const unknownHost = (err as { code?: string }).code === 'ENOTFOUND';
          throw new PmsApiError(`${this.where(spec)} failed: ${(err as Error).message}`, { ...details, code: unknownHost ? 'UNKNOWN_HOST' : 'REQUEST_FAILED', retryable: !unknownHost });
        }
        networkError = err;
      }

      const retryable = networkError !== null || status === 429 || status >= 500;
      if (!retryable) {
        if (status === 401 || status === 403) {
          const reason = status === 401 ? 'rejected the credentials' : 'denied access (the key lacks permission)';
          throw new PmsAuthError(`${this.options.software} ${reason}: HTTP ${status} on GET ${spec.path}${spec.page !== undefined ? ` page ${spec.page}` : ''}${vendorMessage(text)}`, {
            ...details,
            status,
            code: status === 401 ? 'BAD_CREDENTIALS' : 'FORBIDDEN',
          });
        }
        if (status < 200 || status >= 300) {
          throw new PmsApiError(`${this.where(spec)} failed: HTTP ${status}${vendorMessage(text)}`, { ...details, status, code: `HTTP_${status}`, retryable: false });
        }
        let body: unknown;
        try {
          body = text === '' ? null : JSON.parse(text);
        } catch {
          throw new PmsApiError(`${this.where(spec)}: response is not JSON (${text.slice(0, 80)})`, { ...details, status, code: 'INVALID_JSON', retryable: false });
        }
        return { status, headers, body, attempts: attempt + 1 };
      }

      // retryable
      if (attempt >= this.retry.retries) {
        const what = networkError ? `network error ${(networkError as { code?: string }).code ?? (networkError as Error).message}` : `HTTP ${status}`;
        throw new PmsApiError(`${this.where(spec)} failed: ${what} after ${attempt + 1} attempts`, {
          ...details,
          status: status || undefined,
          code: networkError ? 'UNREACHABLE' : status === 429 ? 'RATE_LIMITED' : `HTTP_${status}`,
          retryable: true,
        });
      }
      let delay = backoffDelay(attempt, this.retry);
      if (status === 429 || status === 503) {
        const ra = parseRetryAfter(headers['retry-after']);
        if (ra !== null) {
          if (ra > this.retry.maxRetryAfterMs) {
            throw new PmsApiError(`${this.where(spec)} failed: HTTP ${status}, Retry-After ${Math.round(ra / 1000)} s is longer than we wait`, {
              ...details,
              status,
              code: status === 429 ? 'RATE_LIMITED' : `HTTP_${status}`,
              retryable: true,
            });
          }
          delay = ra + Math.round(Math.random() * this.retry.baseDelayMs * 0.2);
        }
      }
      attempt += 1;
      await sleep(delay, signal);
    }
  }

  /** Validates a body with zod; an unexpected shape names endpoint, page and the first bad field. */
  validate<S extends z.ZodType>(schema: S, body: unknown, spec: RequestSpec): z.infer<S> {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const field = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(body)';
    throw new PmsApiError(`${this.where(spec)}: unexpected response shape at ${field}: ${issue.message}`, {
      software: this.options.softwareKey,
      endpoint: spec.path,
      page: spec.page,
      code: 'UNEXPECTED_SHAPE',
      retryable: false,
    });
  }
}

/** The vendor's own message from an error body (Buildium ApiErrorResponse.UserMessage), short. */
function vendorMessage(text: string): string {
  if (!text) return '';
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const m = j.UserMessage ?? j.message ?? j.error;
    if (typeof m === 'string' && m.trim()) return ` (${m.trim().slice(0, 160)})`;
  } catch {
    /* not JSON */
  }
  return '';
}
