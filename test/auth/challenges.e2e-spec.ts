import { Client } from 'pg';

import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  TEST_PIN,
  TEST_SERVICE_KEY,
  TestAuthService,
  bearer,
  countStatuses,
  createInstitution,
  createRegisteredUser,
  createUser,
  login,
  loginForChallenge,
  openChallenges,
  provisionCredential,
  readAuditEvents,
  startTestAuthService,
  stepUp,
} from '../support/auth-service';

/** Returns a response body without its request id, for comparing two rejections. */
function withoutRequestId(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, requestId: undefined };
}

describe('challenge tokens and replay', () => {
  let simulator: TestSimulator;
  let service: TestAuthService;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    service = await startTestAuthService({ simulator });
  });

  afterAll(async () => {
    await service?.stop();
    await simulator?.stop();
  });

  it('totp-replay: reused step-up code rejected like wrong code', async () => {
    const institution = await createInstitution(service, { lockoutThreshold: 10 });
    const user = await createRegisteredUser(service, simulator, institution);
    const code = await user.codes.nextCode();

    const first = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: code,
      pin: TEST_PIN,
    });
    const replay = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: code,
      pin: TEST_PIN,
    });
    const wrong = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: user.codes.wrongCode(),
      pin: TEST_PIN,
    });

    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
    expect(withoutRequestId(replay.body)).toEqual(withoutRequestId(wrong.body));
    const failures = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'SECOND_FACTOR_FAILED',
    });
    expect(failures.map((event) => event.reason).sort()).toEqual(['INVALID_CODE', 'REPLAYED_CODE']);
  });

  it('totp-replay: registration code rejected at step-up', async () => {
    const institution = await createInstitution(service, { lockoutThreshold: 10 });
    const user = await createUser(service, institution);
    const codes = await provisionCredential(simulator);
    const code = await codes.nextCode();
    await service.http
      .post('/api/v1/auth/register')
      .send({
        challengeToken: await loginForChallenge(service, user),
        credentialId: codes.credentialId,
        securityCode: code,
        pin: TEST_PIN,
      })
      .expect(200);

    const replay = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: code,
      pin: TEST_PIN,
    });

    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('INVALID_SECURITY_CREDENTIALS');
  });

  it('totp-replay-race: one of 10 concurrent uses succeeds', async () => {
    const institution = await createInstitution(service, { lockoutThreshold: 20 });
    const user = await createRegisteredUser(service, simulator, institution);
    const challenges = await openChallenges(service, user, 10);
    const code = await user.codes.nextCode();

    const responses = await Promise.all(
      challenges.map((challengeToken) =>
        stepUp(service, { challengeToken, securityCode: code, pin: TEST_PIN }),
      ),
    );

    expect(countStatuses(responses)).toEqual({ 200: 1, 401: 9 });
    const replays = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'SECOND_FACTOR_FAILED',
    });
    expect(replays).toHaveLength(9);
    expect(replays.every((event) => event.reason === 'REPLAYED_CODE')).toBe(true);
  });

  it('challenge-fixation: challenge single use and user-bound', async () => {
    const institution = await createInstitution(service, { lockoutThreshold: 10 });
    const alice = await createRegisteredUser(service, simulator, institution);
    const bob = await createRegisteredUser(service, simulator, institution);
    const aliceChallenge = await loginForChallenge(service, alice);

    const done = await stepUp(service, {
      challengeToken: aliceChallenge,
      securityCode: await alice.codes.nextCode(),
      pin: TEST_PIN,
    });
    // The challenge is checked before the code reaches VIP, so any code shows the refusal.
    const reused = await stepUp(service, {
      challengeToken: aliceChallenge,
      securityCode: alice.codes.wrongCode(),
      pin: TEST_PIN,
    });
    const withBobsCode = await stepUp(service, {
      challengeToken: await loginForChallenge(service, alice),
      securityCode: await bob.codes.nextCode(),
      pin: TEST_PIN,
    });

    expect(done.status).toBe(200);
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('INVALID_CHALLENGE');
    expect(withBobsCode.status).toBe(401);
    expect(withBobsCode.body.code).toBe('INVALID_SECURITY_CREDENTIALS');
    const rejected = await readAuditEvents(service, institution, {
      userId: alice.id,
      type: 'CHALLENGE_REJECTED',
    });
    expect(rejected.map((event) => event.reason)).toEqual(['ALREADY_USED']);
  });

  it('challenge-fixation: challenge valid for its step only', async () => {
    const institution = await createInstitution(service);
    const registered = await createRegisteredUser(service, simulator, institution);
    const newcomer = await createUser(service, institution);
    const codes = await provisionCredential(simulator);

    const registrationAtStepUp = await stepUp(service, {
      challengeToken: await loginForChallenge(service, newcomer),
      securityCode: await codes.nextCode(),
      pin: TEST_PIN,
    });
    const stepUpAtRegistration = await service.http.post('/api/v1/auth/register').send({
      challengeToken: await loginForChallenge(service, registered),
      credentialId: codes.credentialId,
      securityCode: await codes.nextCode(),
      pin: TEST_PIN,
    });

    expect(registrationAtStepUp.status).toBe(401);
    expect(registrationAtStepUp.body.code).toBe('INVALID_CHALLENGE');
    expect(stepUpAtRegistration.status).toBe(401);
    expect(stepUpAtRegistration.body.code).toBe('INVALID_CHALLENGE');
  });

  it('challenge-fixation: challenge expires after its TTL', async () => {
    const institution = await createInstitution(service);
    const user = await createRegisteredUser(service, simulator, institution);
    const before = Date.now();
    const body = await login(service, user);
    const expiresInSeconds = (Date.parse(String(body.expiresAt)) - before) / 1000;
    expect(expiresInSeconds).toBeGreaterThan(295);
    expect(expiresInSeconds).toBeLessThanOrEqual(301);

    // Moving the stored expiry into the past replaces waiting five minutes.
    const database = new Client({ connectionString: service.databaseUrl });
    await database.connect();
    await database.query(
      `UPDATE auth.challenges SET expires_at = now() - interval '1 second'
        WHERE user_id = $1 AND consumed_at IS NULL`,
      [user.id],
    );
    await database.end();
    const expired = await stepUp(service, {
      challengeToken: String(body.challengeToken),
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });

    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('INVALID_CHALLENGE');
  });

  it('skip-second-step: challenge opens no protected route', async () => {
    const institution = await createInstitution(service);
    const user = await createRegisteredUser(service, simulator, institution);
    const userChallenge = await loginForChallenge(service, user);
    const adminChallenge = await loginForChallenge(service, {
      id: institution.admin.id,
      username: institution.admin.username,
      password: institution.admin.password,
    });
    const userId = user.id;
    const routes: Array<[method: 'get' | 'post' | 'put', path: string, body?: object]> = [
      ['get', '/api/v1/auth/me'],
      ['post', '/api/v1/auth/logout'],
      ['get', '/api/v1/admin/secure-token'],
      ['put', '/api/v1/admin/secure-token', { enabled: false }],
      [
        'post',
        '/api/v1/admin/users',
        { username: 'x.y.z', password: 'a'.repeat(12), role: 'ADMIN' },
      ],
      ['get', '/api/v1/admin/users'],
      ['get', `/api/v1/admin/users/${userId}/authentication-settings`],
      ['post', `/api/v1/admin/users/${userId}/unlock`, { resetRegistration: true }],
      ['post', `/api/v1/admin/users/${userId}/reset-credential`],
      ['get', '/api/v1/admin/vip-manager'],
      ['get', '/api/v1/admin/audit-events'],
    ];

    for (const token of [userChallenge, adminChallenge]) {
      for (const [method, path, body] of routes) {
        const call = service.http[method](path).set(bearer(token));
        const response = await (body ? call.send(body) : call);
        expect({ path, status: response.status }).toEqual({ path, status: 401 });
      }
      const introspectWithBearer = await service.http
        .post('/api/v1/auth/introspect')
        .set(bearer(token))
        .send({ token });
      expect(introspectWithBearer.status).toBe(401);
      const introspected = await service.http
        .post('/api/v1/auth/introspect')
        .set('x-service-key', TEST_SERVICE_KEY)
        .send({ token });
      expect(introspected.status).toBe(200);
      expect(introspected.body).toEqual({ active: false });
    }
  });
});
