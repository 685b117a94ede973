import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { redactDatabaseUrl, startEmbeddedPostgres } from '@app/database';

/** The PostgreSQL server the benchmarks create their scratch databases on. */
export interface BenchServer {
  url: string;
  /** Stops the embedded server and removes its folder; does nothing for DATABASE_URL. */
  stop(): Promise<void>;
}

/**
 * Uses the server named by DATABASE_URL, or else starts an embedded
 * PostgreSQL in a temporary folder that is removed afterwards.
 */
export async function startBenchServer(log: (line: string) => void): Promise<BenchServer> {
  const given = process.env.DATABASE_URL;
  if (given) {
    log(`Using the PostgreSQL server at ${redactDatabaseUrl(given)}`);

    return { url: given, stop: async () => undefined };
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'secure-token-bench-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, log });

  return {
    url: server.url,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
