import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

import { IsNewPassword } from '../../common/password-policy';
import { IsNewUsername } from '../../common/username';

export class CreateInstitutionDto {
  @ApiProperty({ example: 'First Example Bank', minLength: 1, maxLength: 200 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'name must be a string' })
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
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
