import { Processor } from '@nestjs/bullmq';
import { PinoLogger } from 'nestjs-pino';
import { DispatchingProcessor } from '../queues/dispatching-processor';
import { JobMetrics } from '../queues/job-metrics';
import { COLLECTION_TICK_QUEUE } from '../queues/queue-names';
import { workerOptionsFor } from '../queues/worker-settings';
import { CollectionTickHandler } from './collection-tick.handler';

@Processor(COLLECTION_TICK_QUEUE, workerOptionsFor(COLLECTION_TICK_QUEUE))
export class CollectionTickProcessor extends DispatchingProcessor<typeof COLLECTION_TICK_QUEUE> {
  protected readonly queueName = COLLECTION_TICK_QUEUE;

  constructor(
    pino: PinoLogger,
    metrics: JobMetrics,
    private readonly handler: CollectionTickHandler,
  ) {
    super(pino, metrics);
  }

  protected handlers() {
    return {
      tick: (ctx: any) => this.handler.tick(ctx),
    };
  }
}
