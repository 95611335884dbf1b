import { z } from 'zod';

/**
 * Rentvine response envelopes (docs/connectors.md). Pages are bare JSON arrays (as observed in a real response); `{data: [...]}`
 * is accepted defensively (some clients report it). Anything else is an error naming endpoint,
 * page and field. Items are loose: mixed types are normalized in http/normalize.ts.
 */
const obj = z.looseObject({});
export const pageSchema = z.union([z.array(obj), z.looseObject({ data: z.array(obj) })]).transform((v) => (Array.isArray(v) ? v : v.data));

export type RentvineItem = Record<string, unknown>;

export interface RentvineTenant {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  isActive?: number | string | boolean | null;
  contactID?: number | string | null;
}

export interface RentvineUnpaidCharge {
  transactionID?: number | string;
  amount?: number | string;
  amountPaid?: number | string;
  datePosted?: string;
  accountName?: string;
  description?: string;
  isRent?: number | string;
  isOverdue?: number | string;
}
