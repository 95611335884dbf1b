/** Queue names are a wire contract with the API (queue-contract.md). */
export const PMS_SYNC_QUEUE = 'pms-sync';
export const CASE_ACTIONS_QUEUE = 'case-actions';
export const QUEUE_NAMES = [PMS_SYNC_QUEUE, CASE_ACTIONS_QUEUE] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
