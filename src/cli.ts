#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { parseEnv } from './config/env.schema';
import { runMigrations } from './database/data-source';

/** Operator commands. Exit codes: 0 ok, 1 failure, 2 usage, 78 bad configuration. */
const program = new Command();
program.name('mordecai').description('Operator commands for mordecai-workers').showHelpAfterError();

program
  .command('migrate')
  .description('apply pending database migrations (safe to run again; safe on a database the API created)')
  .action(async () => {
    const env = parseEnv(process.env);
    const applied = await runMigrations(env);
    console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date');
  });

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`error: ${err.message}`);
  process.exit(err.name === 'ConfigValidationError' ? 78 : 1);
});
