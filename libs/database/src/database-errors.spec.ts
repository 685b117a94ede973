import { QueryFailedError } from 'typeorm';

import { isDatabaseUnavailableError, isTransientDatabaseError } from './database-errors';

function driverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailableError', () => {
  it.each([
    ['a refused connection', driverError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a terminated backend', driverError('57P01', 'terminating connection')],
    [
      'a database that does not accept connections',
      driverError('55000', 'database "vip_x" is not currently accepting connections'),
    ],
    [
      'a wrapped connection failure',
      new QueryFailedError('SELECT 1', [], driverError('08006', 'connection failure')),
    ],
  ])('recognises %s', (_, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', driverError('23505', 'duplicate key value')],
    ['another 55000 error', driverError('55000', 'cannot refresh materialized view')],
    ['a plain error', new Error('boom')],
  ])('rejects %s', (_, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });
});

describe('isTransientDatabaseError', () => {
  it.each([
    ['a pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['a lock timeout', new QueryFailedError('SELECT', [], driverError('55P03', 'lock timeout'))],
    ['a deadlock', new QueryFailedError('UPDATE', [], driverError('40P01', 'deadlock'))],
    ['a statement timeout', driverError('57014', 'canceling statement due to statement timeout')],
  ])('accepts %s', (_name, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['a NOT NULL violation', new QueryFailedError('INSERT', [], driverError('23502', 'null'))],
    ['a plain error', new Error('boom')],
  ])('rejects %s', (_name, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
