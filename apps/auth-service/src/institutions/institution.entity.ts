import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'institutions' })
export class Institution {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Set by the operator once the support case for secure tokens is complete. */
  @Column({ name: 'secure_token_provisioned_at', type: 'timestamptz', nullable: true })
  secureTokenProvisionedAt: Date | null;

  @Column({ name: 'support_case_reference', type: 'text', nullable: true })
  supportCaseReference: string | null;

  @Column({ name: 'secure_token_enabled', type: 'boolean', default: false })
  secureTokenEnabled: boolean;

  /** Consecutive failed secure-token attempts that lock a user. */
  @Column({ name: 'lockout_threshold', type: 'integer' })
  lockoutThreshold: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
