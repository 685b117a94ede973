import { MigrationInterface, QueryRunner } from 'typeorm';

function quotedSchema(queryRunner: QueryRunner): string {
  const { schema } = queryRunner.connection.options as { schema?: string };

  return `"${schema ?? 'public'}"`;
}

/** Creates the simulator's tables in the schema named by VIP_DB_SCHEMA. */
export class CreateVipTables1764860000000 implements MigrationInterface {
  name = 'CreateVipTables1764860000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = quotedSchema(queryRunner);

    await queryRunner.query(`
      CREATE TABLE ${schema}.credentials (
        credential_id varchar(12) PRIMARY KEY,
        type varchar(16) NOT NULL CHECK (type IN ('MOBILE', 'DESKTOP', 'HARDWARE')),
        state varchar(16) NOT NULL
          CHECK (state IN ('NEW', 'ENABLED', 'DISABLED', 'LOCKED', 'INACTIVE')),
        disabled_reason varchar(16),
        secret_iv bytea NOT NULL,
        secret_ciphertext bytea NOT NULL,
        secret_auth_tag bytea NOT NULL,
        failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        last_accepted_step integer NOT NULL DEFAULT -1,
        drift_steps integer NOT NULL DEFAULT 0,
        last_validated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((state = 'DISABLED') = (disabled_reason IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.vip_users (
        vip_user_id varchar(64) PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.credential_bindings (
        vip_user_id varchar(64) NOT NULL REFERENCES ${schema}.vip_users ON DELETE CASCADE,
        credential_id varchar(12) NOT NULL REFERENCES ${schema}.credentials ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (vip_user_id, credential_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX credential_bindings_credential_idx ON ${schema}.credential_bindings (credential_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE ${schema}.temporary_codes (
        vip_user_id varchar(64) PRIMARY KEY REFERENCES ${schema}.vip_users ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        one_time boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${schema}.validation_events (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        operation varchar(16) NOT NULL,
        vip_user_id varchar(64),
        credential_id varchar(12),
        credential_type varchar(16) NOT NULL,
        outcome varchar(32) NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX validation_events_occurred_at_idx ON ${schema}.validation_events (occurred_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = quotedSchema(queryRunner);

    await queryRunner.query(`DROP TABLE ${schema}.validation_events`);
    await queryRunner.query(`DROP TABLE ${schema}.temporary_codes`);
    await queryRunner.query(`DROP TABLE ${schema}.credential_bindings`);
    await queryRunner.query(`DROP TABLE ${schema}.vip_users`);
    await queryRunner.query(`DROP TABLE ${schema}.credentials`);
  }
}
