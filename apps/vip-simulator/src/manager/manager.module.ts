import { Module } from '@nestjs/common';

import { CredentialsModule } from '../credentials/credentials.module';
import { ReportsModule } from '../reports/reports.module';
import { VipUsersModule } from '../vip-users/vip-users.module';
import { ManagerController } from './manager.controller';

@Module({
  imports: [CredentialsModule, VipUsersModule, ReportsModule],
  controllers: [ManagerController],
})
export class ManagerModule {}
