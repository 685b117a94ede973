import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { PROJECT_ROOT } from './settings';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts one compiled service with the given environment; its output goes to this terminal. */
export function startService(
  name: string,
  entry: string,
  env: Record<string, string>,
): ServiceProcess {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', entry)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    // A process group of its own: a Ctrl-C in the terminal reaches only the
    // launcher, which stops the services in order and then the database.
    detached: true,
  });
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? (signal ? 128 : null)));
  });

  return { name, child, exited };
}

/** Polls a readiness URL until it returns 200, the process exits or the time runs out. */
export async function waitUntilReady(
  service: ServiceProcess,
  url: string,
  timeoutMs: number,
): Promise<void> {
  let exitCode: number | null | undefined;
  void service.exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`${service.name} exited with code ${exitCode} before it was ready`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${service.name} was not ready at ${url} within ${timeoutMs / 1000} s`);
}

/** Sends SIGTERM, then SIGKILL if the process has not exited within the grace period. */
export async function stopService(service: ServiceProcess, graceMs = 10_000): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) {
    return;
  }
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
  await service.exited;
  clearTimeout(timer);
}
