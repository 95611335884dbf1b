import { SharedContract1764300000000 } from './1764300000000-SharedContract';
import { SyncEngine1764300100000 } from './1764300100000-SyncEngine';
import { SchedulerIndexes1764300200000 } from './1764300200000-SchedulerIndexes';
import { PmsSoftwares1764300400000 } from './1764300400000-PmsSoftwares';

/** Every migration, in order. Add new ones at the end (timestamped class names). */
export const MIGRATIONS = [SharedContract1764300000000, SyncEngine1764300100000, SchedulerIndexes1764300200000, PmsSoftwares1764300400000];
