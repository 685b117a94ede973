import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

import { pgPoolOf, tableNameOf } from '@app/database';

import { AuditEvent } from '../audit/audit-event.entity';
import { AuditRecord, auditEventInsertSql, auditEventValues } from '../audit/audit.service';
import { RequestContext } from '../common/request-context';
import { Institution } from '../institutions/institution.entity';
import { Session } from '../sessions/session.entity';
import { NewSession } from '../sessions/sessions.service';
import { User } from '../users/user.entity';
import { Challenge, ChallengeStep } from './challenge.entity';

/** A user as the password step reads it, with the settings of the user's institution. */
export interface LoginUser {
  id: string;
  institutionId: string;
  passwordHash: string;
  credentialId: string | null;
  failedAttempts: number;
  locked: boolean;
  secureTokenEnabled: boolean;
  lockoutThreshold: number;
}

/** The columns of a challenge that never change after it is issued. */
export interface ChallengeRef {
  id: string;
  userId: string;
  step: ChallengeStep;
}

/** A new challenge token and the values that store it. */
export interface NewChallenge {
  challengeToken: string;
  tokenHash: string;
  expiresAt: Date;
}

/** The user of a secure-token attempt, read under the user's row lock. */
export interface AttemptUser {
  id: string;
  institutionId: string;
  vipUserId: string;
  credentialId: string | null;
  pinHash: string | null;
  failedAttempts: number;
  locked: boolean;
}

/** The state of a challenge, read under its row lock. */
export interface ChallengeState {
  id: string;
  step: ChallengeStep;
  expiresAt: Date;
  consumed: boolean;
  invalidated: boolean;
}

/** The user, challenge and lockout threshold of an attempt, read under its row locks. */
export interface LockedAttempt {
  user: AttemptUser;
  challenge: ChallengeState;
  lockoutThreshold: number;
}

type LockedAttemptRow = AttemptUser & {
  lockoutThreshold: number;
  challengeId: string;
  challengeStep: ChallengeStep;
  challengeExpiresAt: Date;
  challengeConsumed: boolean;
  challengeInvalidated: boolean;
};

/** A statement with a fixed text, sent as a named prepared statement. */
interface PreparedStatement {
  name: string;
  text: string;
}

/**
 * The SQL of the login path: the password step, the challenge lookup and the
 * step-up. Each method sends one named prepared statement on the pg pool
 * behind TypeORM, or on the connection of a running transaction, so
 * PostgreSQL parses and plans each text once per connection. Several writes
 * of one step are combined into one statement with data-modifying CTEs,
 * which PostgreSQL applies together or not at all.
 */
@Injectable()
export class LoginStatements {
  private readonly findLoginUserStatement: PreparedStatement;
  private readonly findChallengeStatement: PreparedStatement;
  private readonly issueChallengeStatement: PreparedStatement;
  private readonly issueSessionStatement: PreparedStatement;
  private readonly lockAttemptStatement: PreparedStatement;
  private readonly completeStepUpStatement: PreparedStatement;
  private readonly consumeChallengeStatement: PreparedStatement;
  private readonly countFailureStatement: PreparedStatement;
  private readonly lockUserStatement: PreparedStatement;
  private readonly registerCredentialStatement: PreparedStatement;
  private readonly findInstitutionOfUserStatement: PreparedStatement;

  constructor(private readonly dataSource: DataSource) {
    const users = tableNameOf(dataSource, User);
    const institutions = tableNameOf(dataSource, Institution);
    const challenges = tableNameOf(dataSource, Challenge);
    const sessions = tableNameOf(dataSource, Session);
    const auditEvents = tableNameOf(dataSource, AuditEvent);

    this.findLoginUserStatement = {
      name: 'auth_find_login_user',
      text: `SELECT u.id, u.institution_id AS "institutionId", u.password_hash AS "passwordHash",
                    u.credential_id AS "credentialId", u.failed_attempts AS "failedAttempts",
                    u.locked_at IS NOT NULL AS locked,
                    i.secure_token_enabled AS "secureTokenEnabled",
                    i.lockout_threshold AS "lockoutThreshold"
               FROM ${users} u
               JOIN ${institutions} i ON i.id = u.institution_id
              WHERE u.username = $1`,
    };
    this.findChallengeStatement = {
      name: 'auth_find_challenge',
      text: `SELECT id, user_id AS "userId", step FROM ${challenges} WHERE token_hash = $1`,
    };
    this.issueChallengeStatement = {
      name: 'auth_issue_challenge',
      text: `WITH issued AS (
               INSERT INTO ${challenges} (token_hash, user_id, step, expires_at)
               VALUES ($1, $2, $3, $4)
             )
             ${auditEventInsertSql(auditEvents, 5)}`,
    };
    this.issueSessionStatement = {
      name: 'auth_issue_session',
      text: `WITH issued AS (
               INSERT INTO ${sessions} (token_hash, user_id, expires_at, ip, user_agent)
               VALUES ($1, $2, $3, $4, $5)
             )
             ${auditEventInsertSql(auditEvents, 6)}`,
    };
    // The CTE sets lock_timeout for the transaction before the row locks are
    // requested, because the join needs its row first. MATERIALIZED keeps
    // PostgreSQL from dropping or moving the set_config call. Locking the
    // challenge row as well as the user row makes PostgreSQL return the
    // challenge as it is after any transaction that held the locks, such as
    // a concurrent attempt that consumed it. Every path that updates a
    // challenge locks or updates the user row first, so the two locks are
    // always taken in the same order.
    this.lockAttemptStatement = {
      name: 'auth_lock_attempt',
      text: `WITH lock_setting AS MATERIALIZED (
               SELECT set_config('lock_timeout', $3, true) AS lock_timeout
             )
             SELECT u.id, u.institution_id AS "institutionId", u.vip_user_id AS "vipUserId",
                    u.credential_id AS "credentialId", u.pin_hash AS "pinHash",
                    u.failed_attempts AS "failedAttempts", u.locked_at IS NOT NULL AS locked,
                    i.lockout_threshold AS "lockoutThreshold",
                    c.id AS "challengeId", c.step AS "challengeStep",
                    c.expires_at AS "challengeExpiresAt",
                    c.consumed_at IS NOT NULL AS "challengeConsumed",
                    c.invalidated_at IS NOT NULL AS "challengeInvalidated"
               FROM lock_setting
              CROSS JOIN ${users} u
               JOIN ${challenges} c ON c.id = $2 AND c.user_id = u.id
               JOIN ${institutions} i ON i.id = u.institution_id
              WHERE u.id = $1
                FOR UPDATE OF u, c`,
    };
    this.completeStepUpStatement = {
      name: 'auth_complete_step_up',
      text: `WITH consumed AS (
               UPDATE ${challenges} SET consumed_at = now()
                WHERE id = $1 AND consumed_at IS NULL AND invalidated_at IS NULL
             ), cleared AS (
               UPDATE ${users} SET failed_attempts = 0 WHERE id = $2 AND failed_attempts <> 0
             ), issued AS (
               INSERT INTO ${sessions} (token_hash, user_id, expires_at, ip, user_agent)
               VALUES ($3, $2, $4, $5, $6)
             )
             ${auditEventInsertSql(auditEvents, 7)}`,
    };
    this.consumeChallengeStatement = {
      name: 'auth_consume_challenge',
      text: `UPDATE ${challenges} SET consumed_at = now()
              WHERE id = $1 AND consumed_at IS NULL AND invalidated_at IS NULL`,
    };
    this.countFailureStatement = {
      name: 'auth_count_failure',
      text: `UPDATE ${users} SET failed_attempts = failed_attempts + 1
              WHERE id = $1
             RETURNING failed_attempts AS "failedAttempts"`,
    };
    this.lockUserStatement = {
      name: 'auth_lock_user',
      text: `WITH locked AS (
               UPDATE ${users} SET locked_at = now() WHERE id = $1
             )
             UPDATE ${challenges} SET invalidated_at = now()
              WHERE user_id = $1 AND consumed_at IS NULL AND invalidated_at IS NULL`,
    };
    this.registerCredentialStatement = {
      name: 'auth_register_credential',
      text: `WITH consumed AS (
               UPDATE ${challenges} SET consumed_at = now()
                WHERE id = $1 AND consumed_at IS NULL AND invalidated_at IS NULL
             ), registered AS (
               UPDATE ${users}
                  SET credential_id = $3, pin_hash = $4, registered_at = now(), failed_attempts = 0
                WHERE id = $2
             )
             ${auditEventInsertSql(auditEvents, 5)}`,
    };
    this.findInstitutionOfUserStatement = {
      name: 'auth_find_institution_of_user',
      text: `SELECT institution_id AS "institutionId" FROM ${users} WHERE id = $1`,
    };
  }

  /** Reads a user by normalised username, with the institution's settings, or null. */
  async findLoginUser(username: string): Promise<LoginUser | null> {
    const result = await this.pool().query<LoginUser>({
      ...this.findLoginUserStatement,
      values: [username],
    });

    return result.rows[0] ?? null;
  }

  /** Reads a challenge by the SHA-256 of its token, or null. */
  async findChallenge(tokenHash: string): Promise<ChallengeRef | null> {
    const result = await this.pool().query<ChallengeRef>({
      ...this.findChallengeStatement,
      values: [tokenHash],
    });

    return result.rows[0] ?? null;
  }

  /** Stores a new challenge and its audit event in one statement. */
  async issueChallenge(
    challenge: NewChallenge,
    userId: string,
    step: ChallengeStep,
    audit: AuditRecord,
    context: RequestContext,
  ): Promise<void> {
    const values = [challenge.tokenHash, userId, step, challenge.expiresAt];
    await this.pool().query({
      ...this.issueChallengeStatement,
      values: withAuditValues(values, audit, context),
    });
  }

  /**
   * Stores a new session and its audit event in one statement, on `executor`
   * (the pool by default, or a transaction's connection).
   */
  async issueSession(
    session: NewSession,
    userId: string,
    audit: AuditRecord,
    context: RequestContext,
    executor: Pool | PoolClient = this.pool(),
  ): Promise<void> {
    const values = [session.tokenHash, userId, session.expiresAt, context.ip, context.userAgent];
    await executor.query({
      ...this.issueSessionStatement,
      values: withAuditValues(values, audit, context),
    });
  }

  /**
   * Sets lock_timeout for the transaction, then locks the user's row and the
   * challenge's row (`SELECT ... FOR UPDATE`) and reads both with the
   * institution's lockout threshold. Returns null when the challenge does
   * not belong to the user or no longer exists. A lock wait longer than
   * `lockTimeoutMs` fails with SQLSTATE 55P03 (lock_not_available).
   */
  async lockAttempt(
    client: PoolClient,
    userId: string,
    challengeId: string,
    lockTimeoutMs: number,
  ): Promise<LockedAttempt | null> {
    const result = await client.query<LockedAttemptRow>({
      ...this.lockAttemptStatement,
      values: [userId, challengeId, `${lockTimeoutMs}ms`],
    });
    const row = result.rows[0];
    if (!row) {
      return null;
    }

    return {
      user: {
        id: row.id,
        institutionId: row.institutionId,
        vipUserId: row.vipUserId,
        credentialId: row.credentialId,
        pinHash: row.pinHash,
        failedAttempts: row.failedAttempts,
        locked: row.locked,
      },
      challenge: {
        id: row.challengeId,
        step: row.challengeStep,
        expiresAt: row.challengeExpiresAt,
        consumed: row.challengeConsumed,
        invalidated: row.challengeInvalidated,
      },
      lockoutThreshold: row.lockoutThreshold,
    };
  }

  /**
   * Completes a successful step-up in one statement: consumes the challenge,
   * clears the failure count (writing nothing when it is already 0), stores
   * the new session and its audit event.
   */
  async completeStepUp(
    client: PoolClient,
    challengeId: string,
    userId: string,
    session: NewSession,
    audit: AuditRecord,
    context: RequestContext,
  ): Promise<void> {
    const values = [
      challengeId,
      userId,
      session.tokenHash,
      session.expiresAt,
      context.ip,
      context.userAgent,
    ];
    await client.query({
      ...this.completeStepUpStatement,
      values: withAuditValues(values, audit, context),
    });
  }

  /** Marks a challenge used, unless it is already used or ended. */
  async consumeChallenge(client: PoolClient, challengeId: string): Promise<void> {
    await client.query({ ...this.consumeChallengeStatement, values: [challengeId] });
  }

  /** Adds one to the user's failed secure-token count and returns the new count. */
  async countFailure(client: PoolClient, userId: string): Promise<number> {
    const result = await client.query<{ failedAttempts: number }>({
      ...this.countFailureStatement,
      values: [userId],
    });

    return result.rows[0].failedAttempts;
  }

  /** Locks the user and ends the user's open challenges. Returns how many challenges it ended. */
  async lockUser(client: PoolClient, userId: string): Promise<number> {
    const result = await client.query({ ...this.lockUserStatement, values: [userId] });

    return result.rowCount ?? 0;
  }

  /**
   * Completes a registration's database changes but the session in one
   * statement: consumes the challenge, stores the credential ID and the PIN
   * hash, clears the failure count and stores the TOKEN_REGISTERED event.
   */
  async registerCredential(
    client: PoolClient,
    challengeId: string,
    userId: string,
    credentialId: string,
    pinHash: string,
    audit: AuditRecord,
    context: RequestContext,
  ): Promise<void> {
    await client.query({
      ...this.registerCredentialStatement,
      values: withAuditValues([challengeId, userId, credentialId, pinHash], audit, context),
    });
  }

  /** Reads the institution of a user, or null when the user does not exist. */
  async findInstitutionOfUser(client: PoolClient, userId: string): Promise<string | null> {
    const result = await client.query<{ institutionId: string }>({
      ...this.findInstitutionOfUserStatement,
      values: [userId],
    });

    return result.rows[0]?.institutionId ?? null;
  }

  private pool(): Pool {
    return pgPoolOf(this.dataSource);
  }
}

/** Appends the values of an audit INSERT after a statement's own values. */
function withAuditValues(
  values: unknown[],
  audit: AuditRecord,
  context: RequestContext,
): unknown[] {
  return [...values, ...auditEventValues(audit, context)];
}
