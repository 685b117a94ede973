import { QueryFailedError } from 'typeorm';

import { errorLogFields } from './error-log-fields';

/** A `pg` DatabaseError as the driver raises it for a NOT NULL violation. */
function notNullViolation(): Error {
  return Object.assign(new Error('null value in column "lockout_threshold" violates not-null'), {
    code: '23502',
    table: 'institutions',
    column: 'lockout_threshold',
    detail: 'Failing row contains (1, Case Bank, $2b$12$hash).',
  });
}

describe('errorLogFields', () => {
  it('keeps only SQLSTATE, table and constraint of a query failure', () => {
    const error = new QueryFailedError(
      'UPDATE institutions SET lockout_threshold = $1',
      [null, 'secret-parameter'],
      notNullViolation(),
    );
    const fields = errorLogFields(error);
    const logged = JSON.stringify(fields);

    expect(fields).toEqual({
      databaseError: { errorName: 'QueryFailedError', sqlState: '23502', table: 'institutions' },
    });
    expect(logged).not.toContain('secret-parameter');
    expect(logged).not.toContain('Failing row');
  });

  it('keeps the constraint of a driver error', () => {
    const error = Object.assign(new Error('duplicate key'), {
      code: '23505',
      table: 'users',
      constraint: 'users_username_key',
      detail: 'Key (username)=(jane) already exists.',
    });

    expect(errorLogFields(error)).toEqual({
      databaseError: {
        errorName: 'Error',
        sqlState: '23505',
        table: 'users',
        constraint: 'users_username_key',
      },
    });
  });

  it('logs any other error whole', () => {
    const error = Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' });

    expect(errorLogFields(error)).toEqual({ err: error });
  });
});
