#!/usr/bin/env node
import 'reflect-metadata';
import { buildProgram } from './cli/program';
import { exitCodeFor } from './cli/exit-codes';
import { CommanderError } from 'commander';

/** Operator commands (see `mordecai --help`). Exit codes: 0 ok, 1 failure, 2 usage, 78 bad configuration. */
buildProgram()
  .parseAsync(process.argv)
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err: Error) => {
    // commander has already printed its own usage errors and help
    if (!(err instanceof CommanderError)) console.error(`error: ${err.message}`);
    process.exit(exitCodeFor(err));
  });
