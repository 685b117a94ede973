import { IsBoolean, IsEnum, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

import { CredentialAction, CredentialType, DisableReason } from './enums';
import {
  IsCredentialId,
  IsIsoDateTime,
  IsOptionalNonNull,
  IsSecurityCode,
  IsVipUserId,
} from './validators';

/** Maximum lifetime of a temporary security code in VIP Manager: 30 days. */
export const MAX_TEMPORARY_CODE_SECONDS = 30 * 24 * 60 * 60;

/** Fields every TCP request may carry. */
export class VipRequest {
  /** Correlation id of the caller's request, echoed in the simulator's logs. */
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(128)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'requestId must contain only A-Z a-z 0-9 . _ : -' })
  requestId?: string;
}

export class PingRequest extends VipRequest {}

export class ProvisionCredentialRequest extends VipRequest {
  @IsEnum(CredentialType, { message: 'type must be one of MOBILE, DESKTOP, HARDWARE' })
  type: CredentialType;
}

/** Imports an existing credential, such as a legacy VSMT or VSST token, with its secret. */
export class ImportCredentialRequest extends VipRequest {
  @IsCredentialId()
  credentialId: string;

  /** Base32 secret of 16 to 64 bytes. */
  @IsString()
  @Matches(/^[A-Z2-7]{26,103}=*$/, {
    message: 'secret must be base32 (A-Z, 2-7) of 16 to 64 bytes',
  })
  secret: string;
}

export class CredentialRequest extends VipRequest {
  @IsCredentialId()
  credentialId: string;
}

export class GetCurrentCodeRequest extends CredentialRequest {
  /** Time to compute the code for; defaults to now. */
  @IsOptionalNonNull()
  @IsIsoDateTime()
  at?: string;
}

export class ChangeCredentialStateRequest extends CredentialRequest {
  @IsEnum(CredentialAction, {
    message: 'action must be one of ACTIVATE, DEACTIVATE, ENABLE, DISABLE, UNLOCK',
  })
  action: CredentialAction;

  /** Required reason when the action is DISABLE. */
  @IsOptionalNonNull()
  @IsEnum(DisableReason, { message: 'reason must be one of LOST, STOLEN, DAMAGED, UNSPECIFIED' })
  reason?: DisableReason;
}

export class SynchronizeCredentialRequest extends CredentialRequest {
  @IsSecurityCode()
  code1: string;

  @IsSecurityCode()
  code2: string;
}

export class UserRequest extends VipRequest {
  @IsVipUserId()
  vipUserId: string;
}

export class BindCredentialRequest extends UserRequest {
  @IsCredentialId()
  credentialId: string;

  /** Current security code of the credential, as proof of possession. */
  @IsSecurityCode()
  code: string;
}

export class UnbindCredentialRequest extends UserRequest {
  @IsCredentialId()
  credentialId: string;
}

export class AuthenticateRequest extends UserRequest {
  @IsSecurityCode()
  code: string;
}

export class SetTemporaryCodeRequest extends UserRequest {
  /** The code to set; the simulator generates one when absent. */
  @IsOptionalNonNull()
  @IsSecurityCode()
  code?: string;

  /** Lifetime in seconds: default one day, at most 30 days. */
  @IsOptionalNonNull()
  @IsInt({ message: 'expiresInSeconds must be an integer' })
  @Min(60, { message: 'expiresInSeconds must be at least 60' })
  @Max(MAX_TEMPORARY_CODE_SECONDS, {
    message: `expiresInSeconds must be at most ${MAX_TEMPORARY_CODE_SECONDS} (30 days)`,
  })
  expiresInSeconds?: number;

  @IsOptionalNonNull()
  @IsBoolean({ message: 'oneTime must be a boolean' })
  oneTime?: boolean;
}

export class UsageReportRequest extends VipRequest {
  /** First day of the report, YYYY-MM-DD (UTC). */
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date as YYYY-MM-DD' })
  from: string;

  /** Last day of the report, inclusive, YYYY-MM-DD (UTC). */
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date as YYYY-MM-DD' })
  to: string;
}
