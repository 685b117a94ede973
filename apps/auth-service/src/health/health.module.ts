import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { VipModule } from '../vip/vip.module';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), VipModule],
  controllers: [HealthController],
})
export class HealthModule {}
