import { runMigrations } from '../../database/data-source';
import { GlobalOptions, loadEnv } from '../context';
import { checkPostgres } from '../preflight';

export async function migrate(opts: GlobalOptions): Promise<void> {
  const env = loadEnv(opts);
  await checkPostgres(env);
  const applied = await runMigrations(env);
  console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date');
}
