import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import { CredentialType, ValidationOutcome } from '@app/contract';

/** Operations that validate a security code. */
export type ValidationOperation = 'AUTHENTICATE' | 'BIND' | 'SYNCHRONIZE';

/** One validation of a security code, kept for usage reports. */
@Entity({ name: 'validation_events' })
@Index('validation_events_occurred_at_idx', ['occurredAt'])
export class ValidationEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 16 })
  operation: ValidationOperation;

  @Column({ name: 'vip_user_id', type: 'varchar', length: 64, nullable: true })
  vipUserId: string | null;

  @Column({ name: 'credential_id', type: 'varchar', length: 12, nullable: true })
  credentialId: string | null;

  /** Credential type, or TEMPORARY_CODE when a temporary security code was checked. */
  @Column({ name: 'credential_type', type: 'varchar', length: 16 })
  credentialType: CredentialType | 'TEMPORARY_CODE';

  @Column({ type: 'varchar', length: 32 })
  outcome: ValidationOutcome;
}
