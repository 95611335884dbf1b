import { DataSource, EntityManager } from 'typeorm';

/** Where a statement runs: the data source's pool, or the transaction an EntityManager belongs to. */
export type Db = DataSource | EntityManager;

/** What one statement returned: its rows and the number of rows it read or wrote. */
export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/**
 * One statement with its rows and row count, whatever its verb. On Postgres `query()` answers the
 * rows of a SELECT or an INSERT, but `[rows, rowCount]` for an UPDATE or a DELETE, and no count
 * for anything else. Use this to read a row count or the RETURNING rows of an UPDATE or a DELETE;
 * `query()` for everything else (a SELECT, even one whose CTEs write, answers its rows).
 */
export async function execute<T = Record<string, any>>(db: Db, sql: string, params: unknown[] = []): Promise<SqlResult<T>> {
  const inTransaction = db instanceof EntityManager ? db.queryRunner : undefined;
  const runner = inTransaction ?? (db instanceof EntityManager ? db.dataSource : db).createQueryRunner();
  try {
    const r = await runner.query(sql, params, true);
    return { rows: (r.records ?? []) as T[], rowCount: r.affected ?? 0 };
  } finally {
    if (!inTransaction) await runner.release();
  }
}
