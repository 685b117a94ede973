import { ApiProperty } from '@nestjs/swagger';

import { User, UserAuthenticationStatus, UserRole, authenticationStatusOf } from '../user.entity';

export class UserView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  institutionId: string;

  @ApiProperty({ example: 'jane.doe' })
  username: string;

  @ApiProperty({ enum: UserRole })
  role: UserRole;

  @ApiProperty({ enum: UserAuthenticationStatus })
  authenticationStatus: UserAuthenticationStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    institutionId: user.institutionId,
    username: user.username,
    role: user.role,
    authenticationStatus: authenticationStatusOf(user),
    createdAt: user.createdAt.toISOString(),
  };
}
