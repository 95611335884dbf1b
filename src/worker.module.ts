import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
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

/** The worker process: every processor; no port unless METRICS_PORT opts into the operator HTTP (OpsModule). */
@Module({
  imports: [CoreModule, DiscoveryModule, SchemaGuardModule, PmsSyncModule, CaseActionsModule, CollectionsModule, OpsModule],
  providers: [PmsSyncProcessor, CaseActionsProcessor, CollectionTickProcessor, AutomationMaintenanceProcessor, WorkerLifecycle],
})
export class WorkerModule {}
