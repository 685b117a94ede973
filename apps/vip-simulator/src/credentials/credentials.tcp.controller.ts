import { MessagePattern, Payload } from '@nestjs/microservices';

import {
  ChangeCredentialStateRequest,
  CredentialInfo,
  CredentialRequest,
  CurrentCode,
  GetCurrentCodeRequest,
  ImportCredentialRequest,
  ProvisionCredentialRequest,
  ProvisionedCredential,
  SynchronizeCredentialRequest,
  VipPattern,
  VipReply,
  vipPattern,
} from '@app/contract';

import { RpcController } from '../common/rpc-controller.decorator';
import { vipSuccess } from '../common/vip-reply';
import { CredentialsService } from './credentials.service';

/** TCP message handlers for credentials. */
@RpcController()
export class CredentialsTcpController {
  constructor(private readonly credentials: CredentialsService) {}

  @MessagePattern(vipPattern(VipPattern.ProvisionCredential))
  async provision(
    @Payload() request: ProvisionCredentialRequest,
  ): Promise<VipReply<ProvisionedCredential>> {
    return vipSuccess(await this.credentials.provision(request.type, request.requestId));
  }

  @MessagePattern(vipPattern(VipPattern.ImportCredential))
  async importCredential(
    @Payload() request: ImportCredentialRequest,
  ): Promise<VipReply<CredentialInfo>> {
    return vipSuccess(
      await this.credentials.importCredential(
        request.credentialId,
        request.secret,
        request.requestId,
      ),
    );
  }

  @MessagePattern(vipPattern(VipPattern.GetCredential))
  async get(@Payload() request: CredentialRequest): Promise<VipReply<CredentialInfo>> {
    return vipSuccess(await this.credentials.get(request.credentialId));
  }

  @MessagePattern(vipPattern(VipPattern.GetCurrentCode))
  async currentCode(@Payload() request: GetCurrentCodeRequest): Promise<VipReply<CurrentCode>> {
    return vipSuccess(await this.credentials.currentCode(request.credentialId, request.at));
  }

  @MessagePattern(vipPattern(VipPattern.ChangeCredentialState))
  async changeState(
    @Payload() request: ChangeCredentialStateRequest,
  ): Promise<VipReply<CredentialInfo>> {
    return vipSuccess(
      await this.credentials.changeState(
        request.credentialId,
        request.action,
        request.reason,
        request.requestId,
      ),
    );
  }

  @MessagePattern(vipPattern(VipPattern.SynchronizeCredential))
  async synchronize(
    @Payload() request: SynchronizeCredentialRequest,
  ): Promise<VipReply<CredentialInfo>> {
    return vipSuccess(
      await this.credentials.synchronize(
        request.credentialId,
        request.code1,
        request.code2,
        request.requestId,
      ),
    );
  }
}
