import { HttpException, INestApplication, UnsupportedMediaTypeException } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SecuritySchemeObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

import { createHttpValidationPipe } from '../validation/validation-pipe';
import { CommonErrorCode, codeForHttpStatus } from './http-error';
import {
  DomainErrorMapper,
  HttpErrorFilter,
  bodyParserMessage,
  isBodyParserError,
} from './http-error.filter';

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
  /**
   * Path prefix (such as `/manager`) under which HTML form posts
   * (application/x-www-form-urlencoded) are accepted as well as JSON. Other
   * paths accept JSON bodies only.
   */
  formPathPrefix?: string;
}

/** Tells whether a request carries a body, as the `type-is` package decides it. */
function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];

  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/**
 * Rejects a request body that is not `application/json` with 415, so a
 * cross-site HTML form (which cannot send JSON without a CORS preflight)
 * cannot reach the API. Under `formPathPrefix`, form posts pass too.
 */
function requireJsonBodies(formPathPrefix: string | undefined) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (!hasBody(request) || request.is('application/json')) {
      next();

      return;
    }
    const underForms =
      formPathPrefix !== undefined &&
      (request.path === formPathPrefix || request.path.startsWith(`${formPathPrefix}/`));
    if (underForms && request.is('application/x-www-form-urlencoded')) {
      next();

      return;
    }
    const contentType = request.headers['content-type'] ?? 'none';
    next(
      new UnsupportedMediaTypeException({
        code: CommonErrorCode.UnsupportedMediaType,
        message: `request body must be application/json, not ${JSON.stringify(contentType)}`,
      }),
    );
  };
}

/**
 * Turns a body parser error into an HttpException with a fixed message. NestJS
 * (11.2) otherwise wraps a JSON SyntaxError in a BadRequestException with the
 * parser's own message, such as `Unexpected token 'n', "null" is not valid JSON`.
 */
function replaceBodyParserErrors(
  error: unknown,
  _request: Request,
  _response: Response,
  next: NextFunction,
): void {
  if (!isBodyParserError(error)) {
    next(error);

    return;
  }
  next(
    new HttpException(
      { code: codeForHttpStatus(error.status), message: bodyParserMessage(error) },
      error.status,
    ),
  );
}

/**
 * Applies the HTTP settings both services share: helmet, no CORS, a 64 kB
 * body limit, JSON bodies only (objects and arrays), the strict validation
 * pipe, the one error filter, OpenAPI at /docs and shutdown hooks. The app
 * must have been created with `bodyParser: false`.
 */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions): void {
  const expressApp = app as NestExpressApplication;

  expressApp.use(helmet());
  expressApp.use(requireJsonBodies(options.formPathPrefix));
  expressApp.useBodyParser('json', { limit: MAX_BODY_BYTES, strict: true });
  if (options.formPathPrefix !== undefined) {
    expressApp.useBodyParser('urlencoded', { limit: MAX_BODY_BYTES, extended: false });
  }
  expressApp.use(replaceBodyParserErrors);
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
