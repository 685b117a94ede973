import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { PingReply, VipReply } from '@app/contract';

import { ApiVipReply, PingReplySchema } from '../common/api-replies';
import { vipSuccess } from '../common/vip-reply';
import { PingTcpController } from './ping.tcp.controller';

/** HTTP twin of the TCP ping. */
@ApiTags('ping')
@Controller('api/v1/ping')
export class PingHttpController {
  @Get()
  @ApiOperation({ summary: 'Check that the simulator is up' })
  @ApiVipReply(PingReplySchema)
  ping(): VipReply<PingReply> {
    return vipSuccess({ service: 'vip-simulator', time: new Date().toISOString() });
  }
}

@Module({ controllers: [PingTcpController, PingHttpController] })
export class PingModule {}
