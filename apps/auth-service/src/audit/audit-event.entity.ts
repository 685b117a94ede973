import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Kinds of audit events. Values are stored, so never rename one. */
export enum AuditEventType {
  InstitutionCreated = 'INSTITUTION_CREATED',
  SecureTokenProvisioned = 'SECURE_TOKEN_PROVISIONED',
  SecureTokenEnabled = 'SECURE_TOKEN_ENABLED',
  SecureTokenDisabled = 'SECURE_TOKEN_DISABLED',
  LockoutThresholdChanged = 'LOCKOUT_THRESHOLD_CHANGED',
  UserCreated = 'USER_CREATED',
  LoginFailed = 'LOGIN_FAILED',
  PasswordVerified = 'PASSWORD_VERIFIED',
  LoginSucceeded = 'LOGIN_SUCCEEDED',
  ChallengeRejected = 'CHALLENGE_REJECTED',
  TokenRegistered = 'TOKEN_REGISTERED',
  SecondFactorFailed = 'SECOND_FACTOR_FAILED',
  UserLocked = 'USER_LOCKED',
  AttemptWhileLocked = 'ATTEMPT_WHILE_LOCKED',
  CredentialRejected = 'CREDENTIAL_REJECTED',
  SecureTokenServiceUnavailable = 'SECURE_TOKEN_SERVICE_UNAVAILABLE',
  UserUnlocked = 'USER_UNLOCKED',
  CredentialReset = 'CREDENTIAL_RESET',
  Logout = 'LOGOUT',
}

export enum AuditActorType {
  User = 'USER',
  Operator = 'OPERATOR',
  Anonymous = 'ANONYMOUS',
  System = 'SYSTEM',
}

/** Extra facts of an audit event: flat JSON values only. */
export type AuditDetail = Record<string, string | number | boolean | null>;

/** One append-only audit record; a database trigger rejects UPDATE and DELETE. */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt: Date;

  @Column({ type: 'text' })
  type: AuditEventType;

  @Column({ name: 'institution_id', type: 'uuid', nullable: true })
  institutionId: string | null;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: AuditActorType;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'target_user_id', type: 'uuid', nullable: true })
  targetUserId: string | null;

  /** Machine-readable cause, such as INVALID_CODE or WRONG_PIN. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  detail: AuditDetail | null;
}
