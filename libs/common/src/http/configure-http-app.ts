import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SecuritySchemeObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import helmet from 'helmet';

import { createHttpValidationPipe } from '../validation/validation-pipe';
import { DomainErrorMapper, HttpErrorFilter } from './http-error.filter';

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Title and security schemes of a service's OpenAPI document. */
export interface OpenApiInfo {
  title: string;
  description: string;
  version: string;
  /** Security schemes by name, for `@ApiSecurity(name)` and `@ApiBearerAuth(name)`. */
  securitySchemes?: Record<string, SecuritySchemeObject>;
}

export interface HttpAppOptions extends OpenApiInfo {
  mapDomainError?: DomainErrorMapper;
  /** Accept HTML form posts (application/x-www-form-urlencoded) as well as JSON. */
  acceptForms?: boolean;
}

/**
 * Applies the HTTP settings both services share: helmet, no CORS, a 64 kB
 * body limit, strict JSON (objects and arrays only), the strict validation
 * pipe, the one error filter, OpenAPI at /docs and shutdown hooks. The app
 * must have been created with `bodyParser: false`.
 */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions): void {
  const expressApp = app as NestExpressApplication;

  expressApp.use(helmet());
  expressApp.useBodyParser('json', { limit: MAX_BODY_BYTES, strict: true });
  if (options.acceptForms) {
    expressApp.useBodyParser('urlencoded', { limit: MAX_BODY_BYTES, extended: false });
  }
  app.useGlobalPipes(createHttpValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter(options.mapDomainError));
  app.enableShutdownHooks();

  SwaggerModule.setup('docs', app, createOpenApiDocument(app, options));
}

/**
 * Builds the OpenAPI document of an app whose routes, including any global
 * prefix, are already set. The app need not listen, and it may have been
 * created with `preview: true`, so no database is needed.
 */
export function createOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version);
  for (const [name, scheme] of Object.entries(info.securitySchemes ?? {})) {
    builder.addSecurity(name, scheme);
  }

  return SwaggerModule.createDocument(app, builder.build());
}
