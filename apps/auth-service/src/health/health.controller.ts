import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';

import Redis from 'ioredis';

import { checkReadiness } from '@app/common';
import { PingReply, VipPattern } from '@app/contract';

import { RATE_LIMIT_REDIS } from '../rate-limit/rate-limit.module';
import { VipClient } from '../vip/vip-client.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly vip: VipClient,
    @Inject(RATE_LIMIT_REDIS) private readonly redis: Redis | null,
  ) {}

  /** Reports that the process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Checks that PostgreSQL runs a query, that the VIP simulator replies to a
   * TCP ping and, with REDIS_URL set, that the rate-limit Redis replies to PING.
   */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const redis = this.redis;

    return checkReadiness(this.health, [
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.pingVip(),
      ...(redis ? [() => this.pingRedis(redis)] : []),
    ]);
  }

  private async pingRedis(redis: Redis): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      await redis.ping();

      return indicator.up();
    } catch (error) {
      return indicator.down({ reason: error instanceof Error ? error.message : String(error) });
    }
  }

  private async pingVip(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('vip');
    const result = await this.vip.send<PingReply>(VipPattern.Ping, {});

    return result.kind === 'success'
      ? indicator.up()
      : indicator.down({ reason: result.kind === 'vip-error' ? result.status : result.failure });
  }
}
