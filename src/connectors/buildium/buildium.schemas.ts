import { z } from 'zod';

/**
 * Response shapes of the Buildium endpoints we call (docs/connectors.md). The page envelope is
 * strict (a bare JSON array of objects: anything else is an error naming endpoint, page and
 * field); items are loose objects whose fields the mapper normalizes, so one odd item never
 * fails a page. `itemProblems` reports what is wrong with an item, for the skip counters.
 */

const obj = z.looseObject({});
export const pageSchema = z.array(obj);

const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]);
const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);

export const tenantItem = z.looseObject({ Id: id });
export const leaseItem = z.looseObject({ Id: id, LeaseStatus: z.string().optional() });
export const rentalItem = z.looseObject({ Id: id });
export const unitItem = z.looseObject({ Id: id, PropertyId: id.nullable().optional() });
export const outstandingItem = z.looseObject({ LeaseId: id, TotalBalance: num });
export const transactionItem = z.looseObject({ Id: id, Date: z.string(), TotalAmount: num });

export type BuildiumItem = Record<string, unknown>;

export interface BuildiumPhone {
  Number?: string | null;
  Type?: string | null;
}

export interface BuildiumAddress {
  AddressLine1?: string | null;
  AddressLine2?: string | null;
  AddressLine3?: string | null;
  City?: string | null;
  State?: string | null;
  PostalCode?: string | null;
  Country?: string | null;
}
