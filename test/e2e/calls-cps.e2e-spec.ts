/**
 * The shared TWILIO_CPS limiter on real Redis: several limiter instances (as several worker
 * processes would hold) admit dials at no more than the cap in any sliding second, close to it.
 */
import { CpsLimiter } from '../../src/calls/twilio/cps-limiter';
import { AppConfig } from '../../src/config/app-config.service';
import { TEST_REDIS_URL } from '../utils/env';
import { cleanPrefix, testPrefix } from '../utils/queues';
import { maxInWindow } from '../utils/windows';

function limiter(prefix: string, cps: number): CpsLimiter {
  const values: Record<string, unknown> = { REDIS_URL: TEST_REDIS_URL, REDIS_CLUSTER_NODES: undefined, BULLMQ_PREFIX: prefix, TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32), TWILIO_CPS: cps };
  return new CpsLimiter({ get: (k: string) => values[k] } as unknown as AppConfig);
}

const prefix = testPrefix();
afterAll(() => cleanPrefix(prefix));

it('three limiters sharing TWILIO_CPS=20 admit <= 20 per sliding second and >= 85% of it', async () => {
  const ls = [limiter(prefix, 20), limiter(prefix, 20), limiter(prefix, 20)];
  const admitted: number[] = [];
  const N = 60;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      await ls[i % 3].acquire();
      admitted.push(Date.now());
    }),
  );
  const span = (Math.max(...admitted) - Math.min(...admitted)) / 1000;
  expect(maxInWindow(admitted)).toBeLessThanOrEqual(20);
  expect((N - 1) / span).toBeGreaterThanOrEqual(17);
  expect(Date.now() - t0).toBeLessThan(6000);
  for (const l of ls) await l.onApplicationShutdown();
});

it('over the cap a dial waits (it never fails)', async () => {
  const l = limiter(`${prefix}-b`, 1);
  const t0 = Date.now();
  await l.acquire();
  await l.acquire();
  expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  await l.onApplicationShutdown();
  await cleanPrefix(`${prefix}-b`);
});
