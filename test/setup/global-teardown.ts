import { rm } from 'node:fs/promises';

import { dropScratchDatabasesOfRun } from '../../libs/database/src';

/**
 * Stops the embedded server, or, on a server the caller named, drops any
 * scratch database of this run that a test file left behind.
 */
export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.embeddedTestPostgres;
  if (embedded) {
    await embedded.server.stop();
    await rm(embedded.dataDir, { recursive: true, force: true });

    return;
  }
  const serverUrl = process.env.TEST_SERVER_URL;
  const runId = process.env.SCRATCH_RUN_ID;
  if (serverUrl && runId) {
    const dropped = await dropScratchDatabasesOfRun(serverUrl, runId);
    if (dropped.length > 0) {
      console.warn(
        `Dropped ${dropped.length} scratch databases left by this run: ${dropped.join(', ')}`,
      );
    }
  }
}
