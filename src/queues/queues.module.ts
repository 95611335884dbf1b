import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config.service';
import { AUTOMATION_MAINTENANCE_QUEUE, CASE_ACTIONS_QUEUE, COLLECTION_TICK_QUEUE, PMS_SYNC_QUEUE } from './queue-names';
import { bullConnection } from './redis-connection';
import { QueueProducer } from './queue-producer.service';

/** BullMQ connection from REDIS_URL (or REDIS_CLUSTER_NODES) with BULLMQ_PREFIX, every queue, and the producer. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: bullConnection({ REDIS_URL: config.get('REDIS_URL'), REDIS_CLUSTER_NODES: config.get('REDIS_CLUSTER_NODES') }),
        prefix: config.get('BULLMQ_PREFIX'),
      }),
    }),
    BullModule.registerQueue({ name: PMS_SYNC_QUEUE }, { name: CASE_ACTIONS_QUEUE }, { name: COLLECTION_TICK_QUEUE }, { name: AUTOMATION_MAINTENANCE_QUEUE }),
  ],
  providers: [QueueProducer],
  exports: [BullModule, QueueProducer],
})
export class QueuesModule {}
