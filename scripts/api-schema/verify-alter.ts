/**
 * Checks simulateApiAlter against the real thing: a database made from the `models` fixture plus
 * API_ALTER_PROBE_SQL is copied twice; the API's own loader (DB_SYNC_MODE=alter, run from a
 * checkout through load-api-schema.mjs) alters one copy, simulateApiAlter the other; then the two
 * schemas are compared line by line (schemaLines). Exit code 1 when they differ.
 *   npx tsx scripts/api-schema/verify-alter.ts [API_CHECKOUT]   (default $API_CHECKOUT or /tmp/api)
 */
import { execFile } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { promisify } from 'util';
import { Client } from 'pg';
import { apiSchemaSql } from '../../src/database/api-schema/api-schema';
import { API_ALTER_PROBE_SQL, schemaLines, simulateApiAlter } from '../../test/utils/api-alter';
import { adminClient, dropDatabase, uniqueName } from '../../test/utils/db';
import { TEST_DB } from '../../test/utils/env';

const checkout = resolve(process.argv[2] ?? process.env.API_CHECKOUT ?? '/tmp/api');

async function withClient<T>(database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...TEST_DB, database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function runApiLoader(database: string): Promise<void> {
  // An empty working directory: the API also reads ./.env for keys missing from the environment.
  const cwd = mkdtempSync(join(tmpdir(), 'api-loader-'));
  try {
    await promisify(execFile)(process.execPath, [join(__dirname, 'load-api-schema.mjs'), checkout], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'development',
        DB_ENABLED: 'true',
        DB_SYNC_MODE: 'alter',
        DB_SSL: 'false',
        DB_NAME: database,
        DB_HOST: TEST_DB.host,
        DB_PORT: String(TEST_DB.port),
        DB_USER: TEST_DB.user,
        DB_PASSWORD: TEST_DB.password || 'x',
      },
      maxBuffer: 64 * 1024 * 1024,
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const base = uniqueName('mw_test_alterbase');
  const real = uniqueName('mw_test_alterreal');
  const simulated = uniqueName('mw_test_altersim');
  const admin = adminClient();
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${base}"`);
    await withClient(base, async (c) => {
      await c.query(apiSchemaSql('models'));
      await c.query(API_ALTER_PROBE_SQL);
    });
    await admin.query(`CREATE DATABASE "${real}" TEMPLATE "${base}"`);
    await admin.query(`CREATE DATABASE "${simulated}" TEMPLATE "${base}"`);
    await admin.end();

    const before = await withClient(base, schemaLines);
    const startedReal = Date.now();
    await runApiLoader(real);
    const realMs = Date.now() - startedReal;
    const startedSim = Date.now();
    const report = await simulateApiAlter(simulated, 'models');
    const simMs = Date.now() - startedSim;

    const realLines = await withClient(real, schemaLines);
    const simLines = await withClient(simulated, schemaLines);
    const onlyReal = realLines.filter((l) => !simLines.includes(l));
    const onlySim = simLines.filter((l) => !realLines.includes(l));
    console.log(`schema lines: before ${before.length}, real alter ${realLines.length}, simulated ${simLines.length}`);
    console.log(`changed by the real alter: ${before.filter((l) => !realLines.includes(l)).length} lines gone, ${realLines.filter((l) => !before.includes(l)).length} new`);
    console.log(`time: real loader ${realMs} ms, simulateApiAlter ${simMs} ms`);
    console.log('simulateApiAlter report:', JSON.stringify(report, null, 2));
    if (onlyReal.length === 0 && onlySim.length === 0) {
      console.log('MATCH: the simulated schema equals the real alter result');
      return 0;
    }
    console.log('DIFFERENT\nonly after the real alter:\n  ' + onlyReal.join('\n  ') + '\nonly after the simulation:\n  ' + onlySim.join('\n  '));
    return 1;
  } finally {
    await admin.end().catch(() => undefined);
    for (const db of [base, real, simulated]) await dropDatabase(db);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
