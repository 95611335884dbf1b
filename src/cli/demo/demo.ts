import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NestFactory } from '@nestjs/core';
import { Env, parseEnv } from '../../config/env.schema';
import { prepareScratchDatabase } from '../../database/scratch-database';
import { QueueProducer } from '../../queues/queue-producer.service';
import { COLLECTION_TICK_QUEUE, PMS_SYNC_QUEUE } from '../../queues/queue-names';
import { deleteKeysWithPrefix, redisOptionsFromUrl } from '../../queues/redis-connection';
import { QueueNotQuiet, waitForQuiet } from '../../queues/quiescence';
import { AppProcess } from '../../common/app-process';
import { GlobalOptions, runSchedulerOnce } from '../context';
import { CommandFailed } from '../exit-codes';
import { checkPostgres, checkRedis, pgClientConfig } from '../preflight';
import { followJob } from '../progress';
import { heldByReason, plannedCalls } from '../schedule-report';
import { ConnectionCommands } from '../commands/connection.service';
import { DemoRepository } from './demo.repository';
import { renderDemoReport, DemoFacts } from './demo-report';
import { createDemoAutomation, exampleMessages, tickJobOutcomes } from './demo-automation';
import { DEMO_CLOCK_ENV, installDemoClock } from './demo-clock';
import { slotStart } from '../../collections/tick-decision';
import type { TickResult } from '../../collections/collection-tick.engine';
import { UsageError } from '../exit-codes';

/** Canonical tables whose row counts the report shows (the demo database holds only demo data). */
export const DEMO_TABLES = [
  'pms_portfolios',
  'pms_properties',
  'pms_units',
  'pms_debtors',
  'pms_debtor_contacts',
  'pms_leases',
  'ar_charges',
  'ar_payments',
  'ar_balances',
  'ar_lease_aging_snapshots',
  'ar_portfolio_aging_snapshots',
  'debtors',
  'debt_cases',
] as const;

export const DEMO_POLICIES = [
  { name: 'Early (1-30 days)', min: 1, max: 30, tone: 'friendly' },
  { name: 'Firm (31-60 days)', min: 31, max: 60, tone: 'firm' },
  { name: 'Final (61+ days)', min: 61, max: null, tone: 'formal' },
] as const;

export interface DemoOptions {
  keep?: boolean;
  leases: number;
  seed: number;
  timeout: number;
  liveCalls?: boolean;
  /** ISO instant the demo runs at (dry run only) */
  at?: string;
}

const DIST = path.resolve(__dirname, '../..');

function say(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

async function admin<T>(env: Env, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client(pgClientConfig(env, 'postgres'));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function deletePrefix(env: Env, prefix: string): Promise<void> {
  const redis = new IORedis({ ...redisOptionsFromUrl(env.REDIS_URL), maxRetriesPerRequest: 1 });
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** Whether the case actions all ran within the time: at the timeout the demo reports, it does not fail. */
async function caseActionsQuiet(producer: QueueProducer, timeoutMs: number): Promise<boolean> {
  try {
    await waitForQuiet(producer.caseActions, timeoutMs);
    return true;
  } catch (err) {
    if (err instanceof QueueNotQuiet) return false;
    throw err;
  }
}

function twilioConfigured(env: Env): boolean {
  return !!(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM_NUMBER && env.TWILIO_VOICE_URL && env.CALL_CONTEXT_HMAC_SECRET);
}

/**
 * `npm run demo`: its own database (mordecai_demo_<stamp>) and queue prefix on DB_* / REDIS_URL,
 * migrations, a demo tenant with three flow policies and a sandbox connection, the built worker as
 * a child process, sync-full-flow, the scheduler once, the (simulated) calls, then one automation
 * (strategy, stages with call, SMS and email, templates) ticked once with texts and emails simulated,
 * a report; then it stops its child, deletes its Redis keys and drops its database (unless --keep).
 * `--at` shifts the clocks of the demo, its worker and its scheduler to that instant (dry run only).
 */
export async function demo(o: DemoOptions, g: GlobalOptions): Promise<void> {
  if (o.at && o.liveCalls) {
    throw new UsageError('--at cannot be used with --live-calls: the shifted clock is for simulated calls, texts and emails only (a real call must happen at the real hour)');
  }
  const clockOffsetMs = o.at ? new Date(o.at).getTime() - Date.now() : 0;
  if (o.at) installDemoClock(clockOffsetMs);
  const started = Date.now();
  const deadline = started + o.timeout * 1000;
  const left = () => Math.max(1000, deadline - Date.now());
  const base = parseEnv(process.env);
  await checkPostgres(base, 'postgres');
  await checkRedis(base);

  const stamp = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(2).toString('hex')}`;
  const dbName = `mordecai_demo_${stamp}`;
  const prefix = `mordecai-demo-${stamp.replace('_', '-')}`;
  const live = !!o.liveCalls && twilioConfigured(base);
  const logDir = path.join(os.tmpdir(), `mordecai-demo-${stamp}`);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    LOG_LEVEL: g.verbose ? (process.env.LOG_LEVEL ?? 'info') : 'info',
    DB_NAME: dbName,
    BULLMQ_PREFIX: prefix,
    CREDENTIALS_ENCRYPTION_KEY: base.CREDENTIALS_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
    CALLS_DRY_RUN: live ? 'false' : 'true',
    TWILIO_VOICE_URL: live ? base.TWILIO_VOICE_URL : (base.TWILIO_VOICE_URL ?? 'https://voice.demo.invalid/twiml'),
    CALL_CONTEXT_HMAC_SECRET: live ? base.CALL_CONTEXT_HMAC_SECRET : randomBytes(32).toString('hex'),
    SCHEDULER_PER_TENANT_LIMIT: process.env.SCHEDULER_PER_TENANT_LIMIT ?? '25',
    TWILIO_CPS: live ? process.env.TWILIO_CPS : (process.env.TWILIO_CPS ?? '10'),
    SCHEDULER_INCLUDE_DEMO_CASES: 'false',
    // texts and emails are always simulated in the demo: rendered, checked and recorded, never sent
    MESSAGES_DRY_RUN: 'true',
    ...(o.at
      ? { [DEMO_CLOCK_ENV]: String(clockOffsetMs), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${path.join(DIST, 'cli/demo/demo-clock.js')}"`.trim() }
      : {}),
    METRICS_PORT: '',
    WORKER_SHUTDOWN_TIMEOUT_MS: '15000',
  };

  say(`Mordecai demo: sandbox PMS (seed ${o.seed}, ${o.leases} leases), ${live ? 'LIVE Twilio calls' : 'calls simulated (CALLS_DRY_RUN=true)'}`);
  say(`  database ${dbName} on ${base.DB_HOST}:${base.DB_PORT}, queue prefix ${prefix}`);
  const instant = new Date().toISOString();
  say(`  instant ${instant}${o.at ? " (--at: the clocks of the demo, its worker and its scheduler read this; Postgres's and Redis's do not)" : ' (the real clock)'}; texts and emails simulated (MESSAGES_DRY_RUN=true)`);

  let worker: AppProcess | undefined;
  let app: INestApplicationContext | undefined;
  let created = false;
  let ok = false;
  const cleanup = async () => {
    await worker?.stop(20000).catch(() => undefined);
    await app?.close().catch(() => undefined);
    if (!o.keep) await deletePrefix(base, prefix).catch(() => undefined);
    if (created && !o.keep) await admin(base, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch(() => undefined);
    if (ok && !o.keep) fs.rmSync(logDir, { recursive: true, force: true });
  };
  const onSignal = () => {
    say('\ninterrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await admin(base, (c) => c.query(`CREATE DATABASE "${dbName}"`));
    created = true;
    const env = parseEnv(childEnv as Record<string, string | undefined>);
    // The demo's database is empty: the API's tables are built from the API's own schema fixture.
    const migrations = await prepareScratchDatabase(env, 'models');
    say(`1. migrated: the API's schema from its fixture, then ${migrations.applied.length} migration(s) of ours`);

    // In-process Nest context on the demo database: the CLI's own services.
    const silent: Env = { ...env, LOG_LEVEL: 'silent' };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CliModule } = require('../cli.module') as typeof import('../cli.module');
    app = await NestFactory.createApplicationContext(CliModule.forRoot(silent, 'demo'), { logger: false, abortOnError: false });
    const demo = app.get(DemoRepository);
    const db = app.get(DataSource);
    const producer = app.get(QueueProducer);
    const tenantId = await demo.insertTenant('Demo Property Management', 'America/New_York', { demo: true });
    for (const p of DEMO_POLICIES) {
      await demo.insertPolicy(tenantId, { ...p, channels: { call: true, sms: false, email: false, whatsapp: false } });
    }
    const conn = await app.get(ConnectionCommands).add(tenantId, 'sandbox', { seed: o.seed, leases: o.leases });
    if (conn.status !== 'connected') throw new CommandFailed(`the sandbox connection test failed: ${conn.test.message}`);
    say(`2. tenant ${tenantId} with ${DEMO_POLICIES.length} flow policies; sandbox connection ${conn.id} (${conn.test.message})`);

    fs.mkdirSync(logDir);
    worker = new AppProcess(path.join(DIST, 'main-worker.js'), { label: 'worker', env: childEnv, logDir });
    await worker.waitForMsg('worker ready', Math.min(left(), 60000));
    say('3. worker started');

    const job = await producer.add(PMS_SYNC_QUEUE, 'sync-full-flow', { connectionId: conn.id, tenantId });
    const { job: done, state } = await followJob(producer.pmsSync, job.id!, { timeoutMs: left(), title: '4. sync-full-flow' });
    if (state !== 'completed') throw new CommandFailed(`sync-full-flow ${state}: ${done?.failedReason ?? 'see the worker log'}`);
    const syncMs = (done?.finishedOn ?? Date.now()) - (done?.processedOn ?? Date.now());
    // Postgres's now() is not shifted: the build set next_action_at at the real clock, which may be after --at
    if (o.at) await demo.dueAtInstant(tenantId, new Date().toISOString());

    const schedule = await runSchedulerOnce(silent, false, 'demo');
    const held = heldByReason(schedule);
    const planned = plannedCalls(schedule);
    say(`5. scheduler ran once: ${planned ?? '?'} call(s) enqueued, ${Object.values(held).reduce((a, b) => a + b, 0)} case(s) held back`);
    const quiet = await caseActionsQuiet(producer, left());
    say(`6. ${quiet ? 'calls processed' : 'calls still running at the timeout'}`);

    const auto = await createDemoAutomation(db, tenantId, conn.id, new Date());
    say(`7. automation ${auto.automationId} (strategy with 3 stages: call, SMS, email; templates): ${auto.enrolled} case(s) enrolled, ${auto.pendingApproval} awaiting approval`);
    const tickAt = new Date();
    const tickJob = await producer.add(COLLECTION_TICK_QUEUE, 'tick', { at: tickAt.toISOString() }, `demo-tick-${slotStart(tickAt)}`);
    const { job: ticked, state: tickState } = await followJob(producer.collectionTick, tickJob.id!, { timeoutMs: left(), title: '8. collection tick' });
    if (tickState !== 'completed') throw new CommandFailed(`collection tick ${tickState}: ${ticked?.failedReason ?? 'see the worker log'}`);
    const tick = ticked!.returnvalue as TickResult;
    const actionsQuiet = await caseActionsQuiet(producer, left());
    say(`9. ${actionsQuiet ? 'calls, texts and emails of the tick processed' : 'case actions still running at the timeout'}`);
    const examples = await exampleMessages(db, tenantId);

    const facts: DemoFacts = {
      options: { seed: o.seed, leases: o.leases, live },
      instant,
      instantShifted: !!o.at,
      dbName,
      kept: !!o.keep,
      rows: {},
      syncMs,
      aging: (await demo.latestAging(conn.id)) ?? null,
      leaseBuckets: await demo.leaseBuckets(conn.id),
      cases: await demo.casesByPolicy(tenantId),
      riskTiers: await demo.leasesByRiskTier(conn.id),
      calls: await demo.callsByStatus(tenantId),
      planned,
      heldBySchedule: held,
      heldInDb: Object.fromEntries((await demo.heldByRule(tenantId)).map((r) => [r.reason, r.n])),
      heldTotalCapped: schedule.calls.selected >= env.SCHEDULER_PER_TENANT_LIMIT ? env.SCHEDULER_PER_TENANT_LIMIT : undefined,
      automation: {
        ...auto,
        tick: { at: tick.at, claimed: tick.claimed, dispatched: tick.dispatched, jobs: tick.jobs, skipped: tick.skipped },
        channels: await tickJobOutcomes(producer.caseActions, slotStart(tickAt)),
        exampleSms: examples.sms,
        exampleEmailSubject: examples.emailSubject,
        exampleEmailOptOut: examples.emailOptOut,
      },
      totalMs: 0,
    };
    for (const t of DEMO_TABLES) facts.rows[t] = await demo.rowCount(t);
    facts.totalMs = Date.now() - started;
    say('');
    say(renderDemoReport(facts));
    ok = true;
  } catch (err) {
    say(`demo failed: ${(err as Error).message}`);
    if (worker?.logFile) say(`worker log: ${worker.logFile}`);
    throw err instanceof CommandFailed ? err : new CommandFailed((err as Error).message);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanup();
    if (ok) say(o.keep ? `kept: DB_NAME=${dbName} BULLMQ_PREFIX=${prefix} (try: DB_NAME=${dbName} BULLMQ_PREFIX=${prefix} npx mordecai status); logs: ${logDir}` : `cleaned up: database ${dbName} dropped, queue prefix ${prefix} deleted`);
  }
}
