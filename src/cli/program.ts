import { Command, InvalidArgumentError, Option } from 'commander';
import { GlobalOptions } from './context';

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The command tree. Every action module is required lazily, so `--help` (of any command) loads
 * commander only: no Nest, no database, no Redis.
 */

export const EXIT_CODES_HELP = `
Exit codes:
  0   ok
  1   failure (a service unreachable, a connection test or a job failed)
  2   usage error (unknown command/option, invalid argument, unknown id)
  78  bad configuration (invalid environment variable, missing/invalid CREDENTIALS_ENCRYPTION_KEY)

Configuration comes from the environment (DB_*, REDIS_URL, BULLMQ_PREFIX, CREDENTIALS_ENCRYPTION_KEY, ...),
the same variables the worker reads.`;

const SOFTWARES = ['buildium', 'rentvine', 'sandbox'];
const QUEUES = ['pms-sync', 'case-actions'];

function uuidArg(what: string) {
  return (v: string) => {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) throw new InvalidArgumentError(`${what} must be a UUID`);
    return v;
  };
}

function positiveInt(v: string) {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a positive integer');
  return Number(v);
}

/** `--at`: an ISO 8601 instant with its zone (Z or an offset), so that it names one moment everywhere. */
export function isoInstantArg(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new InvalidArgumentError(`"${v}" is not an ISO 8601 instant with a zone, e.g. 2026-12-01T17:00:00Z`);
  }
  return new Date(v).toISOString();
}

function stepsArg(value: string, previous: string[] = []): string[] {
  const { SYNC_STEPS } = require('../queues/job-payloads') as typeof import('../queues/job-payloads');
  const steps = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of steps) {
    if (!(SYNC_STEPS as readonly string[]).includes(s)) throw new InvalidArgumentError(`unknown step "${s}" (steps: ${SYNC_STEPS.join(', ')})`);
  }
  return [...previous, ...steps];
}

function jsonObjectArg(v: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new InvalidArgumentError('must be a JSON object, e.g. \'{"clientId":"...","clientSecret":"..."}\'');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('must be a JSON object');
  return parsed as Record<string, unknown>;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mordecai')
    .description('Operator commands for mordecai-workers (PMS sync, collections calls)')
    .option('-v, --verbose', 'show the application logs (JSON) besides the command output')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });

  const g = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;

  program
    .command('migrate')
    .description('Prepare the database: create the workers\' own tables and ensure their indexes on the API\'s tables (idempotent)')
    .addOption(
      new Option('--with-api-schema [variant]', 'on a database that has none of the Mordecai API\'s tables, first build them from the API\'s schema fixture (demo and tests)')
        .choices(['models', 'migrations'])
        .preset('models'),
    )
    .action(async (o: { withApiSchema?: 'models' | 'migrations' }, cmd: Command) =>
      (require('./commands/migrate') as typeof import('./commands/migrate')).migrate(g(cmd), { apiSchema: o.withApiSchema }),
    );

  const connection = program.command('connection').description('PMS connections: add, test, list');
  connection
    .command('add')
    .description('encrypt and store PMS credentials for a tenant after testing them; prints the connection id')
    .requiredOption('--tenant <id>', 'tenant id (tenants.id)', uuidArg('--tenant'))
    .addOption(new Option('--software <key>', 'the PMS').choices(SOFTWARES).makeOptionMandatory())
    .requiredOption('--credentials <json>', 'credentials as JSON: buildium {"clientId","clientSecret"}, rentvine {"account","accessKey","secret"}, sandbox {"seed","leases"}', jsonObjectArg)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nThe credentials are tested first. A failed test still saves the connection, with status "error" and\n' +
        'last_error, prints its id and exits 1 (fix the credentials and run `connection add` again: one connection\n' +
        'per tenant and software, so adding again updates it, or `connection test <id>`).',
    )
    .action(async (o, cmd: Command) => (require('./commands/connection') as typeof import('./commands/connection')).add(o, g(cmd)));
  connection
    .command('test')
    .description('decrypt the stored credentials, test them against the PMS, record the result (exit 1 if it fails)')
    .argument('<id>', 'connection id', uuidArg('connection id'))
    .option('--json', 'print the result as JSON')
    .action(async (id: string, o, cmd: Command) => (require('./commands/connection') as typeof import('./commands/connection')).test(id, o, g(cmd)));
  connection
    .command('list')
    .description('list PMS connections with their status and last sync')
    .option('--tenant <id>', 'only this tenant', uuidArg('--tenant'))
    .option('--json', 'print as JSON')
    .action(async (o, cmd: Command) => (require('./commands/connection') as typeof import('./commands/connection')).list(o, g(cmd)));

  program
    .command('sync')
    .description('enqueue a manual sync of a connection, exactly as the API does')
    .argument('<connectionId>', 'connection id', uuidArg('connection id'))
    .option('--steps <steps>', 'only these steps, comma-separated or repeated: debtors_leases, charges, payments, balances_aging', stepsArg)
    .option('--wait', 'wait for the job, with a progress bar, and print the run summary (exit 1 if it fails)')
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds', positiveInt, 1800)
    .option('--json', 'print the result as JSON')
    .action(async (id: string, o, cmd: Command) => (require('./commands/sync') as typeof import('./commands/sync')).sync(id, o, g(cmd)));

  program
    .command('call')
    .description("enqueue an on-demand call of a debt case (the API's CALL_CASE job)")
    .argument('<caseId>', 'debt case id', uuidArg('case id'))
    .option('--json', 'print the result as JSON')
    .action(async (id: string, o, cmd: Command) => (require('./commands/call') as typeof import('./commands/call')).call(id, o, g(cmd)));

  program
    .command('schedule')
    .description('run the call scheduler once and print its report (which cases it would call, which it holds and why)')
    .option('--dry-run', 'plan only: enqueue nothing and change nothing')
    .option('--json', 'print the raw JSON report')
    .action(async (o, cmd: Command) => (require('./commands/schedule') as typeof import('./commands/schedule')).schedule(o, g(cmd)));

  program
    .command('status')
    .description('queue counts of both queues, the last sync run of every connection, failed jobs with their reasons')
    .option('--failed <n>', 'how many failed jobs to list per queue', positiveInt, 10)
    .option('--json', 'print as JSON')
    .action(async (o, cmd: Command) => (require('./commands/status') as typeof import('./commands/status')).status(o, g(cmd)));

  program
    .command('retry-failed')
    .description('move failed jobs back to waiting (all, or only one queue / job name)')
    .addOption(new Option('--queue <name>', 'only this queue').choices(QUEUES))
    .option('--name <jobName>', 'only jobs with this name (e.g. sync, CALL_CASE)')
    .option('--json', 'print as JSON')
    .action(async (o, cmd: Command) => (require('./commands/retry-failed') as typeof import('./commands/retry-failed')).retryFailed(o, g(cmd)));

  program
    .command('demo')
    .description('one-command demo: own database and queue prefix, sandbox data, worker + scheduler, a short report')
    .option('--keep', 'keep the demo database (it is dropped by default)')
    .option('--leases <n>', 'sandbox leases to generate', positiveInt, 1000)
    .option('--seed <n>', 'sandbox seed', positiveInt, 7)
    .option('--timeout <seconds>', 'give up after this many seconds', positiveInt, 300)
    .option('--live-calls', 'place real Twilio calls when Twilio is configured (default: calls are simulated, CALLS_DRY_RUN=true)')
    .option('--at <instant>', "run as if it were this instant (ISO 8601 with a zone, e.g. 2026-12-01T17:00:00Z): the worker's and scheduler's clocks are shifted, so calls, texts and emails are seen at any hour; dry run only", isoInstantArg)
    .addHelpText('after', '\nUses DB_* (it creates and drops its own database mordecai_demo_<stamp>; DB_NAME is ignored) and REDIS_URL\n(its own queue prefix mordecai-demo-<stamp>); never touches other data. Needs a build (npm run demo builds first).')
    .action(async (o, cmd: Command) => (require('./demo/demo') as typeof import('./demo/demo')).demo(o, g(cmd)));

  for (const c of [program, ...program.commands, ...connection.commands]) {
    c.exitOverride().configureOutput({ outputError: (str, write) => write(str) });
  }
  return program;
}
