import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Env } from './config/env.schema';
import { CoreModule } from './core.module';
import { PmsSyncModule } from './pms-sync/pms-sync.module';
import { PmsSyncProcessor } from './pms-sync/pms-sync.processor';
import { CaseActionsModule } from './case-actions/case-actions.module';
import { CaseActionsProcessor } from './case-actions/case-actions.processor';
import { CollectionsModule } from './collections/collections.module';
import { CollectionTickProcessor } from './collections/collection-tick.processor';
import { AutomationMaintenanceProcessor } from './collections/automation-maintenance.processor';
import { WorkerLifecycle } from './worker-lifecycle.service';
import { OpsModule } from './ops/ops.module';
import { SchemaGuardModule } from './database/schema/schema-guard.module';
import { AUTOMATION_MAINTENANCE_QUEUE, CASE_ACTIONS_QUEUE, COLLECTION_TICK_QUEUE, PMS_SYNC_QUEUE } from './queues/queue-names';
import { processorProvider } from './queues/worker-settings';

/** The worker process: every processor; no port unless METRICS_PORT opts into the operator HTTP (OpsModule). */
@Module({})
export class WorkerModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot({ app: 'worker', env }), DiscoveryModule, SchemaGuardModule, PmsSyncModule, CaseActionsModule, CollectionsModule, OpsModule],
      providers: [
        processorProvider(PmsSyncProcessor, PMS_SYNC_QUEUE, env),
        processorProvider(CaseActionsProcessor, CASE_ACTIONS_QUEUE, env),
        processorProvider(CollectionTickProcessor, COLLECTION_TICK_QUEUE, env),
        processorProvider(AutomationMaintenanceProcessor, AUTOMATION_MAINTENANCE_QUEUE, env),
        WorkerLifecycle,
      ],
    };
  }
}
