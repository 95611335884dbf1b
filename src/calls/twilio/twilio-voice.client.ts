import { Injectable } from '@nestjs/common';
import type { Twilio } from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { AppConfig } from '../../config/app-config.service';

/**
 * The one place that talks to Twilio's REST API, through the official SDK.
 *
 * TWILIO_API_BASE_URL (tests only) points the SDK at a fake server: the SDK has no base-URL option,
 * so a RequestClient subclass rewrites the scheme and host of every request (docs/twilio.md, base URL override).
 * The SDK's own 429 auto-retry stays off: BullMQ owns retries and backoff.
 */

export interface CreateCallParams {
  to: string;
  from: string;
  url: string;
  statusCallback?: string;
  timeout: number;
  machineDetection?: 'Enable' | 'DetectMessageEnd';
}

export interface ProviderCall {
  sid: string;
  status: string;
  to: string;
  from: string;
  dateCreated: Date | null;
  startTime: Date | null;
  endTime: Date | null;
  duration: number | null;
  answeredBy: string | null;
  queueTime: number | null;
}

/**
 * The SDK client, loaded on first use: requiring twilio costs ~0.2 s of start-up, and most processes
 * (the scheduler, a sync-only worker, the CLI) never dial.
 */
export function createSdk(sid: string, token: string, timeout: number, baseUrl: string | undefined): Twilio {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const twilio = require('twilio') as typeof import('twilio');
  const RequestClientClass = require('twilio/lib/base/RequestClient') as typeof RequestClient;
  /* eslint-enable @typescript-eslint/no-require-imports */

  class BaseUrlRequestClient extends RequestClientClass {
    constructor(
      private readonly baseUrl: string,
      opts: RequestClient.RequestClientOptions,
    ) {
      super(opts);
    }

    override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
      const target = new URL(this.baseUrl);
      const u = new URL(opts.uri);
      u.protocol = target.protocol;
      u.host = target.host;
      return super.request<TData>({ ...opts, uri: u.toString() });
    }
  }

  const httpClient = baseUrl ? new BaseUrlRequestClient(baseUrl, { timeout, keepAlive: true }) : new RequestClientClass({ timeout, keepAlive: true });
  return twilio(sid, token, { httpClient, timeout, autoRetry: false });
}

function toProviderCall(c: {
  sid: string;
  status: string;
  to: string;
  from: string;
  dateCreated?: Date | null;
  startTime?: Date | null;
  endTime?: Date | null;
  duration?: string | null;
  answeredBy?: string | null;
  queueTime?: string | null;
}): ProviderCall {
  const num = (v: string | null | undefined) => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v));
  const date = (d: Date | null | undefined) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d : null);
  return {
    sid: c.sid,
    status: c.status,
    to: c.to,
    from: c.from,
    dateCreated: date(c.dateCreated),
    startTime: date(c.startTime),
    endTime: date(c.endTime),
    duration: num(c.duration),
    answeredBy: c.answeredBy ?? null,
    queueTime: num(c.queueTime),
  };
}

@Injectable()
export class TwilioVoiceClient {
  private client: Twilio | null = null;

  constructor(private readonly config: AppConfig) {}

  private get sdk(): Twilio {
    if (!this.client) {
      const sid = this.config.get('TWILIO_ACCOUNT_SID');
      const token = this.config.get('TWILIO_AUTH_TOKEN');
      if (!sid || !token) throw new Error('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required to place calls');
      const timeout = this.config.get('TWILIO_HTTP_TIMEOUT_MS');
      this.client = createSdk(sid, token, timeout, this.config.get('TWILIO_API_BASE_URL'));
    }
    return this.client;
  }

  async createCall(p: CreateCallParams): Promise<ProviderCall> {
    const call = await this.sdk.calls.create({
      to: p.to,
      from: p.from,
      url: p.url,
      method: 'POST',
      timeout: p.timeout,
      ...(p.statusCallback ? { statusCallback: p.statusCallback, statusCallbackMethod: 'POST' as const } : {}),
      ...(p.machineDetection ? { machineDetection: p.machineDetection } : {}),
    });
    return toProviderCall(call);
  }

  /**
   * Calls to `to` from `from` created at or after `since` (Twilio filters StartTime by UTC day only,
   * so the exact time is checked here). Queued calls have no start time yet, so they are listed
   * separately.
   */
  async findCallsSince(to: string, from: string, since: Date): Promise<ProviderCall[]> {
    const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
    const [started, queued] = await Promise.all([
      this.sdk.calls.list({ to, from, startTimeAfter: day, pageSize: 100, limit: 500 }),
      this.sdk.calls.list({ to, from, status: 'queued', pageSize: 100, limit: 500 }),
    ]);
    const seen = new Map<string, ProviderCall>();
    for (const c of [...started, ...queued]) seen.set(c.sid, toProviderCall(c));
    return [...seen.values()].filter((c) => (c.dateCreated ?? c.startTime ?? new Date(0)).getTime() >= since.getTime());
  }

  async fetchCall(sid: string): Promise<ProviderCall> {
    return toProviderCall(await this.sdk.calls(sid).fetch());
  }
}
