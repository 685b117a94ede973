import { IncomingMessage, ServerResponse } from 'node:http';

import { RequestMethod } from '@nestjs/common';

import { Params } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { Options } from 'pino-http';
import pinoPretty from 'pino-pretty';

import { REQUEST_ID_HEADER, resolveRequestId } from './request-id';

/** Field names whose values are replaced by "[redacted]" in every log line. */
export const REDACTED_FIELDS = [
  'password',
  'pin',
  'code',
  'securityCode',
  'code1',
  'code2',
  'secret',
  'token',
  'challengeToken',
  'otpauthUri',
];

const REDACTED_PATHS = [
  ...REDACTED_FIELDS,
  ...REDACTED_FIELDS.map((field) => `*.${field}`),
  ...REDACTED_FIELDS.map((field) => `*.*.${field}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

export interface LoggerSettings {
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  level: string;
  /** Name written as `service` on every line. */
  service: string;
  /** Pretty, coloured output instead of JSON lines, meant for NODE_ENV=development only. */
  pretty: boolean;
  /** Stream that receives the JSON lines instead of stdout, so tests can read them. Unused when pretty. */
  destination?: DestinationStream;
}

/**
 * Builds nestjs-pino options: JSON lines, a request id on every line (taken
 * from a safe x-request-id header or generated, and echoed in the response),
 * and secrets redacted.
 */
export function buildLoggerOptions(settings: LoggerSettings): Params {
  const options: Options = {
    level: settings.level,
    base: { service: settings.service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, requestId);

      return requestId;
    },
    customProps: (req: IncomingMessage) => ({ requestId: (req as { id?: unknown }).id }),
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url?.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };

  // pino-pretty runs as a stream in the service's own thread. As a pino
  // transport it would run in a worker thread with a V8 heap of its own,
  // which costs each service about 20 MiB of resident memory.
  const stream = settings.pretty ? pinoPretty({ singleLine: true }) : settings.destination;

  return {
    pinoHttp: stream ? [options, stream] : options,
    // nestjs-pino's default route '*' makes NestJS 11 log a "legacy route" warning at start-up.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}
