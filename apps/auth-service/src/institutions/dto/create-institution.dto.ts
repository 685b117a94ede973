import { ApiProperty } from '@nestjs/swagger';

import { IsDisplayName } from '../../common/display-name';
import { IsNewPassword } from '../../common/password-policy';
import { IsNewUsername } from '../../common/username';

export class CreateInstitutionDto {
  @ApiProperty({
    example: 'First Example Bank',
    minLength: 1,
    maxLength: 200,
    description:
      'Unicode NFC, trimmed, inner white space runs turned into one space; no control, invisible or unassigned characters',
  })
  @IsDisplayName(200)
  name: string;

  @ApiProperty({
    example: 'fi.admin',
    description: 'Trimmed and lower-cased; 3 to 64 of a-z 0-9 . _ @ -',
  })
  @IsNewUsername()
  adminUsername: string;

  @ApiProperty({ description: '12 or more characters, at most 72 UTF-8 bytes, no NUL' })
  @IsNewPassword()
  adminPassword: string;
}
