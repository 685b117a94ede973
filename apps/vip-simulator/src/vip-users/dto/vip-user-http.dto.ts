import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';

import {
  AuthenticateRequest,
  BindCredentialRequest,
  SetTemporaryCodeRequest,
  UserRequest,
} from '@app/contract';

// HTTP bodies extend the TCP request classes, so both transports apply the same
// validation rules. Path parameters replace the ID fields, and the request id
// comes from the x-request-id header.

export class CreateUserBody extends OmitType(UserRequest, ['requestId']) {
  @ApiProperty({ example: 'tm-user-0001', description: '1 to 64 of A-Z a-z 0-9 . _ @ -' })
  override vipUserId: string;
}

export class BindBody extends OmitType(BindCredentialRequest, ['requestId', 'vipUserId']) {
  @ApiProperty({ example: 'SYMC12345678' })
  override credentialId: string;

  @ApiProperty({ example: '012345', description: 'current code of the credential' })
  override code: string;
}

export class AuthenticateBody extends OmitType(AuthenticateRequest, ['requestId', 'vipUserId']) {
  @ApiProperty({ example: '012345', description: 'six digits, as a string' })
  override code: string;
}

export class SetTemporaryCodeBody extends OmitType(SetTemporaryCodeRequest, [
  'requestId',
  'vipUserId',
]) {
  @ApiPropertyOptional({ example: '123456', description: 'generated when absent' })
  override code?: string;

  @ApiPropertyOptional({ example: 86400, description: 'lifetime in seconds, 60 to 2592000' })
  override expiresInSeconds?: number;

  @ApiPropertyOptional({ example: false, description: 'the code works once' })
  override oneTime?: boolean;
}
