import { MessagePattern, Payload } from '@nestjs/microservices';

import {
  AuthenticateReply,
  AuthenticateRequest,
  BindCredentialRequest,
  BindReply,
  SetTemporaryCodeRequest,
  TemporaryCodeReply,
  UnbindCredentialRequest,
  UserRequest,
  VipPattern,
  VipReply,
  VipUserInfo,
  vipPattern,
} from '@app/contract';

import { RpcController } from '../common/rpc-controller.decorator';
import { vipSuccess } from '../common/vip-reply';
import { ClearTemporaryCodeReply } from './temporary-codes.service';
import { VipUsersService } from './vip-users.service';

/** TCP message handlers for VIP users, bindings, authentication and temporary codes. */
@RpcController()
export class VipUsersTcpController {
  constructor(private readonly users: VipUsersService) {}

  @MessagePattern(vipPattern(VipPattern.CreateUser))
  async create(@Payload() request: UserRequest): Promise<VipReply<VipUserInfo>> {
    return vipSuccess(await this.users.create(request.vipUserId, request.requestId));
  }

  @MessagePattern(vipPattern(VipPattern.GetUser))
  async get(@Payload() request: UserRequest): Promise<VipReply<VipUserInfo>> {
    return vipSuccess(await this.users.get(request.vipUserId));
  }

  @MessagePattern(vipPattern(VipPattern.BindCredential))
  async bind(@Payload() request: BindCredentialRequest): Promise<VipReply<BindReply>> {
    return vipSuccess(
      await this.users.bind(
        request.vipUserId,
        request.credentialId,
        request.code,
        request.requestId,
      ),
    );
  }

  @MessagePattern(vipPattern(VipPattern.UnbindCredential))
  async unbind(@Payload() request: UnbindCredentialRequest): Promise<VipReply<VipUserInfo>> {
    return vipSuccess(
      await this.users.unbind(request.vipUserId, request.credentialId, request.requestId),
    );
  }

  @MessagePattern(vipPattern(VipPattern.Authenticate))
  async authenticate(
    @Payload() request: AuthenticateRequest,
  ): Promise<VipReply<AuthenticateReply>> {
    return vipSuccess(
      await this.users.authenticate(request.vipUserId, request.code, request.requestId),
    );
  }

  @MessagePattern(vipPattern(VipPattern.SetTemporaryCode))
  async setTemporaryCode(
    @Payload() request: SetTemporaryCodeRequest,
  ): Promise<VipReply<TemporaryCodeReply>> {
    return vipSuccess(
      await this.users.setTemporaryCode(
        request.vipUserId,
        {
          code: request.code,
          expiresInSeconds: request.expiresInSeconds,
          oneTime: request.oneTime,
        },
        request.requestId,
      ),
    );
  }

  @MessagePattern(vipPattern(VipPattern.ClearTemporaryCode))
  async clearTemporaryCode(
    @Payload() request: UserRequest,
  ): Promise<VipReply<ClearTemporaryCodeReply>> {
    return vipSuccess(await this.users.clearTemporaryCode(request.vipUserId, request.requestId));
  }
}
