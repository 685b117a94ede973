import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';

import {
  ChangeCredentialStateRequest,
  CredentialAction,
  CredentialType,
  DisableReason,
  GetCurrentCodeRequest,
  ImportCredentialRequest,
  ProvisionCredentialRequest,
  SynchronizeCredentialRequest,
} from '@app/contract';

// HTTP bodies extend the TCP request classes, so both transports apply the same
// validation rules. Path parameters replace the ID fields, and the request id
// comes from the x-request-id header.

export class ProvisionCredentialBody extends OmitType(ProvisionCredentialRequest, ['requestId']) {
  @ApiProperty({ enum: CredentialType, example: CredentialType.Mobile })
  override type: CredentialType;
}

export class ImportCredentialBody extends OmitType(ImportCredentialRequest, ['requestId']) {
  @ApiProperty({ example: 'VSMT12345678', description: '4 capital letters and 8 digits' })
  override credentialId: string;

  @ApiProperty({ example: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', description: 'base32 secret' })
  override secret: string;
}

export class CurrentCodeQuery extends OmitType(GetCurrentCodeRequest, [
  'requestId',
  'credentialId',
]) {
  @ApiPropertyOptional({ description: 'ISO 8601 time to compute the code for; default now' })
  override at?: string;
}

export class ChangeStateBody extends OmitType(ChangeCredentialStateRequest, [
  'requestId',
  'credentialId',
]) {
  @ApiProperty({ enum: CredentialAction })
  override action: CredentialAction;

  @ApiPropertyOptional({ enum: DisableReason, description: 'required when action is DISABLE' })
  override reason?: DisableReason;
}

export class SynchronizeBody extends OmitType(SynchronizeCredentialRequest, [
  'requestId',
  'credentialId',
]) {
  @ApiProperty({ example: '123456', description: 'code of one time step' })
  override code1: string;

  @ApiProperty({ example: '654321', description: 'code of the next time step' })
  override code2: string;
}
