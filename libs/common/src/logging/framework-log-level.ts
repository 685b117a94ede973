import { LoggerService } from '@nestjs/common';

/**
 * NestJS contexts that report start-up wiring: one line per module and per
 * route, about ninety in all. They are useful when debugging the wiring and
 * noise otherwise, so they are logged at debug level instead of info.
 */
const WIRING_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Wraps the application logger so NestJS's start-up wiring lines go to debug. */
export function withQuietFrameworkWiring(logger: LoggerService): LoggerService {
  const debug = logger.debug?.bind(logger) ?? (() => undefined);

  return {
    log: (message: unknown, ...params: unknown[]) => {
      const context = params[params.length - 1];
      if (typeof context === 'string' && WIRING_CONTEXTS.has(context)) {
        debug(message, ...params);

        return;
      }
      logger.log(message, ...params);
    },
    error: logger.error.bind(logger),
    warn: logger.warn.bind(logger),
    debug,
    verbose: logger.verbose?.bind(logger),
    fatal: logger.fatal?.bind(logger),
  };
}
