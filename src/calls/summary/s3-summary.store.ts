import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { S3Client } from '@aws-sdk/client-s3';
import { AppConfig } from '../../config/app-config.service';

/** The summary object was not found: retried with backoff; the message names the key. */
export class SummaryNotFoundError extends Error {
  constructor(readonly location: string) {
    super(`call summary not found in S3: ${location}`);
    this.name = 'SummaryNotFoundError';
  }
}

export interface SummaryObject {
  bucket: string;
  key: string;
  etag: string | null;
  body: string;
}

export function summaryPrefix(callSid: string): string {
  return `twilio/calls/${callSid}/`;
}

/**
 * Reads call summaries with the official AWS SDK v3. S3_ENDPOINT (tests, MinIO) switches to
 * path-style addressing. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY when set,
 * else from the SDK's default chain (instance role, profile...).
 */
@Injectable()
export class S3SummaryStore implements OnApplicationShutdown {
  private client: S3Client | null = null;
  private sdkModule: typeof import('@aws-sdk/client-s3') | null = null;

  constructor(private readonly config: AppConfig) {}

  /** The AWS SDK is loaded when the first summary is read (~0.1 s of start-up most processes never need). */
  private get sdk(): typeof import('@aws-sdk/client-s3') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.sdkModule ??= require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
    return this.sdkModule;
  }

  private get s3(): S3Client {
    if (!this.client) {
      const endpoint = this.config.get('S3_ENDPOINT');
      const id = this.config.get('AWS_ACCESS_KEY_ID');
      const secret = this.config.get('AWS_SECRET_ACCESS_KEY');
      this.client = new this.sdk.S3Client({
        region: this.config.get('AWS_REGION'),
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
        ...(id && secret ? { credentials: { accessKeyId: id, secretAccessKey: secret } } : {}),
        maxAttempts: 2,
      });
    }
    return this.client;
  }

  get bucket(): string {
    return this.config.get('S3_BUCKET_NAME') as string;
  }

  /** The newest summary-*.json under twilio/calls/<callSid>/, or null. */
  async newestSummaryKey(callSid: string): Promise<string | null> {
    const prefix = summaryPrefix(callSid);
    let token: string | undefined;
    const keys: string[] = [];
    do {
      const page = await this.s3.send(new this.sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        if (o.Key && /\/summary-[^/]*\.json$/.test(o.Key)) keys.push(o.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // The timestamp in the name is ISO with ':' and '.' replaced by '-': lexical order is time order.
    keys.sort();
    return keys.length > 0 ? keys[keys.length - 1] : null;
  }

  async get(key: string): Promise<SummaryObject> {
    try {
      const out = await this.s3.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = out.Body ? await out.Body.transformToString('utf-8') : '';
      return { bucket: this.bucket, key, etag: out.ETag ?? null, body };
    } catch (err) {
      if (err instanceof this.sdk.S3ServiceException && (err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404)) {
        throw new SummaryNotFoundError(`s3://${this.bucket}/${key}`);
      }
      throw err;
    }
  }

  /**
   * Closed in onApplicationShutdown, after the worker's drain (beforeApplicationShutdown): a
   * SYNC_CALL_SUMMARY reading S3 when SIGTERM arrives must be able to finish its read.
   */
  onApplicationShutdown(): void {
    this.client?.destroy();
    this.client = null;
  }
}
