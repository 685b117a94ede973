import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';

import { OpenApiInfo, createOpenApiDocument, validateConfig } from '@app/common';

import { AppModule } from './app.module';
import { OPERATOR_KEY_SCHEME, SERVICE_KEY_SCHEME, SESSION_SCHEME } from './common/security-schemes';
import { AuthConfig } from './config/auth-config';

export const API_PREFIX = 'api/v1';

export const AUTH_OPENAPI: OpenApiInfo = {
  title: 'Auth service',
  description:
    'Back Office authentication: password login, secure-token registration and step-up, ' +
    'lockout, administration and audit. Every error has the body ' +
    '{ statusCode, code, message, requestId }.',
  version: '1',
  securitySchemes: {
    [SESSION_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      description: 'Session token from login, registration or step-up',
    },
    [OPERATOR_KEY_SCHEME]: {
      type: 'apiKey',
      in: 'header',
      name: 'x-operator-key',
      description: 'OPERATOR_API_KEY',
    },
    [SERVICE_KEY_SCHEME]: {
      type: 'apiKey',
      in: 'header',
      name: 'x-service-key',
      description: 'SERVICE_API_KEY',
    },
  },
};

/** Puts every route under /api/v1 except the probes and the metrics scrape. */
export function applyApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
}

/** Settings that only let the module graph be built; nothing connects in preview mode. */
const PREVIEW_SETTINGS = {
  DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview',
  OPERATOR_API_KEY: 'preview-operator-key-000000',
  SERVICE_API_KEY: 'preview-service-key-0000000',
  LOG_LEVEL: 'silent',
};

/**
 * Builds the auth service's OpenAPI document without a database or a VIP
 * simulator: the app is created with `preview: true`, so no provider runs.
 */
export async function buildAuthOpenApiDocument(): Promise<OpenAPIObject> {
  const config = validateConfig(AuthConfig, PREVIEW_SETTINGS);
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview: true,
    logger: false,
  });
  try {
    applyApiPrefix(app);

    return createOpenApiDocument(app, AUTH_OPENAPI);
  } finally {
    await app.close();
  }
}
