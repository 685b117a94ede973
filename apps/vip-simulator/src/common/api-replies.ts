import { Type, applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

import {
  AuthenticateReply,
  BindReply,
  CredentialInfo,
  CredentialState,
  CredentialType,
  CurrentCode,
  DisableReason,
  PingReply,
  ProvisionedCredential,
  TemporaryCodeReply,
  UsageReport,
  UsageReportRow,
  ValidationOutcome,
  VipUserInfo,
} from '@app/contract';

// OpenAPI schemas of the `data` of successful replies. Each class implements
// the contract's reply type, so a change to the contract fails to compile here.

export class PingReplySchema implements PingReply {
  @ApiProperty({ enum: ['vip-simulator'] })
  service: 'vip-simulator';

  @ApiProperty({ format: 'date-time' })
  time: string;
}

export class CredentialInfoSchema implements CredentialInfo {
  @ApiProperty({ example: 'SYMC12345678' })
  credentialId: string;

  @ApiProperty({ enum: CredentialType })
  type: CredentialType;

  @ApiProperty({ enum: CredentialState })
  state: CredentialState;

  @ApiProperty({ enum: DisableReason, nullable: true, type: String })
  disabledReason: DisableReason | null;

  @ApiProperty({ description: 'Consecutive failed validations since the last success' })
  failedAttempts: number;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastValidatedAt: string | null;

  @ApiProperty({ type: [String] })
  boundUserIds: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class ProvisionedCredentialSchema
  extends CredentialInfoSchema
  implements ProvisionedCredential
{
  @ApiProperty({ description: 'Base32 secret, returned only in this reply' })
  secret: string;

  @ApiProperty({ example: 'otpauth://totp/VIP%20Simulator:SYMC12345678?secret=…' })
  otpauthUri: string;
}

export class CurrentCodeSchema implements CurrentCode {
  @ApiProperty()
  credentialId: string;

  @ApiProperty({ example: '012345' })
  code: string;

  @ApiProperty({ description: 'Unix time divided by 30 seconds' })
  timeStep: number;

  @ApiProperty({ format: 'date-time' })
  validFrom: string;

  @ApiProperty({ format: 'date-time' })
  validUntil: string;
}

class BoundCredentialSchema {
  @ApiProperty()
  credentialId: string;

  @ApiProperty({ enum: CredentialType })
  type: CredentialType;

  @ApiProperty({ enum: CredentialState })
  state: CredentialState;

  @ApiProperty({ enum: DisableReason, nullable: true, type: String })
  disabledReason: DisableReason | null;
}

class TemporaryCodeStatusSchema {
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty()
  oneTime: boolean;
}

export class VipUserInfoSchema implements VipUserInfo {
  @ApiProperty()
  vipUserId: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: [BoundCredentialSchema] })
  credentials: BoundCredentialSchema[];

  @ApiProperty({ type: TemporaryCodeStatusSchema, nullable: true })
  temporaryCode: TemporaryCodeStatusSchema | null;
}

export class AuthenticateReplySchema implements AuthenticateReply {
  @ApiProperty()
  vipUserId: string;

  @ApiProperty({ nullable: true, type: String, description: 'null when a temporary code matched' })
  credentialId: string | null;

  @ApiProperty()
  usedTemporaryCode: boolean;
}

export class BindReplySchema implements BindReply {
  @ApiProperty()
  vipUserId: string;

  @ApiProperty({ type: CredentialInfoSchema })
  credential: CredentialInfoSchema;
}

export class TemporaryCodeReplySchema implements TemporaryCodeReply {
  @ApiProperty()
  vipUserId: string;

  @ApiProperty({ example: '482913', description: 'The temporary code, shown once' })
  code: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty()
  oneTime: boolean;
}

export class ClearTemporaryCodeReplySchema {
  @ApiProperty()
  vipUserId: string;

  @ApiProperty({ description: 'false when the user had no temporary code' })
  cleared: boolean;
}

class UsageReportRowSchema implements UsageReportRow {
  @ApiProperty({ format: 'date', example: '2026-01-31' })
  day: string;

  @ApiProperty({ enum: [...Object.values(CredentialType), 'TEMPORARY_CODE'] })
  credentialType: CredentialType | 'TEMPORARY_CODE';

  @ApiProperty({ enum: ValidationOutcome })
  outcome: ValidationOutcome;

  @ApiProperty()
  count: number;
}

class UsageCredentialSchema {
  @ApiProperty()
  credentialId: string;

  @ApiProperty({ enum: CredentialType })
  type: CredentialType;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String })
  lastValidatedAt: string | null;
}

export class UsageReportSchema implements UsageReport {
  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ type: [UsageReportRowSchema] })
  rows: UsageReportRowSchema[];

  @ApiProperty({ type: [UsageCredentialSchema] })
  credentials: UsageCredentialSchema[];
}

/**
 * Documents a successful reply: the envelope `{ status: "0000", message, data }`
 * with `data` of the given schema.
 */
export function ApiVipReply(data: Type<unknown>, status = 200): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(data),
    ApiResponse({
      status,
      description: 'VIP status 0000 and the result in data',
      schema: {
        type: 'object',
        required: ['status', 'message', 'data'],
        properties: {
          status: { type: 'string', enum: ['0000'] },
          message: { type: 'string', example: 'Success' },
          data: { $ref: getSchemaPath(data) },
        },
      },
    }),
  );
}
