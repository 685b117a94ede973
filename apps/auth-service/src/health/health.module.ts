import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { RateLimitRedisModule } from '../rate-limit/rate-limit.module';
import { VipModule } from '../vip/vip.module';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), VipModule, RateLimitRedisModule],
  controllers: [HealthController],
})
export class HealthModule {}
