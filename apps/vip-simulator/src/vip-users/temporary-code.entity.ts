import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A temporary security code of a VIP user, stored as a keyed hash, never in clear. */
@Entity({ name: 'temporary_codes' })
export class TemporaryCodeEntity {
  @PrimaryColumn({ name: 'vip_user_id', type: 'varchar', length: 64 })
  vipUserId: string;

  /** HMAC-SHA256 of the code under a key derived from VIP_SECRET_KEY, salted with the user ID. */
  @Column({ name: 'code_hash', type: 'bytea' })
  codeHash: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'one_time', type: 'boolean' })
  oneTime: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
