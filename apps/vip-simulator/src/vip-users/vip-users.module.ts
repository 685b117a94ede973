import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CredentialEntity } from '../credentials/credential.entity';
import { CredentialsModule } from '../credentials/credentials.module';
import { ReportsModule } from '../reports/reports.module';
import { AuthenticationAcceptor } from './authentication-acceptor';
import { BoundCredentialsReader } from './bound-credentials-reader';
import { CredentialBindingEntity } from './credential-binding.entity';
import { TemporaryCodeEntity } from './temporary-code.entity';
import { TemporaryCodesService } from './temporary-codes.service';
import { VipUserEntity } from './vip-user.entity';
import { VipUsersHttpController } from './vip-users.http.controller';
import { VipUsersService } from './vip-users.service';
import { VipUsersTcpController } from './vip-users.tcp.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      VipUserEntity,
      CredentialBindingEntity,
      TemporaryCodeEntity,
      CredentialEntity,
    ]),
    CredentialsModule,
    ReportsModule,
  ],
  controllers: [VipUsersTcpController, VipUsersHttpController],
  providers: [
    VipUsersService,
    TemporaryCodesService,
    AuthenticationAcceptor,
    BoundCredentialsReader,
  ],
  exports: [VipUsersService],
})
export class VipUsersModule {}
