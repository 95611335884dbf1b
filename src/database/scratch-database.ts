import { DataSource } from 'typeorm';
import { ensureSandboxSoftware } from '../connectors/sandbox/sandbox-software';
import { ApiSchemaVariant } from './api-schema/api-schema';
import { dataSourceOptions, MigrateResult, runMigrations } from './data-source';

type DbEnv = Parameters<typeof dataSourceOptions>[0];

/**
 * An empty database made ready the way the demo, the tests, the benchmarks and the chaos scripts
 * need it: the Mordecai API's schema built from its fixture (the variant asked for), our
 * migrations, our indexes on the API's tables, and the sandbox software row.
 */
export async function prepareScratchDatabase(env: DbEnv, variant: ApiSchemaVariant = apiSchemaVariantFromEnv()): Promise<MigrateResult> {
  const result = await runMigrations(env, { apiSchema: variant });
  const ds = new DataSource({ ...dataSourceOptions(env, 'mordecai-workers-setup'), extra: { max: 1 } });
  await ds.initialize();
  try {
    await ensureSandboxSoftware(ds);
  } finally {
    await ds.destroy();
  }
  return result;
}

/** MW_API_SCHEMA picks the API schema variant of scratch databases (default: the models'). */
export function apiSchemaVariantFromEnv(env: NodeJS.ProcessEnv = process.env): ApiSchemaVariant {
  const v = env.MW_API_SCHEMA ?? 'models';
  if (v !== 'models' && v !== 'migrations') throw new Error(`MW_API_SCHEMA must be "models" or "migrations", got "${v}"`);
  return v;
}
