import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { Request, Response } from 'express';

import { errorLogFields } from '../logging/error-log-fields';
import { REQUEST_ID_HEADER, resolveRequestId } from '../logging/request-id';
import { HttpErrorBody, MappedHttpError, codeForHttpStatus } from './http-error';

/** Maps a service's own exceptions, and returns undefined for any other error. */
export type DomainErrorMapper = (exception: unknown) => MappedHttpError | undefined;

/**
 * An error the body parser passes on for a request it cannot read: an
 * `http-errors` object with a 4xx `status`, `expose` set and usually a
 * `type`. A failed decompression has no `type`: body-parser wraps zlib's
 * error with status 400.
 */
export interface BodyParserError {
  type?: string;
  status: number;
  expose: true;
  charset?: string;
}

export function isBodyParserError(exception: unknown): exception is BodyParserError {
  const candidate = exception as Partial<BodyParserError> | null;

  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    !(candidate instanceof HttpException) &&
    candidate.expose === true &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    (candidate.type === undefined || typeof candidate.type === 'string')
  );
}

/** Describes a body parser error without echoing the body. */
export function bodyParserMessage(error: BodyParserError): string {
  switch (error.type) {
    case 'entity.parse.failed':
      return 'request body must be valid JSON (a JSON object)';
    case 'entity.too.large':
      return 'request body is larger than the 64 kB limit';
    case 'charset.unsupported':
      return `request body charset ${JSON.stringify(error.charset ?? '')} is not supported; send UTF-8`;
    case 'encoding.unsupported':
      return 'request body content-encoding is not supported; send it uncompressed, or as gzip, deflate or br';
    case 'parameters.too.many':
      return 'request body has more form parameters than the limit of 1000';
    case 'request.aborted':
      return 'request body ended before it was complete';
    case 'request.size.invalid':
      return 'request body size does not match its content-length';
    case undefined:
      return 'request body could not be decompressed with its content-encoding';
    default:
      return `request body could not be read (${error.type})`;
  }
}

function messageOfHttpException(exception: HttpException): { code?: string; message: string } {
  const response = exception.getResponse();
  if (typeof response === 'string') {
    return { message: response };
  }
  const body = response as { code?: unknown; message?: unknown };
  const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;

  return {
    code: typeof body.code === 'string' ? body.code : undefined,
    message: typeof message === 'string' ? message : exception.message,
  };
}

/**
 * Global HTTP exception filter: writes `{ statusCode, code, message, requestId }`
 * for every error. Unknown errors become a 500 with a generic message, and
 * are logged with their stack and the request id.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  constructor(private readonly mapDomainError: DomainErrorMapper = () => undefined) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      throw exception;
    }
    const context = host.switchToHttp();
    const request = context.getRequest<Request & { id?: unknown }>();
    const response = context.getResponse<Response>();
    const requestId = resolveRequestId(request.id ?? request.headers[REQUEST_ID_HEADER]);
    const mapped = this.map(exception, requestId);

    const body: HttpErrorBody = {
      statusCode: mapped.statusCode,
      code: mapped.code,
      message: mapped.message,
      requestId,
      ...mapped.extra,
    };
    if (!response.headersSent) {
      response.setHeader(REQUEST_ID_HEADER, requestId);
      response.status(mapped.statusCode).json(body);
    }
  }

  private map(exception: unknown, requestId: string): MappedHttpError {
    const domain = this.mapDomainError(exception);
    if (domain) {
      if (domain.statusCode >= 500) {
        this.logger.error(
          { requestId, errorCode: domain.code, ...errorLogFields(exception) },
          domain.message,
        );
      }

      return domain;
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const { code, message } = messageOfHttpException(exception);

      return { statusCode, code: code ?? codeForHttpStatus(statusCode), message };
    }
    if (isBodyParserError(exception)) {
      const statusCode = exception.status;

      return {
        statusCode,
        code: codeForHttpStatus(statusCode),
        message: bodyParserMessage(exception),
      };
    }
    this.logger.error(
      { requestId, ...errorLogFields(exception) },
      'Unhandled error while serving an HTTP request',
    );

    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: codeForHttpStatus(HttpStatus.INTERNAL_SERVER_ERROR),
      message: `unexpected error; quote request id ${requestId} when reporting it`,
    };
  }
}
