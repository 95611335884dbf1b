import { UnrecoverableError } from 'bullmq';

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

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
