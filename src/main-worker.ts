import { bootstrap } from './bootstrap';
import { WorkerModule } from './worker.module';

void bootstrap('worker', WorkerModule);
