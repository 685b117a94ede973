import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { OperatorKeyGuard } from '../common/api-key.guard';
import { UsersModule } from '../users/users.module';
import { InstitutionsService } from './institutions.service';
import { OperatorController } from './operator.controller';

@Module({
  imports: [AuditModule, UsersModule],
  controllers: [OperatorController],
  providers: [InstitutionsService, OperatorKeyGuard],
})
export class InstitutionsModule {}
