import { UnrecoverableError } from 'bullmq';

/*
 * What a handler throws says what happens to its job; DispatchingProcessor acts on it in one place:
 * - PermanentJobError: it can never succeed as given. Failed now, no retry (BullMQ's UnrecoverableError).
 * - RetryLaterError: not a failure. The job waits in the delayed set for the given time and runs
 *   again without using an attempt (a busy connection, a worker shutting down).
 * - TransientError, or any other error: an attempt is used and BullMQ retries with the job's backoff
 *   while attempts are left.
 * Classifications of a vendor's answers (Twilio's, a PMS's) stay with their clients; the handler
 * turns them into one of these.
 */

/** A job that can never succeed as given (bad payload, wrong tenant, missing config): no retry. */
export class PermanentJobError extends UnrecoverableError {
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export class UnrecoverableConfigError extends PermanentJobError {
  constructor(message: string) {
    super(message);
    this.name = 'UnrecoverableConfigError';
  }
}

/** An outside system failed in a way worth retrying (timeouts, 429, 5xx). */
export class TransientError extends Error {
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'TransientError';
  }
}

/** The job should run again after `delayMs` without using an attempt; `message` says why it waits. */
export class RetryLaterError extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
