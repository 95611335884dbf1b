import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { closeServer, listenOnLoopback } from './fake-http';
import { randomBytes } from 'crypto';
import { maxInWindow } from '../utils/windows';

/**
 * A fake Twilio REST API (voice calls and Messaging) on 127.0.0.1, real HTTP, for the official SDK
 * pointed at it through TWILIO_API_BASE_URL. It checks Basic auth and the form fields, answers with
 * Twilio-shaped bodies and error codes ({code, message, more_info, status}), records every request,
 * and counts dials per number and per second.
 *
 *   POST /2010-04-01/Accounts/:sid/Calls.json           create (201), or the scripted failure
 *   GET  /2010-04-01/Accounts/:sid/Calls.json           list: To, From, Status, StartTime> (UTC day, as Twilio), PageSize, Page
 *   GET  /2010-04-01/Accounts/:sid/Calls/:sid.json      fetch (404 code 20404 when unknown)
 *   POST /2010-04-01/Accounts/:sid/Messages.json        send (201: queued, or accepted with a Messaging Service), or the scripted failure
 *   GET  /2010-04-01/Accounts/:sid/Messages.json        list, newest first: To, From, DateSent (UTC day), PageSize, Page
 *   GET  /2010-04-01/Accounts/:sid/Messages/:sid.json   fetch
 */

export interface FakeCall {
  sid: string;
  to: string;
  from: string;
  url: string | null;
  statusCallback: string | null;
  timeout: string | null;
  machineDetection: string | null;
  status: string;
  dateCreated: Date;
  startTime: Date | null;
  endTime: Date | null;
  duration: number | null;
  answeredBy: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  authorized: boolean;
  at: number;
}

export interface FakeMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  status: string;
  dateCreated: Date;
  dateSent: Date | null;
}

/** What the fake does with a create-call (or send-message) request. */
export type DialAction =
  | { kind: 'error'; status: number; code: number; message?: string }
  | { kind: 'delay'; ms: number }
  /** create the call, then destroy the socket without answering (a timeout/reset after Twilio acted) */
  | { kind: 'drop' }
  /** destroy the socket without creating anything */
  | { kind: 'drop-before' }
  /** create the call at once, answer only after `ms` (the window where a worker can die in between) */
  | { kind: 'slow-response'; ms: number };

interface Rule {
  to?: string;
  times: number;
  action: DialAction;
}

const ERROR_MESSAGES: Record<number, string> = {
  21211: "The 'To' number is not a valid phone number.",
  21602: 'Message body is required.',
  21603: "The 'From' phone number is required.",
  21604: "A 'To' phone number is required.",
  21606: "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account.",
  21610: 'Attempt to send to unsubscribed recipient',
  21614: "'To' number is not a valid mobile number",
  21214: "'To' phone number cannot be reached",
  21216: 'Account not allowed to call this number',
  21217: 'Phone number does not appear to be valid',
  21215: 'Geo Permission configuration is not permitting call',
  20003: 'Authenticate',
  20429: 'Too Many Requests',
  20500: 'An internal server error has occurred',
};

function rfc2822(d: Date | null): string | null {
  return d ? d.toUTCString().replace('GMT', '+0000') : null;
}

export class FakeTwilioServer {
  readonly accountSid: string;
  readonly authToken: string;
  readonly calls: FakeCall[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly messages: FakeMessage[] = [];
  private rules: Rule[] = [];
  private messageRules: Rule[] = [];
  private server: Server | null = null;
  url = '';
  /** Initial status of created calls. */
  createdStatus = 'queued';

  constructor(opts: { accountSid?: string; authToken?: string } = {}) {
    this.accountSid = opts.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    this.authToken = opts.authToken ?? randomBytes(16).toString('hex');
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ code: 20500, message: String(err), status: 500 }));
      });
    });
    this.server.keepAliveTimeout = 60000;
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await closeServer(this.server);
    this.server = null;
  }

  /** The next `times` dials (to `to`, or any number) get `action`. Rules are checked in order. */
  script(action: DialAction, opts: { to?: string; times?: number } = {}): void {
    this.rules.push({ to: opts.to, times: opts.times ?? 1, action });
  }

  /** The next `times` send-message requests (to `to`, or any number) get `action`. */
  scriptMessage(action: DialAction, opts: { to?: string; times?: number } = {}): void {
    this.messageRules.push({ to: opts.to, times: opts.times ?? 1, action });
  }

  clearScripts(): void {
    this.rules = [];
    this.messageRules = [];
  }

  reset(): void {
    this.rules = [];
    this.messageRules = [];
    this.calls.length = 0;
    this.messages.length = 0;
    this.requests.length = 0;
  }

  /** Send-message requests that reached the fake (including those answered with an error). */
  messageRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/Messages\.json$/.test(r.path));
  }

  /** Create-call requests that reached the fake (including those answered with an error). */
  dialRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/Calls\.json$/.test(r.path));
  }

  /** Calls actually created, per To number. */
  dialsPerTo(): Map<string, number> {
    const m = new Map<string, number>();
    for (const c of this.calls) m.set(c.to, (m.get(c.to) ?? 0) + 1);
    return m;
  }

  duplicateDials(): number {
    let d = 0;
    for (const n of this.dialsPerTo().values()) if (n > 1) d += n - 1;
    return d;
  }

  /** Created calls per calendar second (epoch second -> count). */
  dialsPerSecond(): Map<number, number> {
    const m = new Map<number, number>();
    for (const c of this.calls) {
      const s = Math.floor(c.dateCreated.getTime() / 1000);
      m.set(s, (m.get(s) ?? 0) + 1);
    }
    return m;
  }

  /** The most calls created in any sliding one-second window. */
  busiestWindow(): number {
    return maxInWindow(this.calls.map((c) => c.dateCreated.getTime()));
  }

  /** Adds a call as if someone had dialed it (for reconciliation tests). */
  seedCall(c: Partial<FakeCall> & { to: string; from: string }): FakeCall {
    const call: FakeCall = {
      sid: `CA${randomBytes(16).toString('hex')}`,
      url: null,
      statusCallback: null,
      timeout: null,
      machineDetection: null,
      status: 'queued',
      dateCreated: new Date(),
      startTime: null,
      endTime: null,
      duration: null,
      answeredBy: null,
      ...c,
    };
    this.calls.push(call);
    return call;
  }

  setCallState(sid: string, patch: Partial<Pick<FakeCall, 'status' | 'startTime' | 'endTime' | 'duration' | 'answeredBy'>>): void {
    const c = this.calls.find((x) => x.sid === sid);
    if (!c) throw new Error(`fake twilio: no call ${sid}`);
    Object.assign(c, patch);
  }

  private body(c: FakeCall): Record<string, unknown> {
    return {
      sid: c.sid,
      date_created: rfc2822(c.dateCreated),
      date_updated: rfc2822(new Date()),
      parent_call_sid: null,
      account_sid: this.accountSid,
      to: c.to,
      to_formatted: c.to,
      from: c.from,
      from_formatted: c.from,
      phone_number_sid: null,
      status: c.status,
      start_time: rfc2822(c.startTime),
      end_time: rfc2822(c.endTime),
      duration: c.duration === null ? null : String(c.duration),
      price: null,
      price_unit: 'USD',
      direction: 'outbound-api',
      answered_by: c.answeredBy,
      api_version: '2010-04-01',
      forwarded_from: null,
      group_sid: null,
      caller_name: null,
      queue_time: '0',
      trunk_sid: null,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Calls/${c.sid}.json`,
      subresource_uris: {},
    };
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, code: number, message?: string): void {
    this.send(res, status, { code, message: message ?? ERROR_MESSAGES[code] ?? 'error', more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(u.searchParams.entries());
    const form = Object.fromEntries(new URLSearchParams(raw).entries());
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    const authorized = req.headers.authorization === expected;
    this.requests.push({ method: req.method ?? '', path: u.pathname, query, form, authorized, at: Date.now() });

    const base = `/2010-04-01/Accounts/${this.accountSid}`;
    if (!u.pathname.startsWith(`${base}/`)) return this.error(res, authorized ? 404 : 401, authorized ? 20404 : 20003);
    if (!authorized) return this.error(res, 401, 20003);

    if (u.pathname === `${base}/Messages.json` && req.method === 'POST') return this.createMessage(req, res, form);
    if (u.pathname === `${base}/Messages.json` && req.method === 'GET') return this.listMessages(res, query, base);
    const mm = /^\/Messages\/(SM[0-9a-f]{32})\.json$/.exec(u.pathname.slice(base.length));
    if (mm && req.method === 'GET') {
      const msg = this.messages.find((x) => x.sid === mm[1]);
      return msg ? this.send(res, 200, this.messageBody(msg)) : this.error(res, 404, 20404, `The requested resource ${u.pathname} was not found`);
    }
    if (u.pathname === `${base}/Calls.json` && req.method === 'POST') return this.create(req, res, form);
    if (u.pathname === `${base}/Calls.json` && req.method === 'GET') return this.list(res, query, base);
    const m = /^\/Calls\/(CA[0-9a-f]{32})\.json$/.exec(u.pathname.slice(base.length));
    if (m && req.method === 'GET') {
      const c = this.calls.find((x) => x.sid === m[1]);
      return c ? this.send(res, 200, this.body(c)) : this.error(res, 404, 20404, `The requested resource ${u.pathname} was not found`);
    }
    return this.error(res, 404, 20404, 'not found');
  }

  private takeRule(to: string, rules = this.rules): DialAction | null {
    const i = rules.findIndex((r) => r.times > 0 && (r.to === undefined || r.to === to));
    if (i < 0) return null;
    const r = rules[i];
    r.times -= 1;
    if (r.times <= 0) rules.splice(i, 1);
    return r.action;
  }

  private messageBody(m: FakeMessage): Record<string, unknown> {
    return {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body: m.body,
      date_created: rfc2822(m.dateCreated),
      date_sent: rfc2822(m.dateSent),
      date_updated: rfc2822(new Date()),
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: m.from,
      messaging_service_sid: m.messagingServiceSid,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil(m.body.length / 153))),
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${m.sid}/Media.json` },
      to: m.to,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${m.sid}.json`,
    };
  }

  private async createMessage(req: IncomingMessage, res: ServerResponse, form: Record<string, string>): Promise<void> {
    if (!form.To) return this.error(res, 400, 21604);
    if (!form.From && !form.MessagingServiceSid) return this.error(res, 400, 21603);
    if (!form.Body && !form.MediaUrl && !form.ContentSid) return this.error(res, 400, 21602);
    if (!/^\+[1-9]\d{6,14}$/.test(form.To)) return this.error(res, 400, 21211);
    const action = this.takeRule(form.To, this.messageRules);
    if (action?.kind === 'error') return this.error(res, action.status, action.code, action.message);
    if (action?.kind === 'drop-before') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'delay') await new Promise((r) => setTimeout(r, action.ms));
    const viaService = !!form.MessagingServiceSid;
    const msg: FakeMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to: form.To,
      // with a Messaging Service Twilio picks the sender later: no From yet
      from: viaService ? null : form.From,
      messagingServiceSid: form.MessagingServiceSid ?? null,
      body: form.Body ?? '',
      statusCallback: form.StatusCallback ?? null,
      status: viaService ? 'accepted' : 'queued',
      dateCreated: new Date(),
      dateSent: null,
    };
    this.messages.push(msg);
    if (action?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'slow-response') await new Promise((r) => setTimeout(r, action.ms));
    this.send(res, 201, this.messageBody(msg));
  }

  private listMessages(res: ServerResponse, q: Record<string, string>, base: string): void {
    let rows = [...this.messages].sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
    if (q.To) rows = rows.filter((m) => m.to === q.To);
    if (q.From) rows = rows.filter((m) => m.from === q.From);
    // DateSent filters with UTC-day precision; a message not sent yet has no date_sent and never matches
    const day = q['DateSent>'] ?? q.DateSent;
    if (day) rows = rows.filter((m) => m.dateSent !== null && m.dateSent.toISOString().slice(0, 10) >= day.slice(0, 10));
    const pageSize = Math.min(Number(q.PageSize ?? 50) || 50, 1000);
    const page = Number(q.Page ?? 0) || 0;
    const slice = rows.slice(page * pageSize, (page + 1) * pageSize);
    const params = new URLSearchParams(q);
    params.set('PageSize', String(pageSize));
    const uriFor = (p: number) => {
      params.set('Page', String(p));
      return `${base}/Messages.json?${params.toString()}`;
    };
    const hasNext = (page + 1) * pageSize < rows.length;
    this.send(res, 200, {
      messages: slice.map((m) => this.messageBody(m)),
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + slice.length - 1,
      uri: uriFor(page),
      first_page_uri: uriFor(0),
      next_page_uri: hasNext ? uriFor(page + 1) : null,
      previous_page_uri: page > 0 ? uriFor(page - 1) : null,
    });
  }

  private async create(req: IncomingMessage, res: ServerResponse, form: Record<string, string>): Promise<void> {
    if (!form.To) return this.error(res, 400, 21201, "No 'To' number is specified");
    if (!form.From) return this.error(res, 400, 21603, "A 'From' phone number is required.");
    if (!form.Url && !form.Twiml && !form.ApplicationSid) return this.error(res, 400, 21205, 'Url parameter is required.');
    if (!/^\+[1-9]\d{6,14}$/.test(form.To)) return this.error(res, 400, 21211);
    const action = this.takeRule(form.To);
    if (action?.kind === 'error') return this.error(res, action.status, action.code, action.message);
    if (action?.kind === 'drop-before') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'delay') await new Promise((r) => setTimeout(r, action.ms));
    const call: FakeCall = {
      sid: `CA${randomBytes(16).toString('hex')}`,
      to: form.To,
      from: form.From,
      url: form.Url ?? null,
      statusCallback: form.StatusCallback ?? null,
      timeout: form.Timeout ?? null,
      machineDetection: form.MachineDetection ?? null,
      status: this.createdStatus,
      dateCreated: new Date(),
      startTime: this.createdStatus === 'queued' ? null : new Date(),
      endTime: null,
      duration: null,
      answeredBy: null,
    };
    this.calls.push(call);
    if (action?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'slow-response') await new Promise((r) => setTimeout(r, action.ms));
    this.send(res, 201, this.body(call));
  }

  private list(res: ServerResponse, q: Record<string, string>, base: string): void {
    let rows = [...this.calls].sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
    if (q.To) rows = rows.filter((c) => c.to === q.To);
    if (q.From) rows = rows.filter((c) => c.from === q.From);
    if (q.Status) rows = rows.filter((c) => c.status === q.Status);
    const after = q['StartTime>'];
    if (after) {
      // Twilio applies these filters with UTC-day precision.
      const day = after.slice(0, 10);
      rows = rows.filter((c) => c.startTime !== null && c.startTime.toISOString().slice(0, 10) >= day);
    }
    const pageSize = Math.min(Number(q.PageSize ?? 50) || 50, 1000);
    const page = Number(q.Page ?? 0) || 0;
    const slice = rows.slice(page * pageSize, (page + 1) * pageSize);
    const params = new URLSearchParams(q);
    params.set('PageSize', String(pageSize));
    const uriFor = (p: number) => {
      params.set('Page', String(p));
      return `${base}/Calls.json?${params.toString()}`;
    };
    const hasNext = (page + 1) * pageSize < rows.length;
    this.send(res, 200, {
      calls: slice.map((c) => this.body(c)),
      page,
      page_size: pageSize,
      start: page * pageSize,
      end: page * pageSize + slice.length - 1,
      uri: uriFor(page),
      first_page_uri: uriFor(0),
      next_page_uri: hasNext ? uriFor(page + 1) : null,
      previous_page_uri: page > 0 ? uriFor(page - 1) : null,
    });
  }
}
