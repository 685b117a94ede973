import { AddressInfo } from 'node:net';

import { INestApplication, Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { DestinationStream } from 'pino';

import { configureHttpApp, validateConfig, withQuietFrameworkWiring } from '@app/common';
import { ServerJsonSocket } from '@app/contract';
import { findFreePort, migrate, redactDatabaseUrl } from '@app/database';

import { AppModule } from './app.module';
import { mapVipExceptionToHttp } from './common/http-status.mapper';
import { VipReplySerializer } from './common/vip-reply.serializer';
import { VipRequestDeserializer } from './common/vip-request.deserializer';
import { VipTcpServer } from './common/vip-tcp-server';
import { SimulatorConfig } from './config/simulator-config';
import { vipDataSourceOptions } from './database/vip-data-source';
import { SIMULATOR_OPENAPI } from './openapi';

/** A running simulator: its Nest app, where it listens and how to stop it. */
export interface VipSimulatorHandle {
  app: INestApplication;
  config: SimulatorConfig;
  tcpPort: number;
  httpUrl: string;
  close(): Promise<void>;
}

export interface VipSimulatorOptions {
  /** Stream that receives the log lines instead of stdout. */
  logDestination?: DestinationStream;
}

/**
 * Starts the simulator as one hybrid app: a NestJS TCP microservice for
 * services and an HTTP server for testers. Settings come from the
 * environment, and `overrides` take precedence. Port 0 picks a free port.
 * Migrations run before the app starts.
 */
export async function bootstrapVipSimulator(
  overrides: Partial<Record<string, string>> = {},
  options: VipSimulatorOptions = {},
): Promise<VipSimulatorHandle> {
  const config = validateConfig(SimulatorConfig, { ...process.env, ...overrides });
  if (config.VIP_TCP_PORT === 0) {
    config.VIP_TCP_PORT = await findFreePort();
  }
  await migrate(vipDataSourceOptions(config.DATABASE_URL, config.VIP_DB_SCHEMA));

  const app = await NestFactory.create(AppModule.forRoot(config, options.logDestination), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(withQuietFrameworkWiring(app.get(Logger)));
  const logger = new NestLogger('VipSimulator');
  configureHttpApp(app, {
    ...SIMULATOR_OPENAPI,
    mapDomainError: mapVipExceptionToHttp,
    formPathPrefix: '/manager',
  });
  app.connectMicroservice<MicroserviceOptions>({
    strategy: new VipTcpServer({
      host: config.VIP_TCP_HOST,
      port: config.VIP_TCP_PORT,
      socketClass: ServerJsonSocket,
      serializer: new VipReplySerializer(),
      deserializer: new VipRequestDeserializer(),
    }),
  });

  try {
    await app.startAllMicroservices();
    await app.listen(config.VIP_HTTP_PORT, config.VIP_HTTP_HOST);
  } catch (error) {
    // A port taken by another process: release the database pool and any
    // listener already opened, so that the caller may try again or exit.
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as AddressInfo;
  const httpUrl = `http://${config.VIP_HTTP_HOST}:${address.port}`;
  logger.log(
    {
      tcp: `${config.VIP_TCP_HOST}:${config.VIP_TCP_PORT}`,
      http: httpUrl,
      database: redactDatabaseUrl(config.DATABASE_URL),
      schema: config.VIP_DB_SCHEMA,
    },
    'VIP simulator started',
  );

  return {
    app,
    config,
    tcpPort: config.VIP_TCP_PORT,
    httpUrl,
    close: async () => {
      await app.close();
      logger.log('VIP simulator stopped');
    },
  };
}
