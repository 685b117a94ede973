import {
  DynamicModule,
  MiddlewareConsumer,
  Module,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';

import { buildLoggerOptions } from '@app/common';
import { MetricsModule } from '@app/common/metrics/metrics.module';
import { buildDataSourceOptions } from '@app/database';

import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { PrototypeKeysMiddleware } from './common/prototype-keys.middleware';
import { AuthConfig } from './config/auth-config';
import { CoreModule } from './core/core.module';
import { authDataSourceSettings } from './database/data-source-settings';
import { TypeOrmLogger } from './database/typeorm-logger';
import { HealthModule } from './health/health.module';
import { InstitutionsModule } from './institutions/institutions.module';

/** Root module of the auth service, built from an already validated configuration. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        LoggerModule.forRoot(
          buildLoggerOptions({
            level: config.LOG_LEVEL,
            service: 'auth-service',
            pretty: config.NODE_ENV === 'development',
          }),
        ),
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(authDataSourceSettings(config)),
          logger: new TypeOrmLogger(),
        }),
        MetricsModule.forRoot('auth-service'),
        InstitutionsModule,
        AuthModule,
        AdminModule,
        HealthModule,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(PrototypeKeysMiddleware)
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
