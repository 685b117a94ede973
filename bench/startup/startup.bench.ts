import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { findFreePort } from '@app/database';

import { BenchContext } from '../lib/context';
import { BenchmarkResult, PROJECT_ROOT, checkTarget } from '../lib/results';
import { median, round } from '../lib/stats';

/** The launcher prints this line once both services pass their readiness checks. */
const READY_LINE = 'Secure-token authentication is running.';
const REBUILD_LINE = 'Compiling TypeScript';
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
/** RSS is read this long after "ready", while start-up garbage is still on the heap. */
const EARLY_RSS_MS = 5_000;
/**
 * ...and again this long after "ready". V8 gives unused heap pages back to
 * the system only after the process has been idle for a while (its memory
 * reducer), so the later reading is the idle RSS the targets are checked on.
 */
const IDLE_RSS_MS = 30_000;
const MAX_READY_MS = 5_000;
/** The RSS limit is 150 MB in SI units, 150 × 10^6 bytes, which is 143.05 MiB. */
const MAX_RSS_MIB = round(150e6 / 2 ** 20, 2);

const SERVICE_ENTRIES = {
  simulator: 'dist/apps/vip-simulator/src/main.js',
  auth: 'dist/apps/auth-service/src/main.js',
} as const;

interface StartRun {
  readyMs: number;
  /** True when `npm start` recompiled first; such a run does not measure start-up alone. */
  rebuilt: boolean;
  /** RSS EARLY_RSS_MS after ready. */
  earlyRssMiB: Record<keyof typeof SERVICE_ENTRIES, number>;
  /** RSS IDLE_RSS_MS after ready. */
  rssMiB: Record<keyof typeof SERVICE_ENTRIES, number>;
}

function readProcFile(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function parentOf(pid: number): number {
  // The command name in field 2 may contain spaces, so fields are counted after its ")".
  const stat = readProcFile(pid, 'stat');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');

  return Number(fields[1]);
}

/** Lists every process below `root` in the process tree, from /proc. */
function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry)) {
      parents.set(Number(entry), parentOf(Number(entry)));
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }

  return found;
}

/** Reads VmRSS of a process from /proc/<pid>/status, in MiB. */
function residentMiB(pid: number): number {
  const line = readProcFile(pid, 'status')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));

  return line ? Number.parseInt(line.replace(/\D+/g, ''), 10) / 1024 : Number.NaN;
}

function serviceRss(launcherRoot: number): StartRun['rssMiB'] {
  const pids = descendantsOf(launcherRoot);
  const find = (entry: string): number => {
    const pid = pids.find((candidate) => readProcFile(candidate, 'cmdline').includes(entry));

    return pid === undefined ? Number.NaN : round(residentMiB(pid), 1);
  };

  return { simulator: find(SERVICE_ENTRIES.simulator), auth: find(SERVICE_ENTRIES.auth) };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(true);
  }

  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

/**
 * Stops `npm start` as Ctrl-C in a terminal does: SIGINT to its whole
 * process group. SIGKILL follows if it has not exited in time.
 */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid as number;
  try {
    process.kill(-pid, 'SIGINT');
  } catch {
    return;
  }
  if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
    process.kill(-pid, 'SIGKILL');
    await waitForExit(child, 5_000);
  }
}

/**
 * Runs `npm start` until it prints the ready line, reads the services' RSS,
 * then stops it. The build check that `npm start` runs first is done once
 * beforehand, untimed, so a source file changed since the last build does
 * not put a compilation into the measured time.
 */
async function startOnce(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<StartRun> {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build-if-needed.js')], {
    cwd: PROJECT_ROOT,
    stdio: 'ignore',
  });
  const startedAt = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let rebuilt = false;

  try {
    const readyMs = await new Promise<number>((resolveReady, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start printed no ready line in ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        rebuilt ||= output.includes(REBUILD_LINE);
        if (output.includes(READY_LINE)) {
          clearTimeout(timer);
          resolveReady(performance.now() - startedAt);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with code ${code} before it was ready:\n${output}`));
      });
    });
    await new Promise((done) => setTimeout(done, EARLY_RSS_MS));
    const earlyRssMiB = serviceRss(child.pid as number);
    await new Promise((done) => setTimeout(done, IDLE_RSS_MS - EARLY_RSS_MS));
    const rssMiB = serviceRss(child.pid as number);
    log(
      `  ready in ${(readyMs / 1000).toFixed(2)} s${rebuilt ? ' (after a rebuild)' : ''}; ` +
        `RSS after ${EARLY_RSS_MS / 1000} s: simulator ${earlyRssMiB.simulator} MiB, ` +
        `auth service ${earlyRssMiB.auth} MiB; after ${IDLE_RSS_MS / 1000} s: ` +
        `simulator ${rssMiB.simulator} MiB, auth service ${rssMiB.auth} MiB`,
    );

    return { readyMs: round(readyMs, 1), rebuilt, earlyRssMiB, rssMiB };
  } finally {
    await stopGroup(child);
  }
}

/**
 * Times `npm start` from launch to its ready line with an existing embedded
 * database (a first start creates it and is reported apart), and reads the
 * idle RSS of both service processes.
 */
export async function runStartupBenchmark(context: BenchContext): Promise<BenchmarkResult> {
  const { log, settings } = context;
  const dataDir = await mkdtemp(join(tmpdir(), 'secure-token-bench-start-'));
  // mkdtemp makes the folder 700; as root, the embedded server runs as the
  // "postgres" account, which must be able to enter it.
  await chmod(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    EMBEDDED_PG_DIR: join(dataDir, 'postgres'),
    EMBEDDED_PG_PORT: String(await findFreePort()),
    AUTH_HTTP_PORT: String(await findFreePort()),
    VIP_TCP_PORT: String(await findFreePort()),
    VIP_HTTP_PORT: String(await findFreePort()),
  };
  delete env.DATABASE_URL;

  try {
    log('First start: creates the embedded cluster, applies migrations, seeds the demo');
    const first = await startOnce(env, log);
    const runs: StartRun[] = [];
    for (let run = 0; run < settings.runs; run += 1) {
      log(`Start ${run + 1} of ${settings.runs} with the existing database`);
      runs.push(await startOnce(env, log));
    }

    const medianReadyMs = round(median(runs.map((run) => run.readyMs)), 1);
    const medianRss = {
      simulator: round(median(runs.map((run) => run.rssMiB.simulator)), 1),
      auth: round(median(runs.map((run) => run.rssMiB.auth)), 1),
    };

    return {
      name: 'startup',
      measuredAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        runs: settings.runs,
        earlyRssMs: EARLY_RSS_MS,
        idleRssMs: IDLE_RSS_MS,
        command: 'npm start',
        nodeEnv: env.NODE_ENV ?? 'development (the launcher default)',
      },
      targets: [
        checkTarget(
          `npm start to ready < ${MAX_READY_MS / 1000} s`,
          medianReadyMs,
          '<=',
          MAX_READY_MS,
          'ms',
        ),
        checkTarget(
          `simulator idle RSS < 150 MB (${MAX_RSS_MIB} MiB)`,
          medianRss.simulator,
          '<=',
          MAX_RSS_MIB,
          'MiB',
        ),
        checkTarget(
          `auth service idle RSS < 150 MB (${MAX_RSS_MIB} MiB)`,
          medianRss.auth,
          '<=',
          MAX_RSS_MIB,
          'MiB',
        ),
      ],
      data: { first, runs, medianReadyMs, medianRss },
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
