import { mkdirSync } from 'node:fs';

import { Client } from 'pg';

import {
  RunningPostgres,
  redactDatabaseUrl,
  startEmbeddedPostgres,
  withDatabaseName,
} from '../libs/database/src';
import { DEMO_INSTITUTION, DEMO_LOGINS, seedDemoInstitution } from './launcher/demo-seed';
import { assertPortFree } from './launcher/ports';
import { RunLock } from './launcher/run-lock';
import {
  ServiceProcess,
  startService,
  stopService,
  waitUntilReady,
} from './launcher/service-process';
import { LauncherSettings, loadLauncherSettings } from './launcher/settings';

const EMBEDDED_DATABASE = 'secure_token';

function log(line: string): void {
  console.log(`[start] ${line}`);
}

function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
}

/** Creates the database when the server does not have it yet, and returns its URL. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      log(`Created database "${name}"`);
    }
  } finally {
    await client.end();
  }

  return withDatabaseName(serverUrl, name);
}

function printBanner(settings: LauncherSettings, seeded: boolean): void {
  // The demo and the CLI read the same port settings; repeat the ones that differ from the defaults.
  const portPrefix = [
    settings.authPort !== 3000 ? `AUTH_HTTP_PORT=${settings.authPort} ` : '',
    settings.vipHttpPort !== 7101 ? `VIP_HTTP_PORT=${settings.vipHttpPort} ` : '',
  ].join('');
  const authUrl = `http://${settings.authHost}:${settings.authPort}`;
  const vipUrl = `http://${settings.vipHttpHost}:${settings.vipHttpPort}`;
  const lines = [
    '',
    'Secure-token authentication is running.',
    `  Auth API:        ${authUrl}/api/v1`,
    `  API docs:        ${authUrl}/docs`,
    `  VIP simulator:   ${vipUrl}/api/v1 (TCP ${settings.vipTcpHost}:${settings.vipTcpPort})`,
    `  VIP Manager:     ${vipUrl}/manager`,
    `  Operator key:    stored in ${settings.dataDir}/local-secrets.json`,
    '',
    `Demo institution "${DEMO_INSTITUTION}"${seeded ? ' (created now)' : ''}:`,
    ...DEMO_LOGINS.map(
      (login) => `  ${login.role.padEnd(5)}  ${login.username} / ${login.password}`,
    ),
    '',
    'Next, in another terminal:',
    `  ${portPrefix}npm run demo`,
    '      walks the whole secure-token flow',
    `  ${portPrefix}npm run vip -- issue --type MOBILE`,
    '      issues a credential to register with',
    `  curl -s -X POST ${authUrl}/api/v1/auth/login -H 'content-type: application/json' \\`,
    `       -d '{"username":"demo.alice","password":"${DEMO_LOGINS[1].password}"}'`,
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const settings = await loadLauncherSettings(log);
  mkdirSync(settings.dataDir, { recursive: true });
  const lock = new RunLock(settings.dataDir);
  try {
    await lock.acquire(log);
  } catch (error) {
    console.error(`[start] ${(error as Error).message}`);
    process.exit(1);
  }

  const services: ServiceProcess[] = [];
  let postgres: RunningPostgres | undefined;

  let stopping: Promise<never> | undefined;
  const stopAll = (exitCode: number, reason: string): Promise<never> => {
    // A Ctrl-C reaches npm and this process alike, and npm forwards it, so a
    // second signal during the shutdown must not cut it short.
    stopping ??= (async () => {
      log(`${reason}; stopping...`);
      for (const service of [...services].reverse()) {
        await stopService(service);
      }
      await postgres?.stop();
      lock.release();
      log('Stopped');
      process.exit(exitCode);
    })();

    return stopping;
  };
  process.on('SIGINT', () => void stopAll(0, 'Received SIGINT'));
  process.on('SIGTERM', () => void stopAll(0, 'Received SIGTERM'));

  try {
    await assertPortFree(settings.authHost, settings.authPort, 'AUTH_HTTP_PORT');
    await assertPortFree(settings.vipTcpHost, settings.vipTcpPort, 'VIP_TCP_PORT');
    await assertPortFree(settings.vipHttpHost, settings.vipHttpPort, 'VIP_HTTP_PORT');

    let databaseUrl = settings.databaseUrl;
    if (databaseUrl) {
      log(`Using the PostgreSQL server at ${redactDatabaseUrl(databaseUrl)}`);
      try {
        await ensureDatabase(
          withDatabaseName(databaseUrl, 'postgres'),
          databaseNameOf(databaseUrl),
        );
      } catch (error) {
        // A role without access to the "postgres" database or without CREATEDB
        // can still use a database that exists; the services report it if not.
        log(`Could not check or create the database: ${(error as Error).message}`);
      }
    } else {
      if (settings.embeddedPgPort) {
        await assertPortFree('127.0.0.1', settings.embeddedPgPort, 'EMBEDDED_PG_PORT');
      }
      postgres = await startEmbeddedPostgres({
        dataDir: settings.embeddedPgDir,
        port: settings.embeddedPgPort,
        log,
      });
      databaseUrl = await ensureDatabase(postgres.url, EMBEDDED_DATABASE);
    }

    // Both processes start at once, which saved about 2 s of start-up on a
    // 2-core machine. The auth service is polled only once the simulator is
    // ready, because its readiness pings the simulator and every failed
    // ping before that would log an error.
    const env = { ...settings.serviceEnv, DATABASE_URL: databaseUrl };
    const simulator = startService('VIP simulator', 'apps/vip-simulator/src/main.js', env);
    services.push(simulator);
    lock.addService(simulator.child.pid as number);
    const auth = startService('auth service', 'apps/auth-service/src/main.js', env);
    services.push(auth);
    lock.addService(auth.child.pid as number);
    const vipUrl = `http://${settings.vipHttpHost}:${settings.vipHttpPort}`;
    const authUrl = `http://${settings.authHost}:${settings.authPort}`;
    await waitUntilReady(simulator, `${vipUrl}/health/ready`, settings.readyTimeoutMs);
    await waitUntilReady(auth, `${authUrl}/health/ready`, settings.readyTimeoutMs);

    const seeded = settings.seedDemo
      ? await seedDemoInstitution(authUrl, settings.operatorApiKey)
      : false;
    printBanner(settings, seeded);

    const firstExit = await Promise.race(
      services.map((service) => service.exited.then((code) => ({ service, code }))),
    );
    if (!stopping) {
      await stopAll(1, `${firstExit.service.name} exited unexpectedly (code ${firstExit.code})`);
    }
  } catch (error) {
    console.error(`[start] ${(error as Error).message}`);
    await stopAll(1, 'Start-up failed');
  }
}

void main();
