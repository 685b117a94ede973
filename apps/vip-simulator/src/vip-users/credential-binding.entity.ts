import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A credential bound to a VIP user. One credential may be bound to several users. */
@Entity({ name: 'credential_bindings' })
export class CredentialBindingEntity {
  @PrimaryColumn({ name: 'vip_user_id', type: 'varchar', length: 64 })
  vipUserId: string;

  @PrimaryColumn({ name: 'credential_id', type: 'varchar', length: 12 })
  credentialId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
