import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream } from 'pino';

import { MetricsModule, buildLoggerOptions } from '@app/common';
import { buildDataSourceOptions } from '@app/database';

import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { AuthConfig } from './config/auth-config';
import { CoreModule } from './core/core.module';
import { authDataSourceSettings } from './database/data-source-settings';
import { HealthModule } from './health/health.module';
import { InstitutionsModule } from './institutions/institutions.module';

/** Root module of the auth service, built from an already validated configuration. */
@Module({})
export class AppModule {
  static forRoot(config: AuthConfig, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        LoggerModule.forRoot(
          buildLoggerOptions({
            level: config.LOG_LEVEL,
            service: 'auth-service',
            pretty: config.NODE_ENV === 'development',
            destination: logDestination,
          }),
        ),
        TypeOrmModule.forRoot(buildDataSourceOptions(authDataSourceSettings(config))),
        MetricsModule.forRoot('auth-service'),
        InstitutionsModule,
        AuthModule,
        AdminModule,
        HealthModule,
      ],
    };
  }
}
