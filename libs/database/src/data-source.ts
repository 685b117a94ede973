import { Client } from 'pg';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

import { TypeOrmLogger } from './typeorm-logger';

export interface ServiceDataSourceOptions {
  url: string;
  /** PostgreSQL schema that contains the service's tables and its migrations table. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /** Milliseconds a statement may run before PostgreSQL cancels it. */
  statementTimeoutMs?: number;
  applicationName?: string;
  /**
   * PostgreSQL's plan_cache_mode for the pool's connections. `auto` (the
   * server's default) plans each execution of a prepared statement with its
   * parameters until a generic plan looks as cheap, which for statements
   * with array parameters is never, so each call pays the planning again.
   * `force_generic_plan` plans a prepared statement once per connection.
   * It is right only where no statement's best plan depends on the values.
   */
  planCacheMode?: 'auto' | 'force_generic_plan';
}

/**
 * Builds TypeORM options for one service: its own schema, migrations, never
 * synchronize, and errors logged through the Nest logger without parameters.
 */
export function buildDataSourceOptions(
  options: ServiceDataSourceOptions,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'],
    logger: new TypeOrmLogger(),
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName,
    extra: {
      connectionTimeoutMillis: 5_000,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      // Sent as a start-up parameter, so it applies to every pooled connection.
      options: `-c plan_cache_mode=${options.planCacheMode ?? 'auto'}`,
    },
  };
}

// Any fixed number works as long as both services and every instance use it.
const MIGRATION_LOCK_KEY = 7_316_402;

/**
 * Creates the schema and applies pending migrations under a PostgreSQL
 * advisory lock, so that several instances starting together on one database
 * apply each migration exactly once.
 */
export async function migrate(options: ServiceDataSourceOptions): Promise<string[]> {
  const client = new Client({ connectionString: options.url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(options.schema)}`);
    const dataSource = new DataSource({ ...buildDataSourceOptions(options), poolSize: 1 });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });

      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await client.end();
  }
}
