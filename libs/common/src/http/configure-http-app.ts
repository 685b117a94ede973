import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';

import { createHttpValidationPipe } from '../validation/validation-pipe';
import { DomainErrorMapper, HttpErrorFilter } from './http-error.filter';

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpAppOptions {
  title: string;
  description: string;
  version: string;
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

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion(options.version)
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
