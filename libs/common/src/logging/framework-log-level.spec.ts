import { LoggerService } from '@nestjs/common';

import { withQuietFrameworkWiring } from './framework-log-level';

function recordingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];

  return {
    lines,
    log: (message: unknown) => lines.push(`log ${String(message)}`),
    error: (message: unknown) => lines.push(`error ${String(message)}`),
    warn: (message: unknown) => lines.push(`warn ${String(message)}`),
    debug: (message: unknown) => lines.push(`debug ${String(message)}`),
  };
}

describe('withQuietFrameworkWiring', () => {
  it('logs route and module wiring at debug level', () => {
    const inner = recordingLogger();
    const logger = withQuietFrameworkWiring(inner);

    logger.log('Mapped {/x, GET} route', 'RouterExplorer');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');

    expect(inner.lines).toEqual([
      'debug Mapped {/x, GET} route',
      'debug AppModule dependencies initialized',
    ]);
  });

  it('keeps other lines at their level', () => {
    const inner = recordingLogger();
    const logger = withQuietFrameworkWiring(inner);

    logger.log('Nest application successfully started', 'NestApplication');
    logger.warn('slow', 'Other');

    expect(inner.lines).toEqual(['log Nest application successfully started', 'warn slow']);
  });
});
