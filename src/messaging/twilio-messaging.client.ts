import { Injectable } from '@nestjs/common';
import type { Twilio } from 'twilio';
import { AppConfig } from '../config/app-config.service';
import { createSdk } from '../calls/twilio/twilio-voice.client';

/**
 * Twilio Messaging (Programmable SMS) through the official SDK, pointed at TWILIO_API_BASE_URL in
 * tests exactly like the voice client. The SDK's own 429 retry stays off: BullMQ owns retries.
 */

export interface SendSmsParams {
  to: string;
  body: string;
  /** a Messaging Service (preferred) or a From number */
  messagingServiceSid?: string;
  from?: string;
  statusCallback?: string;
}

export interface ProviderMessage {
  sid: string;
  status: string;
  to: string;
  from: string | null;
  body: string | null;
  dateCreated: Date | null;
  errorCode: number | null;
}

function toProviderMessage(m: { sid: string; status: string; to: string; from?: string | null; body?: string | null; dateCreated?: Date | null; errorCode?: number | null }): ProviderMessage {
  const date = m.dateCreated instanceof Date && !Number.isNaN(m.dateCreated.getTime()) ? m.dateCreated : null;
  return { sid: m.sid, status: m.status, to: m.to, from: m.from ?? null, body: m.body ?? null, dateCreated: date, errorCode: m.errorCode ?? null };
}

@Injectable()
export class TwilioMessagingClient {
  private client: Twilio | null = null;

  constructor(private readonly config: AppConfig) {}

  private get sdk(): Twilio {
    if (!this.client) {
      const sid = this.config.get('TWILIO_ACCOUNT_SID');
      const token = this.config.get('TWILIO_AUTH_TOKEN');
      if (!sid || !token) throw new Error('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required to send SMS');
      this.client = createSdk(sid, token, this.config.get('TWILIO_HTTP_TIMEOUT_MS'), this.config.get('TWILIO_API_BASE_URL'));
    }
    return this.client;
  }

  async send(p: SendSmsParams): Promise<ProviderMessage> {
    const m = await this.sdk.messages.create({
      to: p.to,
      body: p.body,
      ...(p.messagingServiceSid ? { messagingServiceSid: p.messagingServiceSid } : { from: p.from as string }),
      ...(p.statusCallback ? { statusCallback: p.statusCallback } : {}),
    });
    return toProviderMessage(m);
  }

  /**
   * Messages to `to` created at or after `since`. Used before sending again after an attempt whose
   * answer was lost: the caller matches the body. No DateSent filter: a message still queued at
   * Twilio has no date_sent yet and would be missed; the latest 100 messages to one debtor's number
   * reach far past any retry delay.
   */
  async findSentSince(to: string, since: Date): Promise<ProviderMessage[]> {
    const rows = await this.sdk.messages.list({ to, pageSize: 100, limit: 100 });
    return rows.map(toProviderMessage).filter((m) => (m.dateCreated ?? new Date(0)).getTime() >= since.getTime());
  }
}
