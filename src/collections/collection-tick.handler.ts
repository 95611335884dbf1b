import { Injectable } from '@nestjs/common';
import { JobContext } from '../queues/job-context';
import { TickPayload } from '../queues/job-payloads';
import { QueueProducer } from '../queues/queue-producer.service';
import { CASE_ACTIONS_QUEUE } from '../queues/queue-names';
import { DataSource } from 'typeorm';
import { CollectionTickEngine, DEFAULT_TICK_OPTIONS, TickResult } from './collection-tick.engine';
import { collectionTickStats } from './collections-stats';

/** `tick` on collection-tick: one run of the engine; `at` (tests, CLI) sets the instant. */
@Injectable()
export class CollectionTickHandler {
  constructor(
    private readonly db: DataSource,
    private readonly producer: QueueProducer,
  ) {}

  engine(log?: JobContext<unknown>['log']): CollectionTickEngine {
    return new CollectionTickEngine(this.db, (actions) => this.producer.addBulk(CASE_ACTIONS_QUEUE, actions), DEFAULT_TICK_OPTIONS, log);
  }

  async tick(ctx: JobContext<TickPayload>): Promise<TickResult> {
    const now = ctx.data.at ? new Date(ctx.data.at) : new Date();
    const result = await this.engine(ctx.log).run(now);
    collectionTickStats.add(result);
    ctx.log.info(result, `collection tick: ${result.claimed} due state(s), ${result.dispatched} dispatched, ${result.claimed - result.dispatched} skipped`);
    return result;
  }
}
