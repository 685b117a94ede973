import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';

import { PingReply, VipPattern } from '@app/contract';

import { VipClient } from '../vip/vip-client.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly vip: VipClient,
  ) {}

  /** Reports that the process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Checks that PostgreSQL runs a query and that the VIP simulator replies to a TCP ping. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.pingVip(),
    ]);
  }

  private async pingVip(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('vip');
    const result = await this.vip.send<PingReply>(VipPattern.Ping, {});

    return result.kind === 'success'
      ? indicator.up()
      : indicator.down({ reason: result.kind === 'vip-error' ? result.status : result.failure });
  }
}
