import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

import { IsIsoDateTime, IsOptionalNonNull } from '@app/contract';

import { AuditEventType } from '../../audit/audit-event.entity';
import { IsNewPassword } from '../../common/password-policy';
import { IsNewUsername } from '../../common/username';
import { UserRole } from '../../users/user.entity';

export const MAX_LOCKOUT_THRESHOLD = 1000;

export class CreateUserDto {
  @ApiProperty({
    example: 'jane.doe',
    description: 'Trimmed and lower-cased; 3 to 64 of a-z 0-9 . _ @ -',
  })
  @IsNewUsername()
  username: string;

  @ApiProperty({
    description: 'Initial password: 12 or more characters, at most 72 UTF-8 bytes, no NUL',
  })
  @IsNewPassword()
  password: string;

  @ApiProperty({ enum: UserRole })
  @IsEnum(UserRole, { message: 'role must be USER or ADMIN' })
  role: UserRole;
}

export class UpdateSecureTokenDto {
  @ApiProperty({ description: 'Require secure tokens at login; needs provisioning first' })
  @IsBoolean({ message: 'enabled must be a boolean' })
  enabled: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LOCKOUT_THRESHOLD })
  @IsOptionalNonNull()
  @IsInt({ message: 'lockoutThreshold must be an integer' })
  @Min(1, { message: 'lockoutThreshold must be at least 1' })
  @Max(MAX_LOCKOUT_THRESHOLD, {
    message: `lockoutThreshold must be at most ${MAX_LOCKOUT_THRESHOLD}`,
  })
  lockoutThreshold?: number;
}

export class UnlockUserDto {
  @ApiPropertyOptional({
    description: 'Also reset the registration, so the user registers a credential again',
    default: false,
  })
  @IsOptionalNonNull()
  @IsBoolean({ message: 'resetRegistration must be a boolean' })
  resetRegistration?: boolean;
}

export class AuditEventQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only events whose target is this user' })
  @IsOptionalNonNull()
  @IsUUID('4', { message: 'userId must be a UUID' })
  userId?: string;

  @ApiPropertyOptional({ enum: AuditEventType })
  @IsOptionalNonNull()
  @IsEnum(AuditEventType, { message: 'type must be an audit event type' })
  type?: AuditEventType;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events at or after this time' })
  @IsOptionalNonNull()
  @IsIsoDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events before this time' })
  @IsOptionalNonNull()
  @IsIsoDateTime()
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptionalNonNull()
  // Only plain decimal digits become a number, so `1e1` or ` 10` fail the integer rule.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^[0-9]{1,4}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(200, { message: 'limit must be at most 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptionalNonNull()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(100, { message: 'cursor must be at most 100 characters' })
  cursor?: string;
}
