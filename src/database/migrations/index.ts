import { SharedContract1764300000000 } from './1764300000000-SharedContract';

/** Every migration, in order. Add new ones at the end (timestamped class names). */
export const MIGRATIONS = [SharedContract1764300000000];
