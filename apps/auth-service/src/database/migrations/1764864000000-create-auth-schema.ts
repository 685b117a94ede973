import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Points unqualified names at the service's schema for the rest of the
 * migration's transaction, so the SQL below does not repeat the schema name.
 */
async function useServiceSchema(queryRunner: QueryRunner): Promise<void> {
  const schema = (queryRunner.connection.options as { schema?: string }).schema ?? 'public';
  await queryRunner.query(`SELECT set_config('search_path', $1, true)`, [`"${schema}"`]);
}

/**
 * Creates the auth service tables in the connection's current schema. Audit
 * events are append-only: a trigger rejects every UPDATE, DELETE and TRUNCATE.
 */
export class CreateAuthSchema1764864000000 implements MigrationInterface {
  name = 'CreateAuthSchema1764864000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await useServiceSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE institutions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        secure_token_provisioned_at timestamptz,
        support_case_reference text,
        secure_token_enabled boolean NOT NULL DEFAULT false,
        lockout_threshold integer NOT NULL CHECK (lockout_threshold BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT institutions_name_key UNIQUE (name),
        CONSTRAINT institutions_enabled_needs_provisioning
          CHECK (NOT secure_token_enabled OR secure_token_provisioned_at IS NOT NULL)
      )`);

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institutions (id),
        username text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('USER', 'ADMIN')),
        vip_user_id text NOT NULL,
        credential_id text,
        pin_hash text,
        registered_at timestamptz,
        failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        locked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_username_key UNIQUE (username),
        CONSTRAINT users_vip_user_id_key UNIQUE (vip_user_id),
        CONSTRAINT users_registration_complete
          CHECK ((credential_id IS NULL) = (pin_hash IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX users_institution_idx ON users (institution_id, username)`,
    );

    await queryRunner.query(`
      CREATE TABLE challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        step text NOT NULL CHECK (step IN ('REGISTRATION', 'STEP_UP')),
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz,
        invalidated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT challenges_token_hash_key UNIQUE (token_hash)
      )`);
    await queryRunner.query(
      `CREATE INDEX challenges_open_idx ON challenges (user_id)
         WHERE consumed_at IS NULL AND invalidated_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        ip text,
        user_agent text,
        CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_idx ON sessions (user_id, created_at)`);

    await queryRunner.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        type text NOT NULL,
        institution_id uuid REFERENCES institutions (id),
        actor_type text NOT NULL CHECK (actor_type IN ('USER', 'OPERATOR', 'ANONYMOUS', 'SYSTEM')),
        actor_user_id uuid REFERENCES users (id),
        target_user_id uuid REFERENCES users (id),
        reason text,
        ip text,
        user_agent text,
        request_id text,
        detail jsonb
      )`);
    await queryRunner.query(`CREATE INDEX audit_events_time_idx ON audit_events (occurred_at, id)`);
    await queryRunner.query(
      `CREATE INDEX audit_events_institution_time_idx
         ON audit_events (institution_id, occurred_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX audit_events_target_time_idx
         ON audit_events (target_user_id, occurred_at, id)`,
    );

    await queryRunner.query(`
      CREATE FUNCTION reject_audit_event_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_append_only
        BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION reject_audit_event_change()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_truncate
        BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION reject_audit_event_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await useServiceSchema(queryRunner);
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION reject_audit_event_change()`);
    await queryRunner.query(`DROP TABLE sessions`);
    await queryRunner.query(`DROP TABLE challenges`);
    await queryRunner.query(`DROP TABLE users`);
    await queryRunner.query(`DROP TABLE institutions`);
  }
}
