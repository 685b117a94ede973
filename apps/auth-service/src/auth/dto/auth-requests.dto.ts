import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

import { IsCredentialId, IsPin, IsSecurityCode } from '@app/contract';

import { IsChallengeToken } from '../../common/challenge-token';
import { IsLoginPassword } from '../../common/password-policy';

export class LoginDto {
  @ApiProperty({ example: 'jane.doe', description: 'Trimmed and compared without case' })
  @IsString({ message: 'username must be a string' })
  @MaxLength(256, { message: 'username must be at most 256 characters' })
  username: string;

  @ApiProperty({ description: 'At most 72 UTF-8 bytes, no NUL' })
  @IsLoginPassword()
  password: string;
}

export class RegisterDto {
  @ApiProperty({ description: 'challengeToken from a TOKEN_REGISTRATION_REQUIRED login' })
  @IsChallengeToken()
  challengeToken: string;

  @ApiProperty({ example: 'SYMC12345678' })
  @IsCredentialId()
  credentialId: string;

  @ApiProperty({ example: '012345', description: 'Exactly 6 ASCII digits, as a string' })
  @IsSecurityCode()
  securityCode: string;

  @ApiProperty({ example: '0427', description: 'The PIN the user chooses: exactly 4 ASCII digits' })
  @IsPin()
  pin: string;
}

export class StepUpDto {
  @ApiProperty({ description: 'challengeToken from a TOKEN_REQUIRED login' })
  @IsChallengeToken()
  challengeToken: string;

  @ApiProperty({ example: '012345', description: 'Exactly 6 ASCII digits, as a string' })
  @IsSecurityCode()
  securityCode: string;

  @ApiProperty({ example: '0427', description: 'Exactly 4 ASCII digits' })
  @IsPin()
  pin: string;
}

export class IntrospectDto {
  @ApiProperty({ description: 'A session token; any other string gives active: false' })
  @IsString({ message: 'token must be a string' })
  @MaxLength(512, { message: 'token must be at most 512 characters' })
  token: string;
}
