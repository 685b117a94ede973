import { Pool } from 'pg';

import { runClosedLoop } from '../lib/closed-loop';
import { RunMeasurement } from '../lib/stats';

const BASELINE_SCHEMA = 'bench_baseline';

/**
 * The floor for one code validation on this PostgreSQL: a single-row atomic
 * `UPDATE … RETURNING` on its own row, sent from Node with `pg` through a pool
 * the size of the simulator's, on the simulator's database.
 */
export class UpdateBaseline {
  private constructor(
    private readonly pool: Pool,
    private readonly rows: number,
  ) {}

  /** Creates the baseline table with one row per benchmark credential. */
  static async create(
    databaseUrl: string,
    rows: number,
    poolSize: number,
  ): Promise<UpdateBaseline> {
    const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${BASELINE_SCHEMA}`);
    await pool.query(`DROP TABLE IF EXISTS ${BASELINE_SCHEMA}.counters`);
    await pool.query(
      `CREATE TABLE ${BASELINE_SCHEMA}.counters (
         id integer PRIMARY KEY,
         last_step integer NOT NULL,
         updated_at timestamptz NOT NULL
       )`,
    );
    await pool.query(
      `INSERT INTO ${BASELINE_SCHEMA}.counters (id, last_step, updated_at)
       SELECT i, 0, now() FROM generate_series(1, $1::integer) AS i`,
      [rows],
    );
    await pool.query(`VACUUM ANALYZE ${BASELINE_SCHEMA}.counters`);

    return new UpdateBaseline(pool, rows);
  }

  /** Runs `operations` single-row updates, each on the next row in turn. */
  run(operations: number, concurrency: number): Promise<RunMeasurement> {
    return runClosedLoop({
      operations,
      concurrency,
      operation: async (index) => {
        const result = await this.pool.query(
          `UPDATE ${BASELINE_SCHEMA}.counters
              SET last_step = last_step + 1, updated_at = now()
            WHERE id = $1 AND last_step >= 0
          RETURNING last_step`,
          [(index % this.rows) + 1],
        );
        if (result.rowCount !== 1) {
          throw new Error(`the baseline UPDATE changed ${result.rowCount} rows instead of 1`);
        }
      },
    });
  }

  /**
   * Runs `operations` read-then-update pairs: a SELECT of one row, then the
   * same single-row UPDATE. This is the least work of any validation that
   * must read the secret before it can decide, so it shows how far the
   * two-statement design alone is from the one-statement baseline.
   */
  runReadThenUpdate(operations: number, concurrency: number): Promise<RunMeasurement> {
    return runClosedLoop({
      operations,
      concurrency,
      operation: async (index) => {
        const id = (index % this.rows) + 1;
        const client = await this.pool.connect();
        try {
          const read = await client.query(
            `SELECT id, last_step FROM ${BASELINE_SCHEMA}.counters WHERE id = $1`,
            [id],
          );
          const updated = await client.query(
            `UPDATE ${BASELINE_SCHEMA}.counters
                SET last_step = last_step + 1, updated_at = now()
              WHERE id = $1 AND last_step >= $2
            RETURNING last_step`,
            [id, (read.rows[0] as { last_step: number }).last_step],
          );
          if (updated.rowCount !== 1) {
            throw new Error(`the baseline UPDATE changed ${updated.rowCount} rows instead of 1`);
          }
        } finally {
          client.release();
        }
      },
    });
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
