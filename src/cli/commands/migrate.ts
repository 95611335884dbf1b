import { MigrateOptions, runMigrations } from '../../database/data-source';
import { MissingApiTablesError } from '../../database/schema/schema-guard';
import { GlobalOptions, loadEnv } from '../context';
import { CommandFailed } from '../exit-codes';
import { checkPostgres } from '../preflight';

export async function migrate(opts: GlobalOptions, m: MigrateOptions = {}): Promise<void> {
  const env = loadEnv(opts);
  await checkPostgres(env);
  let r;
  try {
    r = await runMigrations(env, m);
  } catch (err) {
    if (err instanceof MissingApiTablesError) throw new CommandFailed(err.message);
    throw err;
  }
  if (r.apiSchemaBuilt) console.log(`built the Mordecai API's tables from its schema fixture (${m.apiSchema})`);
  console.log(r.applied.length ? `applied ${r.applied.length} migration(s): ${r.applied.join(', ')}` : 'database is up to date');
  if (r.indexes.built.length) console.log(`built ${r.indexes.built.length} index(es) on the API's tables: ${r.indexes.built.join(', ')}`);
  if (r.indexes.failed.length) {
    throw new CommandFailed(`could not build ${r.indexes.failed.length} index(es) on the API's tables: ${r.indexes.failed.map((f) => `${f.name} (${f.error})`).join('; ')}`);
  }
}
