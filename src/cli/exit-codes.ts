import { CommanderError } from 'commander';
import { ConfigValidationError } from '../config/env.schema';
import { CredentialsError } from '../common/credentials-crypto';

/**
 * Exit codes scripts can trust:
 *   0  ok
 *   1  failure (the command ran and something failed: a service unreachable, a job failed, a test failed)
 *   2  usage error (unknown command or option, missing or invalid argument, unknown id)
 *   78 bad configuration (EX_CONFIG: an invalid environment variable, a missing/invalid CREDENTIALS_ENCRYPTION_KEY)
 */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, CONFIG: 78 } as const;

/** A usage problem found after parsing (bad JSON, unknown id...): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the command already explained; exit 1 (or the code given). */
export class CommandFailed extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILURE,
  ) {
    super(message);
    this.name = 'CommandFailed';
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (err instanceof ConfigValidationError) return EXIT.CONFIG;
  if (err instanceof CredentialsError && (err.code === 'KEY_MISSING' || err.code === 'KEY_INVALID')) return EXIT.CONFIG;
  if (err instanceof UsageError) return EXIT.USAGE;
  if (err instanceof CommandFailed) return err.exitCode;
  return EXIT.FAILURE;
}
