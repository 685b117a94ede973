import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { ServiceKeyGuard } from '../common/api-key.guard';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { VipModule } from '../vip/vip.module';
import { AccountService } from './account.service';
import { AuthController } from './auth.controller';
import { ChallengesService } from './challenges.service';
import { LoginStatements } from './login-statements';
import { LoginService } from './login.service';
import { SecondFactorService } from './second-factor.service';

@Module({
  imports: [AuditModule, SessionsModule, VipModule, RateLimitModule],
  controllers: [AuthController],
  providers: [
    LoginStatements,
    ChallengesService,
    LoginService,
    SecondFactorService,
    AccountService,
    ServiceKeyGuard,
  ],
  exports: [ChallengesService],
})
export class AuthModule {}
