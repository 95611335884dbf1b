import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { closeServer, listenOnLoopback } from './fake-http';
import { createHash, randomBytes } from 'crypto';

/**
 * A minimal path-style S3 on 127.0.0.1 for @aws-sdk/client-s3 (endpoint + forcePathStyle):
 * PUT/GET/HEAD object, ListObjectsV2 by prefix, NoSuchKey / NoSuchBucket XML errors. It requires a
 * SigV4 Authorization header (presence and access key id; the signature itself is not verified)
 * and records every request.
 */

interface StoredObject {
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
}

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  query: Record<string, string>;
  signed: boolean;
  at: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Decodes an aws-chunked body (SDK streaming uploads with trailing checksums). */
function decodeAwsChunked(buf: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(buf.subarray(i, eol).toString('latin1').split(';')[0], 16);
    if (!size) break;
    out.push(buf.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

export class FakeS3Server {
  readonly objects = new Map<string, StoredObject>(); // "<bucket>/<key>"
  readonly buckets = new Set<string>();
  readonly requests: S3Request[] = [];
  /** "<bucket>/<key>" -> ms a GET of that object waits before answering (a slow read). */
  readonly slowGets = new Map<string, number>();
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  private server: Server | null = null;
  url = '';

  constructor(opts: { buckets?: string[]; accessKeyId?: string; secretAccessKey?: string } = {}) {
    for (const b of opts.buckets ?? []) this.buckets.add(b);
    this.accessKeyId = opts.accessKeyId ?? 'AKIAFAKE' + randomBytes(6).toString('hex').toUpperCase();
    this.secretAccessKey = opts.secretAccessKey ?? randomBytes(20).toString('hex');
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => this.xmlError(res, 500, 'InternalError', String(err)));
    });
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await closeServer(this.server);
    this.server = null;
  }

  put(bucket: string, key: string, body: string | Buffer, lastModified = new Date()): string {
    this.buckets.add(bucket);
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const etag = `"${createHash('md5').update(buf).digest('hex')}"`;
    this.objects.set(`${bucket}/${key}`, { body: buf, etag, lastModified, contentType: 'application/json' });
    return etag;
  }

  /** GET object requests seen for a key. */
  gets(bucket: string, key: string): S3Request[] {
    return this.requests.filter((r) => r.method === 'GET' && r.bucket === bucket && r.key === key);
  }

  private xmlError(res: ServerResponse, status: number, code: string, message: string, extra = ''): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message>${extra}<RequestId>${randomBytes(8).toString('hex')}</RequestId></Error>`;
    res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Buffer = Buffer.concat(chunks);
    const u = new URL(req.url ?? '/', 'http://fake');
    const [, bucket = '', ...rest] = u.pathname.split('/');
    const key = rest.map((p) => decodeURIComponent(p)).join('/');
    const query = Object.fromEntries(u.searchParams.entries());
    const auth = String(req.headers.authorization ?? '');
    const signed = auth.startsWith(`AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/`) && typeof req.headers['x-amz-date'] === 'string';
    this.requests.push({ method: req.method ?? '', bucket, key, query, signed, at: Date.now() });
    if (!signed) return this.xmlError(res, 403, 'AccessDenied', 'missing or foreign SigV4 signature');
    if (!this.buckets.has(bucket)) return this.xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `<BucketName>${esc(bucket)}</BucketName>`);

    if (req.method === 'PUT' && key) {
      if (String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) body = decodeAwsChunked(body);
      const etag = this.put(bucket, key, body);
      res.writeHead(200, { etag });
      res.end();
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && key) {
      const o = this.objects.get(`${bucket}/${key}`);
      if (!o) {
        if (req.method === 'HEAD') {
          res.writeHead(404);
          res.end();
          return;
        }
        return this.xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${esc(key)}</Key>`);
      }
      const slowMs = req.method === 'GET' ? this.slowGets.get(`${bucket}/${key}`) : undefined;
      if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
      res.writeHead(200, {
        'content-type': o.contentType,
        'content-length': o.body.length,
        etag: o.etag,
        'last-modified': o.lastModified.toUTCString(),
      });
      res.end(req.method === 'HEAD' ? undefined : o.body);
      return;
    }
    if (req.method === 'GET' && !key && query['list-type'] === '2') {
      const prefix = query.prefix ?? '';
      const max = Math.min(Number(query['max-keys'] ?? 1000) || 1000, 1000);
      const all = [...this.objects.entries()]
        .filter(([k]) => k.startsWith(`${bucket}/${prefix}`))
        .map(([k, o]) => ({ key: k.slice(bucket.length + 1), o }))
        .sort((a, b) => (a.key < b.key ? -1 : 1));
      const start = query['continuation-token'] ? Number(Buffer.from(query['continuation-token'], 'base64').toString()) : 0;
      const page = all.slice(start, start + max);
      const truncated = start + max < all.length;
      const contents = page
        .map((x) => `<Contents><Key>${esc(x.key)}</Key><LastModified>${x.o.lastModified.toISOString()}</LastModified><ETag>${esc(x.o.etag)}</ETag><Size>${x.o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
        .join('');
      const next = truncated ? `<NextContinuationToken>${Buffer.from(String(start + max)).toString('base64')}</NextContinuationToken>` : '';
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${esc(bucket)}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
      return;
    }
    return this.xmlError(res, 400, 'NotImplemented', `fake S3 does not implement ${req.method} ${u.pathname}`);
  }
}
