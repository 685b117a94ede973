import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CredentialEntity } from '../credentials/credential.entity';
import { ReportsHttpController } from './reports.http.controller';
import { ReportsService } from './reports.service';
import { ReportsTcpController } from './reports.tcp.controller';
import { ValidationEventEntity } from './validation-event.entity';
import { ValidationMetrics } from './validation-metrics';

@Module({
  imports: [TypeOrmModule.forFeature([ValidationEventEntity, CredentialEntity])],
  controllers: [ReportsTcpController, ReportsHttpController],
  providers: [ReportsService, ValidationMetrics],
  exports: [ReportsService],
})
export class ReportsModule {}
