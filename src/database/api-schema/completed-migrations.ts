import { QueryRunner } from 'typeorm';
import { apiSchemaSql } from './api-schema';

/**
 * A database made by the API's SQL migrations alone lacks 8 tables and 14 columns that the API's
 * own code (its models) uses, and the API's alter cannot run on it (it cannot cast between its two
 * ENUM namings). A team running the API that way must add them (the API's code needs them as much
 * as the workers do); this adds exactly those, as the models declare them, and leaves everything
 * the migrations made as it is: their ENUM type names, their VARCHAR + CHECK dispute columns, their
 * defaults. The result is the second schema the workers are tested on.
 *
 * Each statement of the models' dump runs under a savepoint: what already exists is kept (the
 * statement's error is ignored), a table that exists gets the columns it lacks.
 */
export async function completeMigrationsSchemaWithModels(runner: QueryRunner): Promise<{ tables: string[]; columns: string[] }> {
  const added = { tables: [] as string[], columns: [] as string[] };
  const statements = apiSchemaSql('models')
    .split(/;\s*\n/)
    .map((s) => s.replace(/^(\s*--.*\n)+/g, '').trim())
    .filter((s) => s.length > 0 && !s.startsWith('--'));
  await runner.startTransaction();
  try {
    for (const stmt of statements) {
      await runner.query('SAVEPOINT s');
      try {
        await runner.query(stmt);
        await runner.query('RELEASE SAVEPOINT s');
        const t = /^CREATE TABLE public\.(\w+) \(/.exec(stmt);
        if (t) added.tables.push(t[1]);
      } catch {
        await runner.query('ROLLBACK TO SAVEPOINT s');
        const t = /^CREATE TABLE public\.(\w+) \(\n([\s\S]*)\n\)$/.exec(stmt);
        if (t) added.columns.push(...(await addMissingColumns(runner, t[1], t[2])));
      }
    }
    await runner.commitTransaction();
  } catch (err) {
    await runner.rollbackTransaction();
    throw err;
  }
  return added;
}

async function addMissingColumns(runner: QueryRunner, table: string, body: string): Promise<string[]> {
  const have = new Set(
    ((await runner.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [table])) as { column_name: string }[]).map(
      (r) => r.column_name,
    ),
  );
  const out: string[] = [];
  for (const line of body.split('\n')) {
    const m = /^\s+("?)([a-z_][a-z0-9_]*)\1 (.+?),?$/.exec(line);
    if (!m || have.has(m[2]) || /^(CONSTRAINT|PRIMARY|UNIQUE|CHECK)$/i.test(m[2])) continue;
    await runner.query(`ALTER TABLE public.${table} ADD COLUMN ${m[1]}${m[2]}${m[1]} ${m[3]}`);
    out.push(`${table}.${m[2]}`);
  }
  return out;
}
