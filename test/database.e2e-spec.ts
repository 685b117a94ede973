import { Client } from 'pg';

import { createScratchDatabase, dropScratchDatabase } from '@app/database';

describe('test database provider', () => {
  it('creates a scratch database on a real PostgreSQL server', async () => {
    const serverUrl = process.env.TEST_SERVER_URL as string;
    const url = await createScratchDatabase(serverUrl, 'provider');
    const client = new Client({ connectionString: url });
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    await client.end();
    await dropScratchDatabase(serverUrl, url);

    expect(result.rows[0].server_version).toMatch(/^\d+/);
  });
});
