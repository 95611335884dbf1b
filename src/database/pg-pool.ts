import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * pg's pool behind the data source (one pool per process). Only for the collections tick engine,
 * which is still written against pg's Pool; everything else runs its SQL through the data source.
 */
export function pgPoolOf(ds: DataSource): Pool {
  return (ds.driver as PostgresDriver).master as Pool;
}
