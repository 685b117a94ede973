/** Fields of a database error that are safe to log. */
interface DatabaseErrorFields {
  errorName: string;
  sqlState: string;
  table?: string;
  constraint?: string;
}

/** Looks through TypeORM's QueryFailedError to the `pg` error that carries the SQLSTATE. */
function findDatabaseError(error: unknown): DatabaseErrorFields | null {
  if (typeof error !== 'object' || error === null) {
    return null;
  }
  const candidate = error as {
    name?: unknown;
    code?: unknown;
    table?: unknown;
    constraint?: unknown;
    driverError?: unknown;
  };
  const driver = (candidate.driverError ?? candidate) as typeof candidate;
  const isQueryFailure = candidate.driverError !== undefined;
  const sqlState = typeof driver.code === 'string' ? driver.code : undefined;
  // SQLSTATE codes are five characters; Node system errors (ECONNREFUSED, …) are not database errors.
  if (!sqlState || !/^[0-9A-Z]{5}$/.test(sqlState)) {
    return isQueryFailure
      ? { errorName: String(candidate.name ?? 'QueryFailedError'), sqlState: 'unknown' }
      : null;
  }

  return {
    errorName: String(candidate.name ?? 'DatabaseError'),
    sqlState,
    ...(typeof driver.table === 'string' ? { table: driver.table } : {}),
    ...(typeof driver.constraint === 'string' ? { constraint: driver.constraint } : {}),
  };
}

/**
 * Returns the fields to log for an error that a handler caught. A database
 * error is reduced to its class name, SQLSTATE, table and constraint, because
 * TypeORM's QueryFailedError carries the query parameters and PostgreSQL's
 * `detail` ("Failing row contains (…)") quotes whole rows, which can contain
 * password and PIN hashes. The SQLSTATE is logged as `sqlState`, because the
 * logger redacts every `code` field as a possible security code. Any other
 * error is logged whole under `err`.
 */
export function errorLogFields(error: unknown): Record<string, unknown> {
  const database = findDatabaseError(error);

  return database ? { databaseError: database } : { err: error };
}
