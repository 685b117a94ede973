import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream } from 'pino';

import { MetricsModule, buildLoggerOptions } from '@app/common';
import { buildDataSourceOptions } from '@app/database';

import { CoreModule } from './config/core.module';
import { SimulatorConfig } from './config/simulator-config';
import { CredentialsModule } from './credentials/credentials.module';
import { vipDataSourceOptions } from './database/vip-data-source';
import { HealthModule } from './health/health.module';
import { ManagerModule } from './manager/manager.module';
import { PingModule } from './ping/ping.module';
import { ReportsModule } from './reports/reports.module';
import { VipUsersModule } from './vip-users/vip-users.module';

/** Root module of the VIP simulator, built from a validated configuration. */
@Module({})
export class AppModule {
  static forRoot(config: SimulatorConfig, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        LoggerModule.forRoot(
          buildLoggerOptions({
            level: config.LOG_LEVEL,
            service: 'vip-simulator',
            pretty: config.NODE_ENV === 'development',
            destination: logDestination,
          }),
        ),
        TypeOrmModule.forRoot(
          buildDataSourceOptions(vipDataSourceOptions(config.DATABASE_URL, config.VIP_DB_SCHEMA)),
        ),
        MetricsModule.forRoot('vip-simulator'),
        PingModule,
        CredentialsModule,
        VipUsersModule,
        ReportsModule,
        ManagerModule,
        HealthModule,
      ],
    };
  }
}
