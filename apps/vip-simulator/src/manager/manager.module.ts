import { Module } from '@nestjs/common';

import { CredentialsModule } from '../credentials/credentials.module';
import { ReportsModule } from '../reports/reports.module';
import { VipUsersModule } from '../vip-users/vip-users.module';

@Module({ imports: [CredentialsModule, VipUsersModule, ReportsModule] })
export class ManagerModule {}
