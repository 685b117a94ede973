import { NestFactory } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';

import { OpenApiInfo, createOpenApiDocument, validateConfig } from '@app/common';

import { AppModule } from './app.module';
import { SimulatorConfig } from './config/simulator-config';

export const SIMULATOR_OPENAPI: OpenApiInfo = {
  title: 'VIP simulator',
  description:
    'Test double of Symantec VIP User Services and VIP Manager. The HTTP API has no ' +
    'authentication: it is meant for testers on a trusted network. Every error has the body ' +
    '{ statusCode, code, message, requestId, status, detail? }, where status is the VIP status.',
  version: '1',
};

/** Settings that only let the module graph be built; nothing connects in preview mode. */
const PREVIEW_SETTINGS = {
  DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview',
  VIP_SECRET_KEY: '0'.repeat(64),
  LOG_LEVEL: 'silent',
};

/**
 * Builds the simulator's OpenAPI document without a database: the app is
 * created with `preview: true`, so no provider runs.
 */
export async function buildSimulatorOpenApiDocument(): Promise<OpenAPIObject> {
  const config = validateConfig(SimulatorConfig, PREVIEW_SETTINGS);
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview: true,
    logger: false,
  });
  try {
    return createOpenApiDocument(app, SIMULATOR_OPENAPI);
  } finally {
    await app.close();
  }
}
