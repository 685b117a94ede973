import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findFreePort } from '@app/database';

const ROOT = join(__dirname, '..', '..');
const READY_LINE = 'Press Ctrl-C to stop.';

interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>): Launched {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'start.js')], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  return { child, output: () => output, exited };
}

async function waitForOutput(launched: Launched, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!launched.output().includes(text)) {
    if (launched.child.exitCode !== null) {
      throw new Error(`launcher exited (${launched.child.exitCode}):\n${launched.output()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`"${text}" not printed within ${timeoutMs} ms:\n${launched.output()}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

function runDemo(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'demo.js')], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm start launcher', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let authUrl: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-if-needed.js')], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    dataDir = mkdtempSync(join(tmpdir(), 'launcher-test-'));
    chmodSync(dataDir, 0o755);
    const authPort = await findFreePort();
    authUrl = `http://127.0.0.1:${authPort}`;
    env = {
      DATA_DIR: dataDir,
      EMBEDDED_PG_DIR: join(dataDir, 'pg'),
      AUTH_HTTP_PORT: String(authPort),
      VIP_TCP_PORT: String(await findFreePort()),
      VIP_HTTP_PORT: String(await findFreePort()),
      LOG_LEVEL: 'warn',
      BCRYPT_COST: '4',
    };
  }, 120_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts everything, passes the demo and stops on SIGINT', async () => {
    const launched = launch(env);
    await waitForOutput(launched, READY_LINE);

    expect(launched.output()).toContain(`Auth API:        ${authUrl}/api/v1`);
    expect(launched.output()).toContain('VIP Manager:');
    expect(launched.output()).toContain('demo.alice / ');
    expect(launched.output()).toContain('(created now)');

    const demo = await runDemo({
      DATA_DIR: dataDir,
      AUTH_URL: authUrl,
      VIP_HTTP_URL: `http://127.0.0.1:${env.VIP_HTTP_PORT}`,
    });

    expect(demo.output).toContain('Demo finished');
    expect(demo.code).toBe(0);

    launched.child.kill('SIGINT');

    expect(await launched.exited).toBe(0);
    expect(launched.output()).toContain('Embedded PostgreSQL stopped');
    expect(existsSync(join(dataDir, 'pg', 'cluster', 'postmaster.pid'))).toBe(false);
  }, 180_000);

  it('starts again after kill -9 and keeps the seeded data', async () => {
    const first = launch(env);
    await waitForOutput(first, READY_LINE);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = launch(env);
    await waitForOutput(second, READY_LINE);

    expect(second.output()).toContain('did not stop cleanly');
    expect(second.output()).toContain('stale embedded PostgreSQL server');
    expect(second.output()).not.toContain('(created now)');

    const login = await fetch(`${authUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo.alice', password: 'Demo-Alice-Pass-1' }),
    });
    const body = (await login.json()) as { status: string };

    expect(body.status).toBe('TOKEN_REGISTRATION_REQUIRED');

    second.child.kill('SIGTERM');

    expect(await second.exited).toBe(0);
  }, 180_000);

  it('names the setting when a port is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(Number(env.AUTH_HTTP_PORT), '127.0.0.1', resolve),
    );
    try {
      const launched = launch(env);

      expect(await launched.exited).toBe(1);
      expect(launched.output()).toContain(
        `Port ${env.AUTH_HTTP_PORT} on 127.0.0.1 is already in use`,
      );
      expect(launched.output()).toContain('Set AUTH_HTTP_PORT to a free port');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);
});
