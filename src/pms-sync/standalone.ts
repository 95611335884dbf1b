import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { Env, parseEnv } from '../config/env.schema';
import { ConnectionLoader } from '../connectors/connection-loader';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { PmsConnector } from '../connectors/connector.types';
import { SandboxConnector } from '../connectors/sandbox/sandbox.connector';
import { AgingService } from './aging.service';
import { CasesService } from './cases.service';
import { PagePipeline } from './page-pipeline';
import { PostPullPhases } from './post-pull.phases';
import { SyncRunner } from './sync-runner.service';
import { SyncRunsRepository } from './sync-runs.repository';

/**
 * The sync engine without Nest, over an initialized data source: used by the benchmark and by
 * in-process tests (which may give their own connectors). The worker uses the same classes
 * through PmsSyncModule.
 */
export function createStandaloneSync(db: DataSource, env: Record<string, string | undefined> = {}, connectors: PmsConnector[] = [new SandboxConnector()]) {
  const parsed: Env = parseEnv(env);
  const config = { get: (k: keyof Env) => parsed[k], env: parsed } as unknown as AppConfig;
  const registry = new ConnectorRegistry(connectors);
  const connections = new ConnectionLoader(db, config, registry);
  const aging = new AgingService();
  const cases = new CasesService(db);
  const runs = new SyncRunsRepository(db);
  const pipeline = new PagePipeline(db, config, runs);
  const phases = new PostPullPhases(db, aging, cases, runs);
  const runner = new SyncRunner(config, connections, runs, pipeline, phases);
  return { runner, cases, aging, db, registry, connections };
}
