import { Module } from '@nestjs/common';

import { VipClient } from './vip-client.service';

@Module({ providers: [VipClient], exports: [VipClient] })
export class VipModule {}
