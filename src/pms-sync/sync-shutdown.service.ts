import { Injectable, OnModuleDestroy } from '@nestjs/common';

/**
 * Aborts running syncs when the application closes. Nest calls onModuleDestroy before
 * beforeApplicationShutdown, where the worker drains its queues: a sync sees the signal at its next
 * page boundary, stops there (everything before it committed with its checkpoint) and its job is
 * put back in the queue, so the drain does not wait for a whole sync and the next worker resumes it.
 */
@Injectable()
export class SyncShutdown implements OnModuleDestroy {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  onModuleDestroy(): void {
    this.controller.abort();
  }
}
