import { Client } from 'pg';

import { buildAcceptanceSql } from '../../apps/vip-simulator/src/vip-users/authentication-acceptor';
import { buildBoundCredentialsSql } from '../../apps/vip-simulator/src/vip-users/bound-credentials-reader';
import { TestSimulator, startTestSimulator } from '../support/vip-simulator';

const TABLES = {
  credentials: 'vip.credentials',
  bindings: 'vip.credential_bindings',
  temporaryCodes: 'vip.temporary_codes',
  events: 'vip.validation_events',
};

/**
 * Rows added after the last ANALYZE. With this many, the earlier forms of
 * both statements were planned as sequential scans, which cost about 1 ms per
 * call in the benchmark, against under 0.1 ms for the index lookups.
 */
const ADDED_ROWS = 4_000;

/**
 * The simulator's connections use generic plans, which PostgreSQL builds
 * from the statistics of the moment and keeps until the next ANALYZE. These
 * tests build the two statements of the authentication path as generic
 * plans after the tables have grown well past their last ANALYZE, and check
 * that every credential and binding is still reached through an index.
 */
describe('generic plans of the authentication statements', () => {
  let simulator: TestSimulator;
  let client: Client;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    client = new Client({ connectionString: simulator.databaseUrl });
    await client.connect();
    for (const table of ['credentials', 'vip_users', 'credential_bindings']) {
      await client.query(`ALTER TABLE vip.${table} SET (autovacuum_enabled = false)`);
      await client.query(`ANALYZE vip.${table}`);
    }
    await client.query(
      `INSERT INTO vip.credentials (credential_id, type, state, secret_iv, secret_ciphertext, secret_auth_tag)
       SELECT 'PLN' || lpad(i::text, 9, '0'), 'MOBILE', 'ENABLED',
              decode(md5(i::text), 'hex'), decode(md5(i::text), 'hex'), decode(md5(i::text), 'hex')
         FROM generate_series(1, $1::int) AS i`,
      [ADDED_ROWS],
    );
    await client.query(
      `INSERT INTO vip.vip_users (vip_user_id)
       SELECT 'plan-user-' || i FROM generate_series(1, $1::int) AS i`,
      [ADDED_ROWS],
    );
    await client.query(
      `INSERT INTO vip.credential_bindings (vip_user_id, credential_id)
       SELECT 'plan-user-' || i, 'PLN' || lpad(i::text, 9, '0') FROM generate_series(1, $1::int) AS i`,
      [ADDED_ROWS],
    );
    await client.query('SET plan_cache_mode = force_generic_plan');
  });

  afterAll(async () => {
    await client?.end();
    await simulator?.stop();
  });

  async function genericPlan(name: string, sql: string, execute: string): Promise<string> {
    await client.query(`PREPARE ${name} AS ${sql}`);
    try {
      const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${execute}`);

      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await client.query(`DEALLOCATE ${name}`);
    }
  }

  it('read uses the primary keys', async () => {
    const plan = await genericPlan(
      'read_bound',
      buildBoundCredentialsSql(TABLES),
      `read_bound(ARRAY['plan-user-7', 'plan-user-8'])`,
    );

    expect(plan).not.toMatch(/Seq Scan on (credentials|credential_bindings)/);
    expect(plan).toMatch(
      /Index \w* ?Scan on credential_bindings_pkey|Index Scan using credential_bindings_pkey/,
    );
    expect(plan).toMatch(/Index (Only )?Scan using credentials_pkey/);
  });

  it('acceptance uses the primary keys', async () => {
    const plan = await genericPlan(
      'accept',
      buildAcceptanceSql(TABLES),
      `accept(ARRAY['PLN000000007'], ARRAY['plan-user-7'], ARRAY[100], ARRAY[0], 'ENABLED', 'SUCCESS')`,
    );

    expect(plan).not.toMatch(/Seq Scan on (credentials|credential_bindings|temporary_codes)/);
    expect(plan).toMatch(/credential_bindings_pkey/);
    expect(plan).toMatch(/Index Scan using credentials_pkey/);
  });
});
