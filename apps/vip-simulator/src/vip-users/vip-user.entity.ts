import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A VIP user, with an ID that the caller chooses. */
@Entity({ name: 'vip_users' })
export class VipUserEntity {
  @PrimaryColumn({ name: 'vip_user_id', type: 'varchar', length: 64 })
  vipUserId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
