import { MessagePattern, Payload } from '@nestjs/microservices';

import { UsageReport, UsageReportRequest, VipPattern, VipReply, vipPattern } from '@app/contract';

import { RpcController } from '../common/rpc-controller.decorator';
import { vipSuccess } from '../common/vip-reply';
import { ReportsService } from './reports.service';

/** TCP message handler for usage reports. */
@RpcController()
export class ReportsTcpController {
  constructor(private readonly reports: ReportsService) {}

  @MessagePattern(vipPattern(VipPattern.UsageReport))
  async usage(@Payload() request: UsageReportRequest): Promise<VipReply<UsageReport>> {
    return vipSuccess(await this.reports.usageReport(request.from, request.to));
  }
}
