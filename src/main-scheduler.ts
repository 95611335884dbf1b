import { bootstrap } from './bootstrap';
import { SchedulerAppModule } from './scheduler-app.module';

void bootstrap('scheduler', SchedulerAppModule);
