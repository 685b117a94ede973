import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The second step that a challenge token allows. */
export enum ChallengeStep {
  Registration = 'REGISTRATION',
  StepUp = 'STEP_UP',
}

/** A single-use token issued after a correct password, bound to one user and one step. */
@Entity({ name: 'challenges' })
export class Challenge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** SHA-256 of the token, hex. The token itself is never stored. */
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  step: ChallengeStep;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt: Date | null;

  /** Set when the user is locked or reset, which ends every open challenge. */
  @Column({ name: 'invalidated_at', type: 'timestamptz', nullable: true })
  invalidatedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
