import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import IORedis, { Cluster } from 'ioredis';
import { Queue } from 'bullmq';
import { log, onCleanup, sleep, tmpDir, waitUntil } from './harness';
import { redisOptionsFromUrl } from '../../../src/queues/redis-connection';

/** A free TCP port on 127.0.0.1 (cluster nodes also need port+10000 free). */
export async function freePort(needBus = false): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    if (!needBus) return port;
    if (port + 10000 < 65535 && (await isFree(port + 10000))) return port;
  }
  throw new Error('no free port found');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** One redis-server of our own (never the machine's shared one), restartable on the same port. */
export class OwnRedis {
  private child?: ChildProcess;
  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly cluster = false,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** No periodic persistence; the snapshot is written only by SHUTDOWN SAVE in restart(). */
  private args(): string[] {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', this.dir];
    args.push('--dbfilename', `dump-${this.port}.rdb`, '--loglevel', 'warning');
    if (this.cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${this.port}.conf`, '--cluster-node-timeout', '3000');
    return args;
  }

  async dbsize(): Promise<number> {
    const c = new IORedis(this.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined);
    try {
      return await c.dbsize();
    } finally {
      c.disconnect();
    }
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', this.args(), { stdio: ['ignore', 'ignore', 'pipe'] });
    const child = this.child;
    child.stderr?.on('data', (b: Buffer) => log(`redis ${this.port}: ${b.toString().trim()}`));
    await waitUntil(`redis on ${this.port}`, () => this.ping(), 10000, 100);
    log(`redis ${this.port} up (pid ${child.pid})`);
  }

  async ping(): Promise<boolean> {
    const c = new IORedis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return (await c.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      c.disconnect();
    }
  }

  /** Hard stop (SIGKILL): every connection drops at once, as in a crash. Data is lost (no persistence). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(5000)]);
  }

  /**
   * Restart with the data kept: SHUTDOWN with a snapshot, then start on the same port loading it,
   * so the restart tests reconnection, not data loss (which no Redis setup without persistence
   * could survive).
   */
  async restart(downMs = 1000): Promise<void> {
    const c = new IORedis(this.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined);
    const child = this.child!;
    const exited = new Promise((r) => child.once('exit', r));
    const keys = await c.dbsize();
    await c.call('SHUTDOWN', 'SAVE').catch(() => undefined);
    c.disconnect();
    await Promise.race([exited, sleep(10000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sleep(downMs);
    this.child = spawn('redis-server', this.args(), { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitUntil(`redis on ${this.port} after restart`, () => this.ping(), 10000, 100);
    const after = await this.dbsize();
    if (keys > 0 && after === 0) throw new Error(`redis ${this.port} came back empty (had ${keys} keys): the snapshot was not reloaded`);
    log(`redis ${this.port} restarted: ${keys} keys before, ${after} after`);
  }
}

/** What a scenario needs from Redis: env for the child processes and a BullMQ connection for itself. */
export interface RedisBackend {
  kind: 'single' | 'cluster';
  prefix: string;
  env: Record<string, string>;
  queue(name: string): Queue;
  client(): IORedis | Cluster;
  restart(): Promise<void>;
}

export async function startSingleRedis(prefix: string): Promise<RedisBackend & { server: OwnRedis }> {
  const dir = tmpDir('redis');
  const server = new OwnRedis(await freePort(), dir);
  await server.start();
  onCleanup(`redis ${server.port}`, () => server.kill());
  const opened: { close(): Promise<unknown> }[] = [];
  onCleanup('redis clients', async () => {
    await Promise.all(opened.map((o) => o.close().catch(() => undefined)));
  });
  return {
    kind: 'single',
    prefix,
    server,
    env: { REDIS_URL: server.url, BULLMQ_PREFIX: prefix },
    queue(name) {
      const q = new Queue(name, { connection: redisOptionsFromUrl(server.url), prefix });
      q.on('error', () => undefined);
      opened.push(q);
      return q;
    },
    client() {
      const c = new IORedis(redisOptionsFromUrl(server.url));
      c.on('error', () => undefined);
      opened.push({ close: async () => c.disconnect() });
      return c;
    },
    restart: () => server.restart(),
  };
}

/** Three masters, no replicas, started locally: `redis-cli --cluster create`. */
export async function startRedisCluster(prefix: string): Promise<RedisBackend & { servers: OwnRedis[] }> {
  if (!/\{[^{}]+\}/.test(prefix)) throw new Error(`cluster prefix needs a hash tag: ${prefix}`);
  const dir = tmpDir('cluster');
  const servers: OwnRedis[] = [];
  for (let i = 0; i < 3; i++) {
    const s = new OwnRedis(await freePort(true), dir, true);
    await s.start();
    onCleanup(`cluster node ${s.port}`, () => s.kill());
    servers.push(s);
  }
  const res = spawnSync('redis-cli', ['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', '0', '--cluster-yes'], {
    encoding: 'utf8',
    timeout: 30000,
  });
  if (res.status !== 0) throw new Error(`redis-cli --cluster create failed: ${res.stderr || res.stdout}`);
  await waitUntil(
    'cluster_state:ok on every node',
    async () => {
      for (const s of servers) {
        const out = spawnSync('redis-cli', ['-p', String(s.port), 'cluster', 'info'], { encoding: 'utf8', timeout: 5000 }).stdout ?? '';
        if (!out.includes('cluster_state:ok')) return false;
      }
      return true;
    },
    20000,
    250,
  );
  const nodes = servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
  const opened: { close(): Promise<unknown> }[] = [];
  onCleanup('cluster clients', async () => {
    await Promise.all(opened.map((o) => o.close().catch(() => undefined)));
  });
  const newCluster = () => {
    const c = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null }, dnsLookup: (a, cb) => cb(null, a) });
    c.on('error', () => undefined);
    return c;
  };
  log(`cluster up on ${servers.map((s) => s.port).join(',')} (${path.basename(dir)})`);
  return {
    kind: 'cluster',
    prefix,
    servers,
    env: { REDIS_URL: servers[0].url, REDIS_CLUSTER_NODES: nodes.map((n) => `${n.host}:${n.port}`).join(','), BULLMQ_PREFIX: prefix },
    queue(name) {
      const q = new Queue(name, { connection: newCluster(), prefix });
      q.on('error', () => undefined);
      opened.push(q);
      return q;
    },
    client() {
      const c = newCluster();
      opened.push({ close: async () => c.disconnect() });
      return c;
    },
    async restart() {
      for (const s of servers) await s.restart();
    },
  };
}

/** The backend a scenario runs on: CHAOS_REDIS=cluster selects the three-node cluster. */
export async function startBackend(label: string): Promise<RedisBackend> {
  const rnd = Math.random().toString(36).slice(2, 8);
  if (process.env.CHAOS_REDIS === 'cluster') return startRedisCluster(`{mwc-${label}-${rnd}}`);
  return startSingleRedis(`mwc-${label}-${rnd}`);
}
