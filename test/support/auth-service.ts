import { randomBytes } from 'node:crypto';

import * as OTPAuth from 'otpauth';
import { DestinationStream } from 'pino';
import request from 'supertest';

import {
  CredentialInfo,
  CredentialType,
  ProvisionedCredential,
  VipPattern,
  VipReply,
} from '@app/contract';
import { createScratchDatabase, dropScratchDatabase } from '@app/database';

import { AuthServiceHandle, bootstrapAuthService } from '../../apps/auth-service/src/bootstrap';
import { TestSimulator } from './vip-simulator';

export const TEST_OPERATOR_KEY = `operator-${randomBytes(16).toString('hex')}`;
export const TEST_SERVICE_KEY = `service-${randomBytes(16).toString('hex')}`;

/** Every user that the factories create has this password and, once registered, this PIN. */
export const TEST_PASSWORD = 'correct-horse-battery';
export const TEST_PIN = '0427';

export interface TestAuthServiceOptions {
  simulator: { tcpPort: number };
  /** Reuse this database (a second instance on one database); it is then not dropped. */
  databaseUrl?: string;
  settings?: Partial<Record<string, string>>;
  /** Where the service's log lines go; set LOG_LEVEL in settings to see any. */
  logDestination?: DestinationStream;
}

export interface TestAuthService {
  handle: AuthServiceHandle;
  httpUrl: string;
  databaseUrl: string;
  /** A supertest agent on the running HTTP server, paths relative to the root. */
  http: ReturnType<typeof request>;
  stop(): Promise<void>;
}

/**
 * Starts an auth service for a test file: a scratch database on the test
 * PostgreSQL server (unless one is given), a free HTTP port, bcrypt cost 4,
 * silent logs, and the given simulator's TCP port. The rate limits are too
 * high to reach.
 */
export async function startTestAuthService(
  options: TestAuthServiceOptions,
): Promise<TestAuthService> {
  const serverUrl = process.env.TEST_SERVER_URL;
  if (!serverUrl) {
    throw new Error('TEST_SERVER_URL is not set: run the tests through jest and its global setup');
  }
  const ownsDatabase = options.databaseUrl === undefined;
  const databaseUrl = options.databaseUrl ?? (await createScratchDatabase(serverUrl, 'auth'));
  const handle = await bootstrapAuthService(
    {
      DATABASE_URL: databaseUrl,
      AUTH_HTTP_HOST: '127.0.0.1',
      AUTH_HTTP_PORT: '0',
      VIP_TCP_HOST: '127.0.0.1',
      VIP_TCP_PORT: String(options.simulator.tcpPort),
      VIP_TIMEOUT_MS: '1000',
      OPERATOR_API_KEY: TEST_OPERATOR_KEY,
      SERVICE_API_KEY: TEST_SERVICE_KEY,
      BCRYPT_COST: '4',
      // Limits far above what any test sends; the rate-limit tests set low ones.
      RATE_LIMIT_PER_IP: '1000000',
      RATE_LIMIT_PER_USERNAME: '1000000',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      ...options.settings,
    },
    { logDestination: options.logDestination },
  );

  return {
    handle,
    httpUrl: handle.httpUrl,
    databaseUrl,
    http: request(handle.httpUrl),
    async stop() {
      await handle.close();
      if (ownsDatabase) {
        await dropScratchDatabase(serverUrl, databaseUrl);
      }
    },
  };
}

/** Authorization header of a session. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

export interface TestInstitution {
  id: string;
  name: string;
  admin: { id: string; username: string; password: string; sessionToken: string };
}

export interface InstitutionOptions {
  /** off: not provisioned; provisioned: provisioned, not enabled; enabled: both. */
  secureToken?: 'off' | 'provisioned' | 'enabled';
  lockoutThreshold?: number;
}

/**
 * Creates an institution and its administrator through the API, and signs the
 * administrator in before secure tokens are enabled, so the session needs no code.
 */
export async function createInstitution(
  service: TestAuthService,
  options: InstitutionOptions = {},
): Promise<TestInstitution> {
  const suffix = uniqueSuffix();
  const name = `Test Bank ${suffix}`;
  const adminUsername = `admin.${suffix}`;
  const created = await service.http
    .post('/api/v1/operator/institutions')
    .set('x-operator-key', TEST_OPERATOR_KEY)
    .send({ name, adminUsername, adminPassword: TEST_PASSWORD })
    .expect(201);
  const id = created.body.institution.id as string;

  const login = await service.http
    .post('/api/v1/auth/login')
    .send({ username: adminUsername, password: TEST_PASSWORD })
    .expect(200);
  const sessionToken = login.body.sessionToken as string;
  const admin = {
    id: created.body.admin.id,
    username: adminUsername,
    password: TEST_PASSWORD,
    sessionToken,
  };

  const mode = options.secureToken ?? 'enabled';
  if (mode !== 'off') {
    await service.http
      .post(`/api/v1/operator/institutions/${id}/secure-token/provision`)
      .set('x-operator-key', TEST_OPERATOR_KEY)
      .send({ supportCaseReference: `CASE-${suffix}` })
      .expect(201);
  }
  if (mode === 'enabled' || options.lockoutThreshold !== undefined) {
    await service.http
      .put('/api/v1/admin/secure-token')
      .set(bearer(sessionToken))
      .send({ enabled: mode === 'enabled', lockoutThreshold: options.lockoutThreshold })
      .expect(200);
  }

  return { id, name, admin };
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

/** Creates a Back Office user in the institution through the admin API. */
export async function createUser(
  service: TestAuthService,
  institution: TestInstitution,
  role: 'USER' | 'ADMIN' = 'USER',
): Promise<TestUser> {
  const username = `user.${uniqueSuffix()}`;
  const created = await service.http
    .post('/api/v1/admin/users')
    .set(bearer(institution.admin.sessionToken))
    .send({ username, password: TEST_PASSWORD, role })
    .expect(201);

  return { id: created.body.id as string, username, password: TEST_PASSWORD };
}

const PERIOD_SECONDS = 30;

/**
 * Security codes of one credential, computed from its secret. The simulator
 * accepts each time step once, only moving forward, within a default window
 * of ±1 step. So `nextCode` hands out each step at most once. It takes the
 * step after now when the current one was used, and waits only when both were.
 */
export class CodeSource {
  private readonly totp: OTPAuth.TOTP;
  private lastStep = -1;

  constructor(
    readonly credentialId: string,
    secret: string,
  ) {
    this.totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(secret),
      algorithm: 'SHA1',
      digits: 6,
      period: PERIOD_SECONDS,
    });
  }

  static currentStep(): number {
    return Math.floor(Date.now() / 1000 / PERIOD_SECONDS);
  }

  codeAtStep(step: number): string {
    return this.totp.generate({ timestamp: step * PERIOD_SECONDS * 1000 });
  }

  /** A code of a step no earlier than now and never handed out before. */
  async nextCode(): Promise<string> {
    let step = Math.max(CodeSource.currentStep(), this.lastStep + 1);
    while (step > CodeSource.currentStep() + 1) {
      await new Promise((done) => setTimeout(done, 250));
      step = Math.max(CodeSource.currentStep(), this.lastStep + 1);
    }
    this.lastStep = step;

    return this.codeAtStep(step);
  }

  /** A six-digit code that is not valid at any step inside the window. */
  wrongCode(): string {
    const now = CodeSource.currentStep();
    const valid = new Set([now - 1, now, now + 1, now + 2].map((step) => this.codeAtStep(step)));
    for (let candidate = 0; ; candidate += 1) {
      const code = String((candidate * 7919) % 1_000_000).padStart(6, '0');
      if (!valid.has(code)) {
        return code;
      }
    }
  }
}

/** Issues a new mobile credential at the simulator and returns a code source for it. */
export async function provisionCredential(simulator: TestSimulator): Promise<CodeSource> {
  const result = await simulator.send<VipReply<ProvisionedCredential>>(
    VipPattern.ProvisionCredential,
    { type: CredentialType.Mobile },
  );
  if (!result.ok) {
    throw new Error(`Provisioning a credential failed: ${JSON.stringify(result.error)}`);
  }

  return new CodeSource(result.reply.data.credentialId, result.reply.data.secret);
}

export interface LoginBody {
  status: string;
  challengeToken?: string;
  sessionToken?: string;
  expiresAt: string;
}

/** Logs in with the password and returns the response body (status 200 expected). */
export async function login(service: TestAuthService, user: TestUser): Promise<LoginBody> {
  const response = await service.http
    .post('/api/v1/auth/login')
    .send({ username: user.username, password: user.password })
    .expect(200);

  return response.body as LoginBody;
}

/** Logs in and returns the challenge token; fails unless a secure-token step follows. */
export async function loginForChallenge(service: TestAuthService, user: TestUser): Promise<string> {
  const body = await login(service, user);
  if (!body.challengeToken) {
    throw new Error(`Login gave no challenge token: ${JSON.stringify(body)}`);
  }

  return body.challengeToken;
}

export interface RegisteredUser extends TestUser {
  codes: CodeSource;
  pin: string;
  sessionToken: string;
}

/** Creates a user, provisions a credential and registers it with TEST_PIN. */
export async function createRegisteredUser(
  service: TestAuthService,
  simulator: TestSimulator,
  institution: TestInstitution,
): Promise<RegisteredUser> {
  const user = await createUser(service, institution);
  const codes = await provisionCredential(simulator);
  const challengeToken = await loginForChallenge(service, user);
  const registered = await service.http
    .post('/api/v1/auth/register')
    .send({
      challengeToken,
      credentialId: codes.credentialId,
      securityCode: await codes.nextCode(),
      pin: TEST_PIN,
    })
    .expect(200);

  return { ...user, codes, pin: TEST_PIN, sessionToken: registered.body.sessionToken as string };
}

/** Sends a step-up request and returns the raw response. */
export function stepUp(
  service: TestAuthService,
  body: { challengeToken: string; securityCode: string; pin: string },
): Promise<request.Response> {
  return service.http.post('/api/v1/auth/step-up').send(body);
}

/** Opens `count` challenges for the user, logging in that many times. */
export async function openChallenges(
  service: TestAuthService,
  user: TestUser,
  count: number,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let index = 0; index < count; index += 1) {
    tokens.push(await loginForChallenge(service, user));
  }

  return tokens;
}

export interface AuthenticationSettings {
  userId: string;
  username: string;
  userAuthenticationStatus: string;
  credentialState: string | null;
  credentialId: string | null;
  vipUserId: string;
  failedAttempts: number;
  lockedAt: string | null;
}

/** Reads a user's authentication settings as the institution's administrator. */
export async function readSettings(
  service: TestAuthService,
  institution: TestInstitution,
  userId: string,
): Promise<AuthenticationSettings> {
  const response = await service.http
    .get(`/api/v1/admin/users/${userId}/authentication-settings`)
    .set(bearer(institution.admin.sessionToken))
    .expect(200);

  return response.body as AuthenticationSettings;
}

export interface AuditEventBody {
  id: string;
  occurredAt: string;
  type: string;
  actorType: string;
  actorUserId: string | null;
  targetUserId: string | null;
  reason: string | null;
  detail: Record<string, unknown> | null;
}

/** Reads every audit event of the institution that matches the filter, newest first. */
export async function readAuditEvents(
  service: TestAuthService,
  institution: TestInstitution,
  filter: { userId?: string; type?: string } = {},
): Promise<AuditEventBody[]> {
  const events: AuditEventBody[] = [];
  let cursor: string | null = null;
  do {
    const response = await service.http
      .get('/api/v1/admin/audit-events')
      .set(bearer(institution.admin.sessionToken))
      .query({ ...filter, limit: 200, ...(cursor ? { cursor } : {}) })
      .expect(200);
    events.push(...(response.body.items as AuditEventBody[]));
    cursor = response.body.nextCursor as string | null;
  } while (cursor);

  return events;
}

/** Unlocks a user as the institution's administrator. */
export async function unlockUser(
  service: TestAuthService,
  institution: TestInstitution,
  userId: string,
  resetRegistration = false,
): Promise<void> {
  await service.http
    .post(`/api/v1/admin/users/${userId}/unlock`)
    .set(bearer(institution.admin.sessionToken))
    .send({ resetRegistration })
    .expect(200);
}

/**
 * Binds `count` more credentials to the user's VIP user at the simulator, so
 * that several correct codes of the same time step exist for one user.
 */
export async function bindMoreCredentials(
  service: TestAuthService,
  simulator: TestSimulator,
  institution: TestInstitution,
  userId: string,
  count: number,
): Promise<CodeSource[]> {
  const { vipUserId } = await readSettings(service, institution, userId);
  const sources: CodeSource[] = [];
  for (let index = 0; index < count; index += 1) {
    const codes = await provisionCredential(simulator);
    const bound = await simulator.send(VipPattern.BindCredential, {
      vipUserId,
      credentialId: codes.credentialId,
      code: await codes.nextCode(),
    });
    if (!bound.ok) {
      throw new Error(`Binding ${codes.credentialId} failed: ${JSON.stringify(bound.error)}`);
    }
    sources.push(codes);
  }

  return sources;
}

/** Reads a credential's consecutive failure count at the simulator. */
export async function simulatorFailedAttempts(
  simulator: TestSimulator,
  credentialId: string,
): Promise<number> {
  const result = await simulator.send<VipReply<CredentialInfo>>(VipPattern.GetCredential, {
    credentialId,
  });
  if (!result.ok) {
    throw new Error(`Reading ${credentialId} failed: ${JSON.stringify(result.error)}`);
  }

  return result.reply.data.failedAttempts;
}

/** Counts the responses with each HTTP status. */
export function countStatuses(responses: request.Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const response of responses) {
    counts[response.status] = (counts[response.status] ?? 0) + 1;
  }

  return counts;
}
