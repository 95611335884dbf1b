/** Queue names are a wire contract with the API (docs/queue-contract.md). */
export const PMS_SYNC_QUEUE = 'pms-sync';
export const CASE_ACTIONS_QUEUE = 'case-actions';
/** The collections engine: one `tick` per 15-minute slot (the API's queue file names the worker as consumer). */
export const COLLECTION_TICK_QUEUE = 'collection-tick';
/** Hourly and daily maintenance syncs of every connected connection. */
export const AUTOMATION_MAINTENANCE_QUEUE = 'automation-maintenance';
export const QUEUE_NAMES = [PMS_SYNC_QUEUE, CASE_ACTIONS_QUEUE, COLLECTION_TICK_QUEUE, AUTOMATION_MAINTENANCE_QUEUE] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
