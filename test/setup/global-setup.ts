import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RunningPostgres, redactDatabaseUrl, startEmbeddedPostgres } from '../../libs/database/src';

declare global {
  var embeddedTestPostgres: { server: RunningPostgres; dataDir: string } | undefined;
}

/**
 * Provides one PostgreSQL server for the whole run: the one named by
 * TEST_DATABASE_URL or DATABASE_URL, or else an embedded server in a temporary
 * folder. Each test file then creates its own scratch database on it.
 */
export default async function globalSetup(): Promise<void> {
  process.env.SCRATCH_RUN_ID = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (given) {
    process.env.TEST_SERVER_URL = given;
    console.log(`\nTests use PostgreSQL at ${redactDatabaseUrl(given)}`);

    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'secure-token-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, log: (line) => console.log(line) });
  globalThis.embeddedTestPostgres = { server, dataDir };
  process.env.TEST_SERVER_URL = server.url;
}
