import { Injectable } from '@nestjs/common';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { AppConfig } from '../config/app-config.service';

/**
 * Amazon SES v2 SendEmail through the official SDK. SES_ENDPOINT (tests) points it at a fake; the
 * credentials are AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY when set, else the SDK's default chain.
 * The SDK's own retries are off (maxAttempts 1): BullMQ owns retries, and a silent SDK retry after a
 * lost answer could send the email twice.
 */

export interface SendEmailParams {
  to: string;
  subject: string;
  text: string;
  html: string;
  tags: { name: string; value: string }[];
}

@Injectable()
export class SesEmailClient {
  private client: SESv2Client | null = null;

  constructor(private readonly config: AppConfig) {}

  region(): string | undefined {
    return this.config.get('SES_REGION') ?? this.config.get('AWS_REGION');
  }

  /** Loaded on first use: most processes never send an email. */
  private sdk(): { client: SESv2Client; SendEmailCommand: typeof import('@aws-sdk/client-sesv2').SendEmailCommand } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('@aws-sdk/client-sesv2') as typeof import('@aws-sdk/client-sesv2');
    if (!this.client) {
      const region = this.region();
      if (!region) throw new Error('SES_REGION or AWS_REGION is required to send email');
      const keyId = this.config.get('AWS_ACCESS_KEY_ID');
      const secret = this.config.get('AWS_SECRET_ACCESS_KEY');
      const endpoint = this.config.get('SES_ENDPOINT');
      const timeout = this.config.get('SES_HTTP_TIMEOUT_MS');
      this.client = new mod.SESv2Client({
        region,
        maxAttempts: 1,
        ...(endpoint ? { endpoint } : {}),
        ...(keyId && secret ? { credentials: { accessKeyId: keyId, secretAccessKey: secret } } : {}),
        requestHandler: { connectionTimeout: timeout, requestTimeout: timeout },
      });
    }
    return { client: this.client, SendEmailCommand: mod.SendEmailCommand };
  }

  async send(p: SendEmailParams): Promise<{ messageId: string }> {
    const { client, SendEmailCommand } = this.sdk();
    const replyTo = this.config.get('SES_REPLY_TO_EMAIL');
    const configSet = this.config.get('SES_CONFIGURATION_SET');
    const out = await client.send(
      new SendEmailCommand({
        FromEmailAddress: this.config.get('SES_FROM_EMAIL'),
        Destination: { ToAddresses: [p.to] },
        ...(replyTo ? { ReplyToAddresses: [replyTo] } : {}),
        ...(configSet ? { ConfigurationSetName: configSet } : {}),
        Content: {
          Simple: {
            Subject: { Data: p.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: p.text, Charset: 'UTF-8' }, Html: { Data: p.html, Charset: 'UTF-8' } },
          },
        },
        EmailTags: p.tags.map((t) => ({ Name: t.name, Value: t.value })),
      }),
    );
    // an answer without an id cannot be matched to a delivery: treated like a lost answer
    if (!out.MessageId) throw new Error('SES answered without a MessageId');
    return { messageId: out.MessageId };
  }
}
