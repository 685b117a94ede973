import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { ReportsModule } from '../reports/reports.module';
import { CredentialBindingEntity } from '../vip-users/credential-binding.entity';
import { CredentialEntity } from './credential.entity';
import { CredentialValidationService } from './credential-validation.service';
import { CredentialsHttpController } from './credentials.http.controller';
import { CredentialsService } from './credentials.service';
import { CredentialsTcpController } from './credentials.tcp.controller';

@Module({
  imports: [TypeOrmModule.forFeature([CredentialEntity, CredentialBindingEntity]), ReportsModule],
  controllers: [CredentialsTcpController, CredentialsHttpController],
  providers: [CredentialsService, CredentialValidationService],
  exports: [CredentialsService, CredentialValidationService],
})
export class CredentialsModule {}
