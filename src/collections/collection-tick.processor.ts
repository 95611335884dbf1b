import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DispatchingProcessor, HandlerMap } from '../queues/dispatching-processor';
import { JobMetrics } from '../queues/job-metrics';
import { COLLECTION_TICK_QUEUE } from '../queues/queue-names';
import { CollectionTickHandler } from './collection-tick.handler';

/** Registered by processorProvider(), which adds the queue's worker options for the booted environment. */
@Injectable()
export class CollectionTickProcessor extends DispatchingProcessor<typeof COLLECTION_TICK_QUEUE> {
  protected readonly queueName = COLLECTION_TICK_QUEUE;

  constructor(
    pino: PinoLogger,
    metrics: JobMetrics,
    private readonly handler: CollectionTickHandler,
  ) {
    super(pino, metrics);
  }

  protected handlers(): HandlerMap<typeof COLLECTION_TICK_QUEUE> {
    return {
      tick: (ctx) => this.handler.tick(ctx),
    };
  }
}
