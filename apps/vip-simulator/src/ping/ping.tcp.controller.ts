import { MessagePattern, Payload } from '@nestjs/microservices';

import { PingReply, PingRequest, VipPattern, VipReply, vipPattern } from '@app/contract';

import { RpcController } from '../common/rpc-controller.decorator';
import { vipSuccess } from '../common/vip-reply';

/** TCP liveness check used by callers' readiness probes. */
@RpcController()
export class PingTcpController {
  @MessagePattern(vipPattern(VipPattern.Ping))
  ping(@Payload() _request: PingRequest): VipReply<PingReply> {
    return vipSuccess({ service: 'vip-simulator', time: new Date().toISOString() });
  }
}
