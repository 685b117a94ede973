import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

import { withDatabaseName } from './database-url';

/**
 * Creates an empty database with a unique name on the server and returns its
 * URL. The name carries SCRATCH_RUN_ID when it is set, so that one run's
 * leftovers can be found and dropped together (see dropScratchDatabasesOfRun).
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<string> {
  const runId = process.env.SCRATCH_RUN_ID ?? Date.now().toString(36);
  const name = `${prefix}_${runId}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }

  return withDatabaseName(serverUrl, name);
}

/** Drops a database made by createScratchDatabase, ending its open connections first. */
export async function dropScratchDatabase(serverUrl: string, databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Drops every scratch database whose name carries the run id, such as those
 * of a test file that failed before its own clean-up. Returns their names.
 */
export async function dropScratchDatabasesOfRun(
  serverUrl: string,
  runId: string,
): Promise<string[]> {
  if (!/^[a-z0-9]+$/.test(runId)) {
    throw new Error(`run id must be lower-case letters and digits, got "${runId}"`);
  }
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname ~ $1',
      [`^[a-z_]+_${runId}_[0-9a-f]{8}$`],
    );
    for (const { datname } of found.rows) {
      await client.query(
        `DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`,
      );
    }

    return found.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}
