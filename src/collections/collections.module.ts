import { Module } from '@nestjs/common';
import { PmsSyncModule } from '../pms-sync/pms-sync.module';
import { AutomationMaintenanceHandler } from './automation-maintenance.handler';
import { CollectionTickHandler } from './collection-tick.handler';

/** The collections engine: the tick and the maintenance syncs (processors are registered by the worker). */
@Module({
  imports: [PmsSyncModule],
  providers: [CollectionTickHandler, AutomationMaintenanceHandler],
  exports: [CollectionTickHandler, AutomationMaintenanceHandler],
})
export class CollectionsModule {}
