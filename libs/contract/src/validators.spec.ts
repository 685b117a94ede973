import 'reflect-metadata';

import { validateSync } from 'class-validator';

import { IsIsoDateTime } from './validators';

class Stamped {
  @IsIsoDateTime()
  at: unknown;
}

function errorsFor(at: unknown): string[] {
  const subject = Object.assign(new Stamped(), { at });

  return validateSync(subject).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('IsIsoDateTime', () => {
  it.each([
    '2026-12-04',
    '2026-12-04T10:30Z',
    '2026-12-04T10:30:00Z',
    '2026-12-04T10:30:00.123456789Z',
    '2026-12-04T10:30:00+05:30',
    '2026-12-04T10:30:00',
  ])('accepts %s', (at) => {
    expect(errorsFor(at)).toEqual([]);
  });

  it.each([
    '2024-W01-1',
    '2024W011',
    '2024-W01',
    '2024-123',
    '20240101',
    '20240101T101010Z',
    '2024-01-01T10',
    '2024-01-01T10Z',
    '2024-01-01T10:00:00,5Z',
    '2024-02-30',
    '2024-01-01T25:00:00Z',
    '2024-01-01 10:00:00Z',
    'yesterday',
    '',
    20240101,
    null,
  ])('rejects %j', (at) => {
    expect(errorsFor(at)).toEqual([
      'at must be an ISO 8601 date-time, such as 2026-12-04 or 2026-12-04T10:30:00Z',
    ]);
  });
});
