import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import { CredentialState, CredentialType, DisableReason } from '@app/contract';

/** A VIP credential (a mobile, desktop or hardware token) and its validation counters. */
@Entity({ name: 'credentials' })
export class CredentialEntity {
  @PrimaryColumn({ name: 'credential_id', type: 'varchar', length: 12 })
  credentialId: string;

  @Column({ type: 'varchar', length: 16 })
  type: CredentialType;

  @Column({ type: 'varchar', length: 16 })
  state: CredentialState;

  @Column({ name: 'disabled_reason', type: 'varchar', length: 16, nullable: true })
  disabledReason: DisableReason | null;

  /** AES-256-GCM parts of the 20-byte TOTP secret. */
  @Column({ name: 'secret_iv', type: 'bytea' })
  secretIv: Buffer;

  @Column({ name: 'secret_ciphertext', type: 'bytea' })
  secretCiphertext: Buffer;

  @Column({ name: 'secret_auth_tag', type: 'bytea' })
  secretAuthTag: Buffer;

  /** Consecutive failed validations since the last success, unlock or enable. */
  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts: number;

  /** Time step of the last accepted code, or -1. Codes at or before it are replays. */
  @Column({ name: 'last_accepted_step', type: 'integer', default: -1 })
  lastAcceptedStep: number;

  /** Offset in time steps between the token's clock and ours, measured by resynchronisation. */
  @Column({ name: 'drift_steps', type: 'integer', default: 0 })
  driftSteps: number;

  @Column({ name: 'last_validated_at', type: 'timestamptz', nullable: true })
  lastValidatedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
