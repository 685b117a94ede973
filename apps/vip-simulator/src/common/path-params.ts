import { ApiProperty } from '@nestjs/swagger';

import { IsCredentialId, IsVipUserId } from '@app/contract';

export class CredentialIdParam {
  @ApiProperty({ example: 'SYMC12345678' })
  @IsCredentialId()
  credentialId: string;
}

export class VipUserIdParam {
  @ApiProperty({ example: 'tm-user-0001' })
  @IsVipUserId()
  vipUserId: string;
}

export class UserCredentialParams extends VipUserIdParam {
  @ApiProperty({ example: 'SYMC12345678' })
  @IsCredentialId()
  credentialId: string;
}
