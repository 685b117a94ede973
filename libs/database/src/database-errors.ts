const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const CONNECTION_ERROR_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
  'the database system is',
  // SQLSTATE 55000 with this text: the database has ALLOW_CONNECTIONS false.
  'is not currently accepting connections',
];

/**
 * Tells whether an error means PostgreSQL could not be reached or dropped the
 * connection, as opposed to a failed statement. Looks through TypeORM's
 * QueryFailedError to the driver error.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.code === 'string') {
      if (CONNECTION_ERROR_CODES.has(candidate.code) || candidate.code.startsWith('08')) {
        return true;
      }
    }
    if (typeof candidate.message === 'string') {
      const message = candidate.message;
      if (CONNECTION_ERROR_MESSAGES.some((fragment) => message.includes(fragment))) {
        return true;
      }
    }
    current = candidate.driverError ?? candidate.cause;
  }

  return false;
}

/**
 * SQLSTATEs of a statement that failed for a passing reason and may succeed
 * when retried: serialization_failure, deadlock_detected, lock_not_available
 * (lock_timeout) and query_canceled (statement_timeout).
 */
const TRANSIENT_STATEMENT_CODES = new Set(['40001', '40P01', '55P03', '57014']);

/**
 * Tells whether an error is worth a retry by the client: the database is
 * unreachable, the pool timed out waiting for a connection, or a statement
 * failed for a passing reason such as a lock or statement timeout.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (isDatabaseUnavailableError(error)) {
    return true;
  }
  const driver = (error as { driverError?: unknown } | null)?.driverError ?? error;
  const code = (driver as { code?: unknown } | null)?.code;

  return typeof code === 'string' && TRANSIENT_STATEMENT_CODES.has(code);
}
