import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags, OmitType } from '@nestjs/swagger';

import { UsageReport, UsageReportRequest, VipReply } from '@app/contract';

import { ApiVipReply, UsageReportSchema } from '../common/api-replies';
import { ApiVipErrorResponses } from '../common/api-vip-errors';
import { vipSuccess } from '../common/vip-reply';
import { ReportsService } from './reports.service';

export class UsageReportQuery extends OmitType(UsageReportRequest, ['requestId']) {
  @ApiProperty({ example: '2026-01-01', description: 'first day, YYYY-MM-DD (UTC)' })
  override from: string;

  @ApiProperty({ example: '2026-01-31', description: 'last day, inclusive, YYYY-MM-DD (UTC)' })
  override to: string;
}

/** HTTP twin of the usage report TCP handler. */
@ApiTags('reports')
@ApiVipErrorResponses()
@Controller('api/v1/reports')
export class ReportsHttpController {
  constructor(private readonly reports: ReportsService) {}

  @Get('usage')
  @ApiOperation({ summary: 'Count validations per day, credential type and outcome' })
  @ApiVipReply(UsageReportSchema)
  async usage(@Query() query: UsageReportQuery): Promise<VipReply<UsageReport>> {
    return vipSuccess(await this.reports.usageReport(query.from, query.to));
  }
}
