import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { VipModule } from '../vip/vip.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [AuditModule, AuthModule, SessionsModule, UsersModule, VipModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
