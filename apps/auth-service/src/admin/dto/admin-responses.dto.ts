import { ApiProperty } from '@nestjs/swagger';

import {
  AuditActorType,
  AuditDetail,
  AuditEvent,
  AuditEventType,
} from '../../audit/audit-event.entity';
import { UserAuthenticationStatus } from '../../users/user.entity';

/** Credential State shown to administrators: VIP's state, or UNAVAILABLE when VIP cannot be reached. */
export const CREDENTIAL_STATE_UNAVAILABLE = 'UNAVAILABLE';

export class AuthenticationSettingsView {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty()
  username: string;

  @ApiProperty({ enum: UserAuthenticationStatus })
  userAuthenticationStatus: UserAuthenticationStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'ENABLED',
    description:
      'Live from VIP: NEW, ENABLED, DISABLED, LOCKED or INACTIVE; UNAVAILABLE when VIP cannot ' +
      'be reached; null when no credential is registered',
  })
  credentialState: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'SYMC12345678' })
  credentialId: string | null;

  @ApiProperty({ example: 'tm-2f1c7a52-5d0e-4a57-9c51-3b0c4e0f6a11' })
  vipUserId: string;

  @ApiProperty({ description: 'Consecutive failed secure-token attempts' })
  failedAttempts: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lockedAt: string | null;
}

export class ResetCredentialView extends AuthenticationSettingsView {
  @ApiProperty({
    description:
      'True when the registration was cleared here but VIP could not be reached to unbind the ' +
      'credential. The next registration of the user removes the leftover binding.',
  })
  vipUnbindPending: boolean;
}

export class VipManagerView {
  @ApiProperty({ example: 'http://127.0.0.1:7101/manager' })
  url: string;
}

export class AuditEventView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ enum: AuditEventType })
  type: AuditEventType;

  @ApiProperty({ enum: AuditActorType })
  actorType: AuditActorType;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  actorUserId: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  targetUserId: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ type: String, nullable: true })
  requestId: string | null;

  @ApiProperty({ type: Object, nullable: true })
  detail: AuditDetail | null;
}

export class AuditEventPageView {
  @ApiProperty({ type: [AuditEventView] })
  items: AuditEventView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export function toAuditEventView(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    type: event.type,
    actorType: event.actorType,
    actorUserId: event.actorUserId,
    targetUserId: event.targetUserId,
    reason: event.reason,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    detail: event.detail,
  };
}
