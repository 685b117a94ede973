import { runClosedLoop } from '../lib/closed-loop';
import { FreshCodePool, totpFromUri } from '../lib/fresh-code-pool';
import { expectStatus, requestJson } from '../lib/http-json';
import { RunningServices } from '../lib/services';
import { VipTcpClient } from '../lib/vip-tcp-client';

/** A registered Back Office user whose codes the benchmark computes. */
export interface LoginUser {
  username: string;
  password: string;
  pin: string;
}

/** An institution with secure tokens enabled and registered users, made through the API. */
export interface LoginFixture {
  apiUrl: string;
  institutionId: string;
  adminHeaders: Record<string, string>;
  users: FreshCodePool<LoginUser>;
}

export const BENCH_PASSWORD = 'Bench-Login-Pass-1';
export const BENCH_PIN = '0427';
const SETUP_CONCURRENCY = 4;

/** An institution and the bearer header of its administrator's session. */
export interface AdministeredInstitution {
  institutionId: string;
  adminHeaders: Record<string, string>;
}

/**
 * Creates an institution with an administrator through the operator API,
 * provisions secure tokens (not yet enabled) and logs the administrator in.
 */
export async function createInstitution(
  apiUrl: string,
  operatorApiKey: string,
  suffix: string,
): Promise<AdministeredInstitution> {
  const operator = { 'x-operator-key': operatorApiKey };
  const admin = { username: `bench.admin.${suffix}`, password: 'Bench-Admin-Pass-1' };
  const created = await requestJson(`${apiUrl}/operator/institutions`, 'POST', operator, {
    name: `Bench Bank ${suffix}`,
    adminUsername: admin.username,
    adminPassword: admin.password,
  });
  expectStatus(created, 201, 'create institution');
  const institution = (created.body.institution ?? created.body) as { id: string };

  const provisioned = await requestJson(
    `${apiUrl}/operator/institutions/${institution.id}/secure-token/provision`,
    'POST',
    operator,
    { supportCaseReference: `CASE-${suffix.toUpperCase()}` },
  );
  expectStatus(provisioned, 201, 'provision secure tokens');

  const login = await requestJson(`${apiUrl}/auth/login`, 'POST', {}, admin);
  expectStatus(login, 200, 'administrator login');

  return {
    institutionId: institution.id,
    adminHeaders: { authorization: `Bearer ${String(login.body.sessionToken)}` },
  };
}

/**
 * Creates an institution, `userCount` users and enables secure tokens, then
 * registers one freshly provisioned simulator credential per user through the
 * login and registration endpoints, as a real user would.
 */
export async function createLoginFixture(
  services: RunningServices,
  userCount: number,
  log: (line: string) => void,
): Promise<LoginFixture> {
  const apiUrl = `${services.auth.httpUrl}/api/v1`;
  const suffix = Date.now().toString(36);
  const { institutionId, adminHeaders } = await createInstitution(
    apiUrl,
    services.operatorApiKey,
    suffix,
  );

  const users: LoginUser[] = Array.from({ length: userCount }, (_, index) => ({
    username: `bench.user.${suffix}.${index}`,
    password: BENCH_PASSWORD,
    pin: BENCH_PIN,
  }));
  log(`Creating ${userCount} users through the admin API`);
  const created = await runClosedLoop({
    operations: userCount,
    concurrency: SETUP_CONCURRENCY,
    operation: async (index) => {
      const { username, password } = users[index];
      const response = await requestJson(`${apiUrl}/admin/users`, 'POST', adminHeaders, {
        username,
        password,
        role: 'USER',
      });
      expectStatus(response, 201, `create user ${username}`);
    },
  });
  if (created.errors > 0) {
    throw new Error(created.firstError);
  }
  const enabled = await requestJson(`${apiUrl}/admin/secure-token`, 'PUT', adminHeaders, {
    enabled: true,
  });
  expectStatus(enabled, 200, 'enable secure tokens');

  log(`Registering one credential per user through /auth/register`);
  const pool = new FreshCodePool<LoginUser>();
  const vip = new VipTcpClient('127.0.0.1', services.simulator.tcpPort);
  await vip.connect();
  try {
    const registered = await runClosedLoop({
      operations: userCount,
      concurrency: SETUP_CONCURRENCY,
      operation: async (index) => {
        await registerUser(apiUrl, vip, pool, users[index]);
      },
    });
    if (registered.errors > 0) {
      throw new Error(registered.firstError);
    }
  } finally {
    await vip.close();
  }

  return { apiUrl, institutionId, adminHeaders, users: pool };
}

async function registerUser(
  apiUrl: string,
  vip: VipTcpClient,
  pool: FreshCodePool<LoginUser>,
  user: LoginUser,
): Promise<void> {
  const credential = await vip.provisionCredential();
  const account = pool.add(user, totpFromUri(credential.otpauthUri));
  const login = await requestJson(
    `${apiUrl}/auth/login`,
    'POST',
    {},
    {
      username: user.username,
      password: user.password,
    },
  );
  expectStatus(login, 200, `first login of ${user.username}`);
  if (login.body.status !== 'TOKEN_REGISTRATION_REQUIRED') {
    throw new Error(`expected TOKEN_REGISTRATION_REQUIRED, got ${String(login.body.status)}`);
  }

  const fresh = pool.take(account);
  if (!fresh) {
    throw new Error(`credential ${credential.credentialId} has no fresh code`);
  }
  try {
    const registered = await requestJson(
      `${apiUrl}/auth/register`,
      'POST',
      {},
      {
        challengeToken: login.body.challengeToken,
        credentialId: credential.credentialId,
        securityCode: fresh.code,
        pin: user.pin,
      },
    );
    expectStatus(registered, 200, `register ${user.username}`);
  } finally {
    pool.release(account);
  }
}
