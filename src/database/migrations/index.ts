import { PmsSoftwares1764300400000 } from './1764300400000-PmsSoftwares';
import { WorkerOwnedState1765000000000 } from './1765000000000-WorkerOwnedState';

/**
 * Every migration, in order. Add new ones at the end (timestamped class names). Migrations create
 * only the workers' own tables and rows; indexes on the API's tables are ensured at every start by
 * the schema guard (the API's restart drops them).
 */
export const MIGRATIONS = [WorkerOwnedState1765000000000, PmsSoftwares1764300400000];
