import type { Pool } from 'pg';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Returns the pg pool behind a TypeORM PostgreSQL data source. The hot
 * authentication path sends its few fixed statements on it directly, as
 * named prepared statements, because TypeORM's query runner and result
 * mapping cost more CPU per call than the statements themselves.
 */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}

/** Returns an entity's schema-qualified table name, as TypeORM writes it into SQL. */
export function tablePathOf(dataSource: DataSource, entity: EntityTarget<ObjectLiteral>): string {
  return dataSource.getMetadata(entity).tablePath;
}
