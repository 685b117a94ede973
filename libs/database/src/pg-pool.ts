import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
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

/**
 * Returns the pg connection of a transaction's entity manager, so fixed
 * statements can run in that transaction without TypeORM's query runner.
 */
export async function pgClientOf(manager: EntityManager): Promise<PoolClient> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('pgClientOf needs the entity manager of an active transaction');
  }

  // PostgresQueryRunner.connect() resolves to the pg client it already holds.
  return (await manager.queryRunner.connect()) as PoolClient;
}

/** Returns an entity's schema-qualified table name, as TypeORM writes it into SQL. */
export function tableNameOf(dataSource: DataSource, entity: EntityTarget<ObjectLiteral>): string {
  return dataSource.getMetadata(entity).tablePath;
}
