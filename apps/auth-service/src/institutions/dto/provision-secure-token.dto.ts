import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class ProvisionSecureTokenDto {
  @ApiProperty({
    example: 'CASE-01234567',
    description: 'Reference of the support case that requested secure tokens',
  })
  @IsString({ message: 'supportCaseReference must be a string' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._:#/-]{0,99}$/, {
    message:
      'supportCaseReference must be 1 to 100 characters: letters, digits, space and . _ : # / -',
  })
  supportCaseReference: string;
}
