import { Logger } from '@nestjs/common';
import { Logger as TypeOrmLoggerContract } from 'typeorm';

/**
 * Sends TypeORM's messages to the Nest application logger (pino in both
 * services) instead of the console. Query parameters are left out, because
 * they can contain password hashes, PIN hashes and encrypted secrets. A
 * PostgreSQL error message can still quote a value that it rejected.
 */
export class TypeOrmLogger implements TypeOrmLoggerContract {
  private readonly logger = new Logger('TypeORM');

  logQuery(): void {
    // Successful queries are not logged.
  }

  logQueryError(error: string | Error, query: string): void {
    const message = error instanceof Error ? error.message : error;
    this.logger.warn({ error: message, query }, 'Query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ durationMs: time, query }, 'Slow query');
  }

  logSchemaBuild(): void {
    // The service never synchronises its schema, so there is nothing to log.
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') {
      this.logger.warn(message);
    } else {
      this.logger.log(message);
    }
  }
}
