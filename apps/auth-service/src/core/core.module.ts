import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { PasswordHasher } from '../common/password-hasher.service';
import { AuthConfig } from '../config/auth-config';
import { AuthMetrics } from '../metrics/auth-metrics';

/** Provides the validated AuthConfig, bcrypt hashing and the domain metrics to every module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ ...config })] })],
      providers: [{ provide: AuthConfig, useValue: config }, PasswordHasher, AuthMetrics],
      exports: [ConfigModule, AuthConfig, PasswordHasher, AuthMetrics],
    };
  }
}
