import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { randomBytes } from 'crypto';
import { closeServer, listenOnLoopback } from './fake-http';

/**
 * A fake Amazon SES v2 API on 127.0.0.1 (real HTTP, restJson1 as AWS serves it) for the official
 * @aws-sdk/client-sesv2 pointed at it through SES_ENDPOINT.
 *
 *   POST /v2/email/outbound-emails   SendEmail: JSON {FromEmailAddress, Destination:{ToAddresses},
 *                                    Content:{Simple:{Subject:{Data}, Body:{Text?:{Data}, Html?:{Data}}}}}
 *                                    -> 200 {MessageId}
 *
 * Errors as AWS sends them: the `x-amzn-ErrorType` header names the error, the JSON body is
 * {message}. A request without a SigV4 Authorization header (AWS4-HMAC-SHA256 with the expected
 * access key id) gets 403 UnrecognizedClientException. Sending rate: at most `maxPerSecond` sends in
 * any second, above that 429 TooManyRequestsException ("Maximum sending rate exceeded."), as SES.
 */

export interface SentEmail {
  messageId: string;
  from: string;
  to: string[];
  replyTo: string[];
  subject: string;
  text: string | null;
  html: string | null;
  tags: { Name: string; Value: string }[];
  configurationSet: string | null;
  at: Date;
}

export interface SesRequest {
  method: string;
  path: string;
  /** SigV4 Authorization header present, for the expected access key */
  signed: boolean;
  /** region of the SigV4 credential scope */
  region: string | null;
  body: unknown;
  status: number;
  at: number;
}

export type SesAction =
  | { kind: 'error'; status: number; type: string; message?: string }
  /** accept (the email is "sent"), then destroy the socket without answering */
  | { kind: 'drop' }
  /** destroy the socket without sending anything */
  | { kind: 'drop-before' }
  | { kind: 'delay'; ms: number };

interface Rule {
  to?: string;
  times: number;
  action: SesAction;
}

const MESSAGES: Record<string, string> = {
  TooManyRequestsException: 'Maximum sending rate exceeded.',
  MessageRejected: 'Email address is not verified. The following identities failed the check in region US-EAST-1: billing@example.test',
  AccountSuspendedException: 'Your account has been suspended.',
  MailFromDomainNotVerifiedException: 'The MAIL FROM domain is not verified.',
  SendingPausedException: 'Sending is paused for this account.',
  BadRequestException: 'Illegal address',
  InternalFailure: 'The request processing has failed because of an unknown error, exception or failure.',
};

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export class FakeSesServer {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sent: SentEmail[] = [];
  readonly requests: SesRequest[] = [];
  /** sends allowed in any one-second window (0 = no limit) */
  maxPerSecond = 0;
  private rules: Rule[] = [];
  private server: Server | null = null;
  url = '';

  constructor(opts: { accessKeyId?: string; secretAccessKey?: string } = {}) {
    this.accessKeyId = opts.accessKeyId ?? `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
    this.secretAccessKey = opts.secretAccessKey ?? randomBytes(20).toString('base64');
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => this.error(res, 500, 'InternalFailure', String(err)));
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

  /** The next `times` SendEmail requests (to `to`, or to anyone) get `action`. */
  script(action: SesAction, opts: { to?: string; times?: number } = {}): void {
    this.rules.push({ to: opts.to, times: opts.times ?? 1, action });
  }

  reset(): void {
    this.rules = [];
    this.sent.length = 0;
    this.requests.length = 0;
    this.maxPerSecond = 0;
  }

  /** SendEmail requests that reached the fake (including those answered with an error). */
  sendRequests(): SesRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v2/email/outbound-emails');
  }

  private reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'x-amzn-requestid': randomBytes(16).toString('hex'), ...headers });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, type: string, message?: string): void {
    const rec = (res as ServerResponse & { record?: SesRequest }).record;
    if (rec) rec.status = status;
    this.reply(res, status, { message: message ?? MESSAGES[type] ?? type }, { 'x-amzn-errortype': type });
  }

  private takeRule(to: string[]): SesAction | null {
    const i = this.rules.findIndex((r) => r.times > 0 && (r.to === undefined || to.includes(r.to)));
    if (i < 0) return null;
    const r = this.rules[i];
    r.times -= 1;
    if (r.times <= 0) this.rules.splice(i, 1);
    return r.action;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const auth = String(req.headers.authorization ?? '');
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/ses\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/.exec(auth);
    const signed = !!m && m[1] === this.accessKeyId;
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const rec: SesRequest = { method: req.method ?? '', path, signed, region: m?.[2] ?? null, body, status: 200, at: Date.now() };
    this.requests.push(rec);
    (res as ServerResponse & { record?: SesRequest }).record = rec;

    if (!signed) return this.error(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (path !== '/v2/email/outbound-emails' || req.method !== 'POST') return this.error(res, 404, 'NotFoundException', `no route for ${req.method} ${path}`);
    if (!body || typeof body !== 'object') return this.error(res, 400, 'BadRequestException', 'Request body is not valid JSON');

    const b = body as {
      FromEmailAddress?: string;
      Destination?: { ToAddresses?: string[] };
      ReplyToAddresses?: string[];
      Content?: { Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } } } };
      EmailTags?: { Name: string; Value: string }[];
      ConfigurationSetName?: string;
    };
    const to = b.Destination?.ToAddresses ?? [];
    const simple = b.Content?.Simple;
    if (!b.FromEmailAddress) return this.error(res, 400, 'BadRequestException', 'FromEmailAddress is required');
    if (to.length === 0) return this.error(res, 400, 'BadRequestException', 'Destination.ToAddresses must contain at least one address');
    const bad = to.find((a) => !ADDRESS.test(a));
    if (bad !== undefined) return this.error(res, 400, 'BadRequestException', `Illegal address: recipient address is not valid`);
    if (!simple?.Subject?.Data) return this.error(res, 400, 'BadRequestException', 'Content.Simple.Subject.Data is required');
    if (!simple.Body?.Text?.Data && !simple.Body?.Html?.Data) return this.error(res, 400, 'BadRequestException', 'Content.Simple.Body needs Text or Html');
    for (const t of b.EmailTags ?? []) {
      if (!/^[A-Za-z0-9_-]{1,256}$/.test(t.Name) || !/^[A-Za-z0-9_.@-]{0,256}$/.test(t.Value)) return this.error(res, 400, 'BadRequestException', `Invalid tag ${t.Name}`);
    }

    const action = this.takeRule(to);
    if (action?.kind === 'error') return this.error(res, action.status, action.type, action.message);
    if (action?.kind === 'drop-before') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'delay') await new Promise((r) => setTimeout(r, action.ms));
    if (this.maxPerSecond > 0) {
      const since = Date.now() - 1000;
      if (this.sent.filter((s) => s.at.getTime() > since).length >= this.maxPerSecond) return this.error(res, 429, 'TooManyRequestsException');
    }

    const messageId = `0100${randomBytes(8).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(6).toString('hex')}-000000`;
    this.sent.push({
      messageId,
      from: b.FromEmailAddress,
      to,
      replyTo: b.ReplyToAddresses ?? [],
      subject: simple.Subject.Data,
      text: simple.Body?.Text?.Data ?? null,
      html: simple.Body?.Html?.Data ?? null,
      tags: b.EmailTags ?? [],
      configurationSet: b.ConfigurationSetName ?? null,
      at: new Date(),
    });
    if (action?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    this.reply(res, 200, { MessageId: messageId });
  }
}
