import { prepareScratchDatabase } from '../../src/database/scratch-database';
import { adminClient, uniqueName } from './db';
import { TEMPLATE_DB_ENV, TEST_DB } from './env';

/** Creates one migrated template database per test run; each test file clones it. */
export default async function globalSetup(): Promise<void> {
  const admin = adminClient();
  await admin.connect();
  const name = uniqueName('mw_template');
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  await prepareScratchDatabase({ DB_HOST: TEST_DB.host, DB_PORT: TEST_DB.port, DB_NAME: name, DB_USER: TEST_DB.user, DB_PASSWORD: TEST_DB.password, DB_SSL: false, DB_POOL_SIZE: 2 });
  process.env[TEMPLATE_DB_ENV] = name;
}
