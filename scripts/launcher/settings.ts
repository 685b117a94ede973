import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

import { isReachableByOtherUsers } from '../../libs/database/src/embedded-postgres';

/** Project root: dist/scripts/launcher/ is three levels below it. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

export interface LauncherSettings {
  dataDir: string;
  embeddedPgDir: string;
  embeddedPgPort: number;
  databaseUrl: string | undefined;
  authHost: string;
  authPort: number;
  vipTcpHost: string;
  vipTcpPort: number;
  vipHttpHost: string;
  vipHttpPort: number;
  seedDemo: boolean;
  readyTimeoutMs: number;
  /** Environment passed to both services, generated secrets included. */
  serviceEnv: Record<string, string>;
  operatorApiKey: string;
  serviceApiKey: string;
}

function readPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a TCP port number from 0 to 65535, got "${raw}"`);
  }

  return port;
}

/**
 * Secrets the services need but a first-time user has not set: generated once
 * and kept in the data folder with mode 600, so restarts can read old data.
 */
function loadLocalSecrets(dataDir: string): Record<string, string> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'local-secrets.json');
  const existing: Record<string, string> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  const secrets = {
    VIP_SECRET_KEY: existing.VIP_SECRET_KEY ?? randomBytes(32).toString('base64'),
    OPERATOR_API_KEY: existing.OPERATOR_API_KEY ?? randomBytes(24).toString('base64url'),
    SERVICE_API_KEY: existing.SERVICE_API_KEY ?? randomBytes(24).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });

  return secrets;
}

/**
 * Picks the embedded PostgreSQL folder. As root, PostgreSQL runs as the
 * "postgres" account, which must be able to enter every parent folder. It
 * cannot enter a checkout under /root (mode 700), so a folder under the
 * system's temporary directory is used instead.
 */
async function chooseEmbeddedPgDir(dataDir: string, log: (line: string) => void): Promise<string> {
  if (process.env.EMBEDDED_PG_DIR) {
    return resolve(process.env.EMBEDDED_PG_DIR);
  }
  const preferred = join(dataDir, 'postgres');
  if (userInfo().uid !== 0 || (await isReachableByOtherUsers(dataDir))) {
    return preferred;
  }
  const suffix = createHash('sha256').update(PROJECT_ROOT).digest('hex').slice(0, 12);
  const fallback = join(tmpdir(), `secure-token-auth-pg-${suffix}`);
  log(
    `${dataDir} is not reachable by the "postgres" account, so the embedded database lives in ` +
      `${fallback} (set EMBEDDED_PG_DIR to choose another folder)`,
  );

  return fallback;
}

export async function loadLauncherSettings(log: (line: string) => void): Promise<LauncherSettings> {
  const dataDir = resolve(process.env.DATA_DIR ?? join(PROJECT_ROOT, '.data'));
  const secrets = loadLocalSecrets(dataDir);
  const operatorApiKey = process.env.OPERATOR_API_KEY ?? secrets.OPERATOR_API_KEY;
  const serviceApiKey = process.env.SERVICE_API_KEY ?? secrets.SERVICE_API_KEY;
  const settings = {
    dataDir,
    embeddedPgDir: await chooseEmbeddedPgDir(dataDir, log),
    embeddedPgPort: readPort('EMBEDDED_PG_PORT', 0),
    databaseUrl: process.env.DATABASE_URL || undefined,
    authHost: process.env.AUTH_HTTP_HOST ?? '127.0.0.1',
    authPort: readPort('AUTH_HTTP_PORT', 3000),
    vipTcpHost: process.env.VIP_TCP_HOST ?? '127.0.0.1',
    vipTcpPort: readPort('VIP_TCP_PORT', 7100),
    vipHttpHost: process.env.VIP_HTTP_HOST ?? '127.0.0.1',
    vipHttpPort: readPort('VIP_HTTP_PORT', 7101),
    seedDemo: (process.env.SEED_DEMO ?? 'true') !== 'false',
    readyTimeoutMs: 60_000,
    operatorApiKey,
    serviceApiKey,
  };
  const serviceEnv: Record<string, string> = {
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    VIP_SECRET_KEY: process.env.VIP_SECRET_KEY ?? secrets.VIP_SECRET_KEY,
    OPERATOR_API_KEY: operatorApiKey,
    SERVICE_API_KEY: serviceApiKey,
    AUTH_HTTP_HOST: settings.authHost,
    AUTH_HTTP_PORT: String(settings.authPort),
    VIP_TCP_HOST: settings.vipTcpHost,
    VIP_TCP_PORT: String(settings.vipTcpPort),
    VIP_HTTP_HOST: settings.vipHttpHost,
    VIP_HTTP_PORT: String(settings.vipHttpPort),
    VIP_MANAGER_URL:
      process.env.VIP_MANAGER_URL ??
      `http://${settings.vipHttpHost}:${settings.vipHttpPort}/manager`,
  };

  return { ...settings, serviceEnv };
}
