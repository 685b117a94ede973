import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Returns the pg pool behind a TypeORM PostgreSQL data source. Hot paths send
 * fixed statements on it as named prepared statements, because TypeORM's
 * query builders and entity mapping cost more CPU than the statements.
 * Errors are pg's `DatabaseError` with the SQLSTATE in `code`, which the
 * error helpers of this library read as they read TypeORM's QueryFailedError.
 */
export function pgPoolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}

/** Returns an entity's schema-qualified table name, as TypeORM writes it into SQL. */
export function tableNameOf(dataSource: DataSource, entity: EntityTarget<ObjectLiteral>): string {
  return dataSource.getMetadata(entity).tablePath;
}

/**
 * Runs `work` in a transaction on one connection of the pool: BEGIN, then
 * COMMIT when `work` resolves, or ROLLBACK when it rejects. A connection that
 * failed, or whose ROLLBACK failed, is destroyed instead of returned to the
 * pool, because its transaction state is unknown.
 */
export async function runInPgTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // pg-pool 3.14 listens for errors only on idle connections. Without a listener
  // here, a connection error during the transaction would be an uncaught
  // 'error' event. The query in progress is rejected with the error as well.
  const onConnectionError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onConnectionError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');

    return result;
  } catch (error) {
    if (!broken) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
    }
    throw error;
  } finally {
    client.removeListener('error', onConnectionError);
    client.release(broken);
  }
}
