import { Client } from 'pg';

/** Schema of the auth service's tables (the AUTH_DB_SCHEMA default). */
export const AUTH_SCHEMA = 'auth';

/** Rows per INSERT statement, so progress shows and no single statement runs for minutes. */
const BATCH_ROWS = 1_000_000;

/** Event types in the generated trail, weighted towards what a busy institution logs most. */
const GENERATED_EVENT_TYPES = [
  'PASSWORD_VERIFIED',
  'LOGIN_SUCCEEDED',
  'PASSWORD_VERIFIED',
  'LOGIN_SUCCEEDED',
  'LOGIN_FAILED',
  'SECOND_FACTOR_FAILED',
  'LOGOUT',
  'TOKEN_REGISTERED',
];

function sqlTextArray(values: string[]): string {
  return `ARRAY[${values.map((value) => `'${value}'`).join(', ')}]::text[]`;
}

/**
 * Inserts generated users numbered $3 to $4 into institution $1, all with
 * password hash $2. Their IDs are derived from their number
 * (md5 of a fixed prefix and the number, read as a UUID), so the audit
 * events below can point at them without a join.
 */
export const INSERT_USERS_SQL = `
  INSERT INTO ${AUTH_SCHEMA}.users
    (id, institution_id, username, password_hash, role, vip_user_id, created_at)
  SELECT md5('growth-user-' || i)::uuid,
         $1::uuid,
         'growth.user.' || i,
         $2::text,
         'USER',
         'growth-vip-' || i,
         now() - interval '400 days'
    FROM generate_series($3::integer, $4::integer) AS i`;

/**
 * Inserts audit events numbered $2 to $3 of $4, spread evenly over the year
 * before $5 (oldest first). Every $8-th event belongs to institution $7 and
 * the rest to institution $1, so $7 has a thin trail spread across the whole
 * table. Actor and target are generated users, of which $6 exist.
 */
export const INSERT_AUDIT_EVENTS_SQL = `
  INSERT INTO ${AUTH_SCHEMA}.audit_events
    (id, occurred_at, type, institution_id, actor_type, actor_user_id, target_user_id,
     reason, ip, user_agent, request_id, detail)
  SELECT gen_random_uuid(),
         $5::timestamptz - interval '365 days' + (i::double precision / $4) * interval '365 days',
         (${sqlTextArray(GENERATED_EVENT_TYPES)})[1 + i % ${GENERATED_EVENT_TYPES.length}],
         CASE WHEN i % $8 = 0 THEN $7::uuid ELSE $1::uuid END,
         'USER',
         md5('growth-user-' || (1 + (i::bigint * 7919) % $6))::uuid,
         md5('growth-user-' || (1 + (i::bigint * 7919) % $6))::uuid,
         CASE WHEN i % 8 IN (4, 5) THEN 'INVALID_CODE' END,
         '10.' || (i % 250) || '.' || ((i / 250) % 250) || '.' || ((i / 62500) % 250),
         'growth-generator/1.0',
         md5(i::text),
         NULL
    FROM generate_series($2::integer, $3::integer) AS i`;

interface SavedConstraint {
  name: string;
  definition: string;
}

interface SavedIndex {
  name: string;
  definition: string;
}

/**
 * Bulk-loading PostgreSQL helper for the growth benchmark. All statements run
 * on one connection with session_replication_role = replica, which skips
 * triggers and foreign-key checks: the generated rows refer only to rows that
 * exist, and skipping the checks makes the 10,000,000-row load minutes shorter.
 */
export class GrowthDataGenerator {
  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<GrowthDataGenerator> {
    const client = new Client({ connectionString: databaseUrl, statement_timeout: 0 });
    await client.connect();
    await client.query(`SET session_replication_role = replica`);
    await client.query(`SET maintenance_work_mem = '512MB'`);

    return new GrowthDataGenerator(client);
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  async countUsers(): Promise<{ all: number; generated: number }> {
    const result = await this.client.query<{ all: string; generated: string }>(
      `SELECT count(*) AS all,
              count(*) FILTER (WHERE username LIKE 'growth.user.%') AS generated
         FROM ${AUTH_SCHEMA}.users`,
    );

    return { all: Number(result.rows[0].all), generated: Number(result.rows[0].generated) };
  }

  /**
   * Deletes every audit event. The table is append-only through a trigger,
   * which replica mode does not fire; only the benchmark's scratch database
   * is touched.
   */
  async emptyAuditTrail(): Promise<void> {
    await this.client.query(`DELETE FROM ${AUTH_SCHEMA}.audit_events`);
    await this.client.query(`VACUUM ANALYZE ${AUTH_SCHEMA}.audit_events`);
  }

  /**
   * Adds generated users to the institution until the whole table contains
   * `totalUsers`, numbering on from the ones generated before. Returns how
   * many generated users exist afterwards.
   */
  async fillUsers(
    institutionId: string,
    passwordHash: string,
    totalUsers: number,
    log: (line: string) => void,
  ): Promise<number> {
    const counts = await this.countUsers();
    const last = counts.generated + Math.max(totalUsers - counts.all, 0);
    for (let first = counts.generated + 1; first <= last; first += BATCH_ROWS) {
      const batchLast = Math.min(first + BATCH_ROWS - 1, last);
      await this.client.query(INSERT_USERS_SQL, [institutionId, passwordHash, first, batchLast]);
      log(`  users: generated numbers ${first} to ${batchLast}`);
    }
    await this.client.query(`VACUUM ANALYZE ${AUTH_SCHEMA}.users`);

    return last;
  }

  /**
   * Generates `total` audit events dated before `before`: every
   * `sparseEvery`-th for the sparse institution, the rest for the main one.
   * The table's indexes and unique constraints are dropped first and rebuilt
   * afterwards from their saved definitions, which is much faster than
   * maintaining them row by row.
   */
  async generateAuditEvents(
    institutions: { main: string; sparse: string; sparseEvery: number },
    total: number,
    generatedUsers: number,
    before: Date,
    log: (line: string) => void,
  ): Promise<void> {
    const constraints = await this.dropKeyConstraints('audit_events');
    const indexes = await this.dropIndexes('audit_events');

    for (let first = 1; first <= total; first += BATCH_ROWS) {
      const last = Math.min(first + BATCH_ROWS - 1, total);
      await this.client.query(INSERT_AUDIT_EVENTS_SQL, [
        institutions.main,
        first,
        last,
        total,
        before.toISOString(),
        generatedUsers,
        institutions.sparse,
        institutions.sparseEvery,
      ]);
      log(`  audit events: ${last} of ${total} generated`);
    }

    for (const constraint of constraints) {
      log(`  rebuilding constraint ${constraint.name}`);
      await this.client.query(
        `ALTER TABLE ${AUTH_SCHEMA}.audit_events ADD CONSTRAINT ${constraint.name} ${constraint.definition}`,
      );
    }
    for (const index of indexes) {
      log(`  rebuilding index ${index.name}`);
      await this.client.query(index.definition);
    }
    log('  VACUUM ANALYZE audit_events');
    await this.client.query(`VACUUM ANALYZE ${AUTH_SCHEMA}.audit_events`);
    // Without this, the checkpointer goes on writing gigabytes of new pages
    // in the background while the large state is measured.
    log('  CHECKPOINT');
    await this.client.query('CHECKPOINT');
  }

  /** Returns the query's rows; for EXPLAIN output and look-ups on the generated data. */
  async query<T extends object>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const result = await this.client.query(sql, parameters);

    return result.rows as T[];
  }

  private async dropKeyConstraints(table: string): Promise<SavedConstraint[]> {
    const result = await this.client.query<SavedConstraint>(
      `SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND t.relname = $2 AND c.contype IN ('p', 'u')`,
      [AUTH_SCHEMA, table],
    );
    for (const constraint of result.rows) {
      await this.client.query(
        `ALTER TABLE ${AUTH_SCHEMA}.${table} DROP CONSTRAINT ${constraint.name}`,
      );
    }

    return result.rows;
  }

  /** Drops the indexes that back no constraint (call after dropKeyConstraints). */
  private async dropIndexes(table: string): Promise<SavedIndex[]> {
    const result = await this.client.query<SavedIndex>(
      `SELECT indexname AS name, indexdef AS definition
         FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`,
      [AUTH_SCHEMA, table],
    );
    for (const index of result.rows) {
      await this.client.query(`DROP INDEX ${AUTH_SCHEMA}.${index.name}`);
    }

    return result.rows;
  }
}
