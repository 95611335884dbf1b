import { bootstrap } from './bootstrap';

// The module is loaded only after the environment is validated (a bad config exits at once).
void bootstrap('worker', (env) => import('./worker.module').then((m) => m.WorkerModule.forRoot(env)));
