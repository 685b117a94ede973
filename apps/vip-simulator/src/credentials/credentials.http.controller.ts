import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequestId } from '@app/common';
import { CredentialInfo, CurrentCode, ProvisionedCredential, VipReply } from '@app/contract';

import {
  ApiVipReply,
  CredentialInfoSchema,
  CurrentCodeSchema,
  ProvisionedCredentialSchema,
} from '../common/api-replies';
import { ApiVipErrorResponses } from '../common/api-vip-errors';
import { vipSuccess } from '../common/vip-reply';
import { CredentialIdParam } from '../common/path-params';
import { CredentialsService } from './credentials.service';
import {
  ChangeStateBody,
  CurrentCodeQuery,
  ImportCredentialBody,
  ProvisionCredentialBody,
  SynchronizeBody,
} from './dto/credential-http.dto';

/** HTTP twin of the credential TCP handlers, for testers with curl. */
@ApiTags('credentials')
@ApiVipErrorResponses()
@Controller('api/v1/credentials')
export class CredentialsHttpController {
  constructor(private readonly credentials: CredentialsService) {}

  @Post()
  @ApiOperation({ summary: 'Provision a credential; the reply holds its secret, shown once' })
  @ApiVipReply(ProvisionedCredentialSchema, 201)
  async provision(
    @Body() body: ProvisionCredentialBody,
    @RequestId() requestId?: string,
  ): Promise<VipReply<ProvisionedCredential>> {
    return vipSuccess(await this.credentials.provision(body.type, requestId));
  }

  @Post('import')
  @ApiOperation({ summary: 'Import an existing credential with its secret' })
  @ApiVipReply(CredentialInfoSchema, 201)
  async importCredential(
    @Body() body: ImportCredentialBody,
    @RequestId() requestId?: string,
  ): Promise<VipReply<CredentialInfo>> {
    return vipSuccess(
      await this.credentials.importCredential(body.credentialId, body.secret, requestId),
    );
  }

  @Get(':credentialId')
  @ApiOperation({ summary: 'Get a credential with its state and bound users' })
  @ApiVipReply(CredentialInfoSchema)
  async get(@Param() params: CredentialIdParam): Promise<VipReply<CredentialInfo>> {
    return vipSuccess(await this.credentials.get(params.credentialId));
  }

  @Get(':credentialId/code')
  @ApiOperation({ summary: 'Compute the code the token shows now or at a given time' })
  @ApiVipReply(CurrentCodeSchema)
  async currentCode(
    @Param() params: CredentialIdParam,
    @Query() query: CurrentCodeQuery,
  ): Promise<VipReply<CurrentCode>> {
    return vipSuccess(await this.credentials.currentCode(params.credentialId, query.at));
  }

  @Post(':credentialId/state')
  @HttpCode(200)
  @ApiOperation({ summary: 'Activate, deactivate, enable, disable or unlock a credential' })
  @ApiVipReply(CredentialInfoSchema)
  async changeState(
    @Param() params: CredentialIdParam,
    @Body() body: ChangeStateBody,
    @RequestId() requestId?: string,
  ): Promise<VipReply<CredentialInfo>> {
    return vipSuccess(
      await this.credentials.changeState(params.credentialId, body.action, body.reason, requestId),
    );
  }

  @Post(':credentialId/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resynchronise a credential with two consecutive codes' })
  @ApiVipReply(CredentialInfoSchema)
  async synchronize(
    @Param() params: CredentialIdParam,
    @Body() body: SynchronizeBody,
    @RequestId() requestId?: string,
  ): Promise<VipReply<CredentialInfo>> {
    return vipSuccess(
      await this.credentials.synchronize(params.credentialId, body.code1, body.code2, requestId),
    );
  }
}
