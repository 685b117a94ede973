import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { UserView } from '../../users/dto/user.view';
import { UserRole } from '../../users/user.entity';
import { LoginStatus } from '../login.service';

export class LoginResponse {
  @ApiProperty({ enum: LoginStatus })
  status: LoginStatus;

  @ApiPropertyOptional({ description: 'Present when status is AUTHENTICATED' })
  sessionToken?: string;

  @ApiPropertyOptional({
    description:
      'Present when a secure-token step follows; single use, bound to this user and step',
  })
  challengeToken?: string;

  @ApiProperty({ format: 'date-time', description: 'Expiry of the session or challenge token' })
  expiresAt: string;
}

export class SessionResponse {
  @ApiProperty({ enum: [LoginStatus.Authenticated] })
  status: LoginStatus.Authenticated;

  @ApiProperty()
  sessionToken: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class PreviousLoginView {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;
}

export class FailedAttemptView {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ example: 'INVALID_CODE' })
  reason: string;
}

export class MeResponse {
  @ApiProperty({ type: UserView })
  user: UserView;

  @ApiProperty({ type: PreviousLoginView, nullable: true })
  previousLogin: PreviousLoginView | null;

  @ApiProperty({
    type: [FailedAttemptView],
    description: 'Failed secure-token attempts since the previous login, newest first (max 100)',
  })
  failedAttemptsSinceLastLogin: FailedAttemptView[];
}

export class IntrospectResponse {
  @ApiProperty()
  active: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  userId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  institutionId?: string;

  @ApiPropertyOptional({ enum: UserRole })
  role?: UserRole;

  @ApiPropertyOptional({ format: 'date-time' })
  expiresAt?: string;
}
