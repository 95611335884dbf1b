import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import IORedis, { Cluster, Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config.service';
import { bullConnection } from '../../queues/redis-connection';

/**
 * TWILIO_CPS as a limit shared by every worker process, in Redis (keys under BULLMQ_PREFIX, one
 * set per Twilio account). Over the cap a dial waits; it never fails.
 *
 * Two parts, both on Redis's clock:
 *  1. Slots: each dial reserves the next free slot, spaced 1/(CPS x CPS_UTILIZATION) apart, and
 *     sleeps until it. Spacing, not a token bucket: a bucket lets CPS calls go at once and another
 *     CPS at the edge of the next second; slots spread them evenly, and a dial that is slow to get
 *     going does not hold up the next one (its slot was already booked).
 *  2. A hard cap: on waking, the dial is admitted only if fewer than 93% of CPS dials were admitted in the
 *     last 1000 ms (a sliding log) and none in the last half slot; else it waits. This keeps the cap
 *     even when an overloaded host wakes several sleepers late at the same moment.
 * CPS_UTILIZATION and CPS_HARD_CAP_SHARE (93% each) leave a margin for the jitter between our
 * admission and the moment Twilio receives the request (a loaded host sends in small bursts).
 */
export const CPS_UTILIZATION = 0.93;
/** Share of TWILIO_CPS the hard cap admits per sliding second (margin for send jitter). */
export const CPS_HARD_CAP_SHARE = 0.93;

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

// KEYS[1] = admission log (sorted set); ARGV[1] = cap per second; ARGV[2] = unique member;
// ARGV[3] = member to drop first (a late admission being given back) or ''; ARGV[4] = minimum gap
// between two admissions, microseconds (so sleepers woken together after a stall do not go at once).
// Returns {0, now} when admitted, else {microseconds until the oldest admission leaves the window, now}.
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
if ARGV[3] ~= '' then redis.call('ZREM', KEYS[1], ARGV[3]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - 1000000))
local n = redis.call('ZCARD', KEYS[1])
local newest = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if newest[2] and now - tonumber(newest[2]) < tonumber(ARGV[4]) then
  return {string.format('%.0f', tonumber(newest[2]) + tonumber(ARGV[4]) - now), string.format('%.0f', now)}
end
if n < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[2])
  redis.call('PEXPIRE', KEYS[1], 2000)
  return {0, string.format('%.0f', now)}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {string.format('%.0f', tonumber(oldest[2]) + 1000000 - now + 1), string.format('%.0f', now)}
`;

/**
 * An admission whose round trip took longer than this (a descheduled process reads several replies
 * at once) is given back and taken again, so late dials do not leave in a burst.
 */
export const LATE_ADMISSION_MS = 20;
/** Bound on give-backs (never reached in practice: a round trip under 20 ms ends the loop). */
const MAX_READMISSIONS = 1000;

export interface CpsReservation {
  waitedMs: number;
}

@Injectable()
export class CpsLimiter implements OnApplicationShutdown {
  private redis: Redis | Cluster | null = null;

  constructor(private readonly config: AppConfig) {}

  private client(): Redis | Cluster {
    if (!this.redis) {
      // Same Redis as the queues (a single key, so Cluster mode works too).
      const conn = bullConnection({ REDIS_URL: this.config.get('REDIS_URL'), REDIS_CLUSTER_NODES: this.config.get('REDIS_CLUSTER_NODES') });
      this.redis = conn instanceof Cluster ? conn : new IORedis(conn);
      this.redis.defineCommand('reserveCallSlot', { numberOfKeys: 1, lua: RESERVE_SLOT });
      this.redis.defineCommand('admitCall', { numberOfKeys: 1, lua: ADMIT });
    }
    return this.redis;
  }

  key(): string {
    return `${this.config.get('BULLMQ_PREFIX')}:twilio-cps:${this.config.get('TWILIO_ACCOUNT_SID') ?? 'default'}`;
  }

  intervalMicros(): number {
    return Math.ceil(1_000_000 / (this.config.get('TWILIO_CPS') * CPS_UTILIZATION));
  }

  hardCap(): number {
    return Math.max(1, Math.floor(this.config.get('TWILIO_CPS') * CPS_HARD_CAP_SHARE));
  }

  /** Reserves the next dial slot, waits for it, then waits until the per-second cap admits the dial. */
  async acquire(signal?: AbortSignal): Promise<CpsReservation> {
    const started = Date.now();
    const redis = this.client() as (Redis | Cluster) & {
      reserveCallSlot(key: string, interval: number): Promise<string>;
      admitCall(key: string, cap: number, member: string, drop: string, minGapUs: number): Promise<[string | number, string]>;
    };
    const key = this.key();
    await sleep(Number(await redis.reserveCallSlot(key, this.intervalMicros())) / 1000, signal);
    const base = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    let drop = '';
    for (let attempt = 0; ; attempt++) {
      const member = `${base}:${attempt}`;
      const sentAt = Date.now();
      const [wait] = await redis.admitCall(`${key}:admitted`, this.hardCap(), member, drop, Math.floor(this.intervalMicros() / 2));
      const waitUs = Number(wait);
      if (waitUs > 0) {
        drop = '';
        await sleep(waitUs / 1000, signal);
        continue;
      }
      // Redis admitted us somewhere inside this round trip: a slow one means we may act on the
      // admission late (and together with others): give it back and take a fresh one.
      if (Date.now() - sentAt > LATE_ADMISSION_MS && attempt < MAX_READMISSIONS) {
        drop = member;
        continue;
      }
      break;
    }
    return { waitedMs: Date.now() - started };
  }

  /**
   * Closed in onApplicationShutdown, after the worker's drain (beforeApplicationShutdown): a CALL_CASE
   * still waiting for its slot when SIGTERM arrives must be able to finish. onModuleDestroy runs
   * before the drain and would fail it with "Connection is closed".
   */
  async onApplicationShutdown(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    if (redis) await redis.quit().catch(() => undefined);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!(ms > 0)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted while waiting for a call slot'));
    });
  });
}
