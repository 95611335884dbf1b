import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { Worker } from 'bullmq';

/** The BullMQ workers of this process (found through Nest discovery, as WorkerLifecycle does). */
@Injectable()
export class WorkerHosts {
  constructor(private readonly discovery: DiscoveryService) {}

  workers(): Worker[] {
    return this.discovery
      .getProviders()
      .map((w) => w.instance as unknown)
      .filter((i): i is WorkerHost => i instanceof WorkerHost)
      .map((h) => {
        try {
          return h.worker;
        } catch {
          return undefined; // not initialised
        }
      })
      .filter((w): w is Worker => !!w);
  }
}
