import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequestId } from '@app/common';
import {
  AuthenticateReply,
  BindReply,
  TemporaryCodeReply,
  VipReply,
  VipUserInfo,
} from '@app/contract';

import { UserCredentialParams, VipUserIdParam } from '../common/path-params';
import {
  ApiVipReply,
  AuthenticateReplySchema,
  BindReplySchema,
  ClearTemporaryCodeReplySchema,
  TemporaryCodeReplySchema,
  VipUserInfoSchema,
} from '../common/api-replies';
import { ApiVipErrorResponses } from '../common/api-vip-errors';
import { vipSuccess } from '../common/vip-reply';
import {
  AuthenticateBody,
  BindBody,
  CreateUserBody,
  SetTemporaryCodeBody,
} from './dto/vip-user-http.dto';
import { ClearTemporaryCodeReply } from './temporary-codes.service';
import { VipUsersService } from './vip-users.service';

/** HTTP twin of the VIP user TCP handlers, for testers with curl. */
@ApiTags('users')
@ApiVipErrorResponses()
@Controller('api/v1/users')
export class VipUsersHttpController {
  constructor(private readonly users: VipUsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a VIP user with an ID chosen by the caller' })
  @ApiVipReply(VipUserInfoSchema, 201)
  async create(
    @Body() body: CreateUserBody,
    @RequestId() requestId?: string,
  ): Promise<VipReply<VipUserInfo>> {
    return vipSuccess(await this.users.create(body.vipUserId, requestId));
  }

  @Get(':vipUserId')
  @ApiOperation({ summary: 'Get a VIP user with bound credentials and temporary code status' })
  @ApiVipReply(VipUserInfoSchema)
  async get(@Param() params: VipUserIdParam): Promise<VipReply<VipUserInfo>> {
    return vipSuccess(await this.users.get(params.vipUserId));
  }

  @Post(':vipUserId/bindings')
  @ApiOperation({ summary: 'Bind a credential to the user with a current code' })
  @ApiVipReply(BindReplySchema, 201)
  async bind(
    @Param() params: VipUserIdParam,
    @Body() body: BindBody,
    @RequestId() requestId?: string,
  ): Promise<VipReply<BindReply>> {
    return vipSuccess(
      await this.users.bind(params.vipUserId, body.credentialId, body.code, requestId),
    );
  }

  @Delete(':vipUserId/bindings/:credentialId')
  @ApiOperation({ summary: 'Unbind a credential from the user' })
  @ApiVipReply(VipUserInfoSchema)
  async unbind(
    @Param() params: UserCredentialParams,
    @RequestId() requestId?: string,
  ): Promise<VipReply<VipUserInfo>> {
    return vipSuccess(await this.users.unbind(params.vipUserId, params.credentialId, requestId));
  }

  @Post(':vipUserId/authenticate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Authenticate the user with a security code' })
  @ApiVipReply(AuthenticateReplySchema)
  async authenticate(
    @Param() params: VipUserIdParam,
    @Body() body: AuthenticateBody,
    @RequestId() requestId?: string,
  ): Promise<VipReply<AuthenticateReply>> {
    return vipSuccess(await this.users.authenticate(params.vipUserId, body.code, requestId));
  }

  @Put(':vipUserId/temporary-code')
  @ApiOperation({ summary: 'Set a temporary security code; the reply shows the code' })
  @ApiVipReply(TemporaryCodeReplySchema)
  async setTemporaryCode(
    @Param() params: VipUserIdParam,
    @Body() body: SetTemporaryCodeBody,
    @RequestId() requestId?: string,
  ): Promise<VipReply<TemporaryCodeReply>> {
    return vipSuccess(await this.users.setTemporaryCode(params.vipUserId, body, requestId));
  }

  @Delete(':vipUserId/temporary-code')
  @ApiOperation({ summary: 'Clear the temporary security code' })
  @ApiVipReply(ClearTemporaryCodeReplySchema)
  async clearTemporaryCode(
    @Param() params: VipUserIdParam,
    @RequestId() requestId?: string,
  ): Promise<VipReply<ClearTemporaryCodeReply>> {
    return vipSuccess(await this.users.clearTemporaryCode(params.vipUserId, requestId));
  }
}
