import { Cluster } from 'ioredis';
import { ConfigValidationError, parseEnv } from '../../src/config/env.schema';
import { bullConnection } from '../../src/queues/redis-connection';

describe('Redis Cluster configuration (REDIS_CLUSTER_NODES)', () => {
  it('is off by default: plain ioredis options from REDIS_URL', () => {
    const env = parseEnv({ REDIS_URL: 'redis://10.0.0.1:6380' });
    expect(env.REDIS_CLUSTER_NODES).toBeUndefined();
    const c = bullConnection(env);
    expect(c).not.toBeInstanceOf(Cluster);
    expect(c).toMatchObject({ host: '10.0.0.1', port: 6380, maxRetriesPerRequest: null });
  });

  it('parses the node list and requires a hash-tagged BULLMQ_PREFIX', () => {
    expect(() => parseEnv({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' })).toThrow(ConfigValidationError);
    try {
      parseEnv({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', BULLMQ_PREFIX: 'mordecai' });
      throw new Error('no error');
    } catch (err) {
      expect((err as ConfigValidationError).problems.join('\n')).toMatch(/BULLMQ_PREFIX: must carry a Redis Cluster hash tag/);
    }
    const env = parseEnv({ REDIS_CLUSTER_NODES: ' 127.0.0.1:7000, redis://node-b:7001 ', BULLMQ_PREFIX: '{mordecai}' });
    expect(env.REDIS_CLUSTER_NODES).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: 'node-b', port: 7001 },
    ]);
  });

  it('rejects a malformed node', () => {
    expect(() => parseEnv({ REDIS_CLUSTER_NODES: '127.0.0.1', BULLMQ_PREFIX: '{m}' })).toThrow(/host:port/);
    expect(() => parseEnv({ REDIS_CLUSTER_NODES: 'a:99999', BULLMQ_PREFIX: '{m}' })).toThrow(/host:port/);
  });

  it('builds an ioredis Cluster with the password and TLS of REDIS_URL', async () => {
    const env = parseEnv({ REDIS_URL: 'rediss://:s3cret@ignored:6379', REDIS_CLUSTER_NODES: '127.0.0.1:1', BULLMQ_PREFIX: '{m}' });
    const c = bullConnection(env) as Cluster;
    try {
      expect(c).toBeInstanceOf(Cluster);
      expect(c.options.redisOptions).toMatchObject({ password: 's3cret', maxRetriesPerRequest: null });
      expect(c.options.redisOptions?.tls).toBeDefined();
    } finally {
      c.disconnect();
    }
  });
});
