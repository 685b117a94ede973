import { redactDatabaseUrl, withDatabaseName } from './database-url';

describe('database URL helpers', () => {
  it('replaces the database name and keeps the rest', () => {
    const url = withDatabaseName('postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable', 'x_1');

    expect(url).toBe('postgres://u:p@127.0.0.1:5432/x_1?sslmode=disable');
  });

  it('hides the password', () => {
    expect(redactDatabaseUrl('postgres://u:secret@h:1/d')).toBe('postgres://u:***@h:1/d');
  });
});
