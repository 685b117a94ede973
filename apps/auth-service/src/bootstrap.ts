import { AddressInfo } from 'node:net';

import { INestApplication, Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { DestinationStream } from 'pino';

import { configureHttpApp, validateConfig, withQuietFrameworkWiring } from '@app/common';
import { migrate, redactDatabaseUrl } from '@app/database';

import { AppModule } from './app.module';
import { AuthConfig } from './config/auth-config';
import { authDataSourceSettings } from './database/data-source-settings';
import { mapAuthError } from './errors/auth-error-status';
import { AUTH_OPENAPI, applyApiPrefix } from './openapi';

/** A running auth service: its Nest app, where it listens and how to stop it. */
export interface AuthServiceHandle {
  app: INestApplication;
  config: AuthConfig;
  httpUrl: string;
  close(): Promise<void>;
}

export { API_PREFIX } from './openapi';

/** Applies TRUST_PROXY as Express's "trust proxy" setting; unset leaves it off. */
function applyTrustProxy(app: INestApplication, setting: string | undefined): void {
  if (setting === undefined || setting === 'false') {
    return;
  }
  const expressApp = app as NestExpressApplication;
  if (setting === 'true') {
    expressApp.set('trust proxy', true);
  } else if (/^\d+$/.test(setting)) {
    expressApp.set('trust proxy', Number(setting));
  } else {
    expressApp.set('trust proxy', setting);
  }
}

export interface AuthServiceOptions {
  /** Stream that receives the log lines instead of stdout. */
  logDestination?: DestinationStream;
}

/**
 * Starts the auth service. Settings come from the environment, with
 * `overrides` taking precedence; AUTH_HTTP_PORT 0 picks a free port.
 * Migrations run before the app starts.
 */
export async function bootstrapAuthService(
  overrides: Partial<Record<string, string>> = {},
  options: AuthServiceOptions = {},
): Promise<AuthServiceHandle> {
  const config = validateConfig(AuthConfig, { ...process.env, ...overrides });
  await migrate(authDataSourceSettings(config));

  const app = await NestFactory.create(AppModule.forRoot(config, options.logDestination), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(withQuietFrameworkWiring(app.get(Logger)));
  const logger = new NestLogger('AuthService');
  applyTrustProxy(app, config.TRUST_PROXY);
  applyApiPrefix(app);
  configureHttpApp(app, { ...AUTH_OPENAPI, mapDomainError: mapAuthError });

  await app.listen(config.AUTH_HTTP_PORT, config.AUTH_HTTP_HOST);
  const address = app.getHttpServer().address() as AddressInfo;
  const httpUrl = `http://${config.AUTH_HTTP_HOST}:${address.port}`;
  logger.log(
    {
      http: httpUrl,
      vip: `${config.VIP_TCP_HOST}:${config.VIP_TCP_PORT}`,
      database: redactDatabaseUrl(config.DATABASE_URL),
      schema: config.AUTH_DB_SCHEMA,
    },
    'Auth service started',
  );

  return {
    app,
    config,
    httpUrl,
    close: async () => {
      await app.close();
      logger.log('Auth service stopped');
    },
  };
}
