import { Logger } from '@nestjs/common';
import { Logger as TypeOrmLoggerContract } from 'typeorm';

// A relative path, because jest's global setup loads this library without the @app/* aliases.
import { errorLogFields } from '../../common/src/logging/error-log-fields';

/**
 * Sends TypeORM's messages to the Nest application logger (pino in both
 * services) instead of the console. Query parameters are left out, because
 * they can contain password hashes, PIN hashes and encrypted secrets. For
 * the same reason a failed query logs neither PostgreSQL's message, which
 * can quote a rejected value, nor its `detail`, which can quote a whole row.
 */
export class TypeOrmLogger implements TypeOrmLoggerContract {
  private readonly logger = new Logger('TypeORM');

  logQuery(): void {
    // Successful queries are not logged.
  }

  /** Logs the SQL text with the SQLSTATE, table and constraint, but no message or `detail`. */
  logQueryError(error: string | Error, query: string): void {
    const fields = typeof error === 'string' ? { error } : errorLogFields(error);
    this.logger.warn({ ...fields, query }, 'Query failed');
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
