import { Injectable, OnModuleDestroy } from '@nestjs/common';
import IORedis, { Cluster, Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config.service';
import { bullConnection } from '../../queues/redis-connection';

/**
 * TWILIO_CPS as a limit shared by every worker process: a slot scheduler in Redis (one key per
 * Twilio account under BULLMQ_PREFIX). Each dial reserves the next free slot, spaced 1/CPS apart
 * on Redis's clock, then sleeps until it. Spacing, not a token bucket: a bucket would allow a burst
 * of CPS calls at once and then a second burst at the edge of the next second; spaced slots can
 * never put more than CPS dials in any one-second window. Over the cap a dial waits, never fails.
 *
 * CPS_UTILIZATION keeps a small margin (4%) for network jitter between our clock and Twilio's.
 */
export const CPS_UTILIZATION = 0.96;

// KEYS[1] = slot key; ARGV[1] = interval in microseconds. Returns microseconds to wait.
const RESERVE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = last + interval
if slot < now then slot = now end
redis.call('SET', KEYS[1], string.format('%.0f', slot), 'PX', math.ceil(interval / 1000) + 60000)
return string.format('%.0f', slot - now)
`;

export interface CpsReservation {
  waitedMs: number;
}

@Injectable()
export class CpsLimiter implements OnModuleDestroy {
  private redis: Redis | Cluster | null = null;

  constructor(private readonly config: AppConfig) {}

  private client(): Redis | Cluster {
    if (!this.redis) {
      // Same Redis as the queues (a single key, so Cluster mode works too).
      const conn = bullConnection({ REDIS_URL: this.config.get('REDIS_URL'), REDIS_CLUSTER_NODES: this.config.get('REDIS_CLUSTER_NODES') });
      this.redis = conn instanceof Cluster ? conn : new IORedis(conn);
      this.redis.defineCommand('reserveCallSlot', { numberOfKeys: 1, lua: RESERVE_SLOT });
    }
    return this.redis;
  }

  key(): string {
    return `${this.config.get('BULLMQ_PREFIX')}:twilio-cps:${this.config.get('TWILIO_ACCOUNT_SID') ?? 'default'}`;
  }

  intervalMicros(): number {
    return Math.ceil(1_000_000 / (this.config.get('TWILIO_CPS') * CPS_UTILIZATION));
  }

  /** Reserves the next dial slot and waits for it. */
  async acquire(signal?: AbortSignal): Promise<CpsReservation> {
    const redis = this.client() as (Redis | Cluster) & { reserveCallSlot(key: string, interval: number): Promise<string> };
    const waitUs = Number(await redis.reserveCallSlot(this.key(), this.intervalMicros()));
    const waitedMs = waitUs / 1000;
    if (waitedMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, waitedMs);
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new Error('aborted while waiting for a call slot'));
        });
      });
    }
    return { waitedMs };
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => undefined);
  }
}
