import { Client } from 'pg';

import { VipPattern } from '@app/contract';
import { dropScratchDatabase } from '@app/database';

import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  TEST_PIN,
  TestAuthService,
  TestInstitution,
  bearer,
  bindMoreCredentials,
  countStatuses,
  createInstitution,
  createRegisteredUser,
  loginForChallenge,
  openChallenges,
  readAuditEvents,
  readSettings,
  simulatorFailedAttempts,
  startTestAuthService,
  stepUp,
  unlockUser,
} from '../support/auth-service';

describe('secure-token lockout', () => {
  let simulator: TestSimulator;
  let service: TestAuthService;

  beforeAll(async () => {
    // The simulator locks a credential after 10 failures by default, which would
    // turn later guesses into credential-state rejections. Raising that limit
    // keeps this file about the auth service's own per-user count.
    simulator = await startTestSimulator({ settings: { VIP_LOCK_THRESHOLD: '1000' } });
    service = await startTestAuthService({ simulator });
  });

  afterAll(async () => {
    await service?.stop();
    await simulator?.stop();
  });

  async function institutionWithThreshold(threshold: number): Promise<TestInstitution> {
    return createInstitution(service, { lockoutThreshold: threshold });
  }

  it('lockout-burst: 30 wrong step-ups reach VIP 3 times', async () => {
    const institution = await institutionWithThreshold(3);
    const user = await createRegisteredUser(service, simulator, institution);
    const [spare, ...challenges] = await openChallenges(service, user, 31);
    const wrongCode = user.codes.wrongCode();

    const responses = await Promise.all(
      challenges.map((challengeToken) =>
        stepUp(service, { challengeToken, securityCode: wrongCode, pin: TEST_PIN }),
      ),
    );

    expect(countStatuses(responses)).toEqual({ 401: 3, 403: 27 });
    expect(responses.filter((r) => r.body.code === 'USER_LOCKED')).toHaveLength(27);
    expect(await simulatorFailedAttempts(simulator, user.codes.credentialId)).toBe(3);
    const settings = await readSettings(service, institution, user.id);
    expect(settings.userAuthenticationStatus).toBe('LOCKED');
    expect(settings.failedAttempts).toBe(3);

    const afterLock = await stepUp(service, {
      challengeToken: spare,
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });
    expect(afterLock.status).toBe(403);
    expect(afterLock.body.code).toBe('USER_LOCKED');
    const login = await service.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password });
    expect(login.status).toBe(403);
    expect(login.body.code).toBe('USER_LOCKED');
  });

  it('lockout-burst: concurrent correct step-ups never get USER_LOCKED', async () => {
    const institution = await institutionWithThreshold(3);
    const user = await createRegisteredUser(service, simulator, institution);
    // A multi-use temporary code gives one correct code for every attempt.
    const { vipUserId } = await readSettings(service, institution, user.id);
    const temporary = await simulator.send(VipPattern.SetTemporaryCode, {
      vipUserId,
      code: '482915',
    });
    expect(temporary.ok).toBe(true);
    const challenges = await openChallenges(service, user, 5);

    const responses = await Promise.all(
      challenges.map((challengeToken) =>
        stepUp(service, { challengeToken, securityCode: '482915', pin: TEST_PIN }),
      ),
    );

    expect(countStatuses(responses)).toEqual({ 200: 5 });
    expect((await readSettings(service, institution, user.id)).failedAttempts).toBe(0);
  });

  it('failcounter-lost-update: 50 concurrent failures count 50', async () => {
    const institution = await institutionWithThreshold(1000);
    const user = await createRegisteredUser(service, simulator, institution);
    const challenges = await openChallenges(service, user, 50);
    const wrongCode = user.codes.wrongCode();

    const responses = await Promise.all(
      challenges.map((challengeToken) =>
        stepUp(service, { challengeToken, securityCode: wrongCode, pin: TEST_PIN }),
      ),
    );

    expect(countStatuses(responses)).toEqual({ 401: 50 });
    const settings = await readSettings(service, institution, user.id);
    expect(settings.failedAttempts).toBe(50);
    expect(settings.userAuthenticationStatus).toBe('REGISTERED');
  });

  it('second-factor-failures-counted: wrong codes and PINs lock', async () => {
    const institution = await institutionWithThreshold(3);
    const user = await createRegisteredUser(service, simulator, institution);
    const extra = await bindMoreCredentials(service, simulator, institution, user.id, 2);

    for (const challengeToken of await openChallenges(service, user, 3)) {
      const response = await stepUp(service, {
        challengeToken,
        securityCode: user.codes.wrongCode(),
        pin: TEST_PIN,
      });
      expect(response.status).toBe(401);
    }
    expect((await readSettings(service, institution, user.id)).userAuthenticationStatus).toBe(
      'LOCKED',
    );

    await unlockUser(service, institution, user.id);
    const rightCodes = [
      await user.codes.nextCode(),
      ...(await Promise.all(extra.map((s) => s.nextCode()))),
    ];
    for (const securityCode of rightCodes) {
      const challengeToken = await loginForChallenge(service, user);
      const response = await stepUp(service, { challengeToken, securityCode, pin: '9999' });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('INVALID_SECURITY_CREDENTIALS');
    }
    expect((await readSettings(service, institution, user.id)).userAuthenticationStatus).toBe(
      'LOCKED',
    );

    const failures = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'SECOND_FACTOR_FAILED',
    });
    const reasons = failures.map((event) => event.reason).sort();
    // Codes of the other bound credentials are valid at VIP but not registered here.
    expect(reasons).toEqual([
      'INVALID_CODE',
      'INVALID_CODE',
      'INVALID_CODE',
      'UNREGISTERED_CREDENTIAL',
      'UNREGISTERED_CREDENTIAL',
      'WRONG_PIN',
    ]);
    const locks = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'USER_LOCKED',
    });
    expect(locks).toHaveLength(2);
  });

  it('password-step-keeps-counter: login keeps failure count', async () => {
    const institution = await institutionWithThreshold(3);
    const user = await createRegisteredUser(service, simulator, institution);
    const oldChallenge = await loginForChallenge(service, user);

    for (const challengeToken of await openChallenges(service, user, 2)) {
      const response = await stepUp(service, {
        challengeToken,
        securityCode: user.codes.wrongCode(),
        pin: TEST_PIN,
      });
      expect(response.status).toBe(401);
    }
    await service.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'not-the-password' })
      .expect(401);
    const challengeToken = await loginForChallenge(service, user);
    expect((await readSettings(service, institution, user.id)).failedAttempts).toBe(2);

    const last = await stepUp(service, {
      challengeToken,
      securityCode: user.codes.wrongCode(),
      pin: TEST_PIN,
    });
    expect(last.status).toBe(401);
    const settings = await readSettings(service, institution, user.id);
    expect(settings.userAuthenticationStatus).toBe('LOCKED');
    expect(settings.failedAttempts).toBe(3);

    const withOldChallenge = await stepUp(service, {
      challengeToken: oldChallenge,
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });
    expect(withOldChallenge.status).toBe(403);
    expect(withOldChallenge.body.code).toBe('USER_LOCKED');
  });

  it('locked-user-right-code: right and wrong rejected alike', async () => {
    const institution = await institutionWithThreshold(3);
    const user = await createRegisteredUser(service, simulator, institution);
    const [spareRight, spareWrong, ...lockers] = await openChallenges(service, user, 5);
    for (const challengeToken of lockers) {
      await stepUp(service, {
        challengeToken,
        securityCode: user.codes.wrongCode(),
        pin: TEST_PIN,
      });
    }
    expect((await readSettings(service, institution, user.id)).userAuthenticationStatus).toBe(
      'LOCKED',
    );

    const right = await stepUp(service, {
      challengeToken: spareRight,
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });
    const wrong = await stepUp(service, {
      challengeToken: spareWrong,
      securityCode: user.codes.wrongCode(),
      pin: '9999',
    });

    expect(right.status).toBe(403);
    expect(wrong.status).toBe(right.status);
    expect({ ...wrong.body, requestId: null }).toEqual({ ...right.body, requestId: null });
    expect((await readSettings(service, institution, user.id)).failedAttempts).toBe(3);
    const whileLocked = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'ATTEMPT_WHILE_LOCKED',
    });
    expect(whileLocked.length).toBeGreaterThanOrEqual(2);
  });

  it('lock and sessions survive a service restart', async () => {
    const serverUrl = process.env.TEST_SERVER_URL as string;
    const first = await startTestAuthService({ simulator });
    const databaseUrl = first.databaseUrl;
    const institution = await createInstitution(first);
    const user = await createRegisteredUser(first, simulator, institution);
    for (const challengeToken of await openChallenges(first, user, 3)) {
      await stepUp(first, { challengeToken, securityCode: user.codes.wrongCode(), pin: TEST_PIN });
    }
    await first.handle.close();

    const restarted = await startTestAuthService({ simulator, databaseUrl });
    try {
      await restarted.http.get('/api/v1/auth/me').set(bearer(user.sessionToken)).expect(200);
      const settings = await readSettings(restarted, institution, user.id);
      expect(settings.userAuthenticationStatus).toBe('LOCKED');
      expect(settings.failedAttempts).toBe(3);
      const login = await restarted.http
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: user.password });
      expect(login.status).toBe(403);
    } finally {
      await restarted.stop();
      await dropScratchDatabase(serverUrl, databaseUrl);
    }
  });

  it('row lock held elsewhere gives 429', async () => {
    const institution = await institutionWithThreshold(3);
    const user = await createRegisteredUser(service, simulator, institution);
    const [challengeToken] = await openChallenges(service, user, 1);
    const wrongCode = user.codes.wrongCode();

    // Another instance's attempt holds the user's row lock until ROLLBACK.
    const otherInstance = new Client({ connectionString: service.databaseUrl });
    await otherInstance.connect();
    let blocked: Awaited<ReturnType<typeof stepUp>>;
    try {
      await otherInstance.query('BEGIN');
      await otherInstance.query('SELECT 1 FROM auth.users WHERE id = $1 FOR UPDATE', [user.id]);
      blocked = await stepUp(service, { challengeToken, securityCode: wrongCode, pin: TEST_PIN });
      await otherInstance.query('ROLLBACK');
    } finally {
      await otherInstance.end();
    }

    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('ATTEMPT_IN_PROGRESS');
    // The challenge stays open and nothing was counted, so the next attempt is evaluated.
    const evaluated = await stepUp(service, {
      challengeToken,
      securityCode: wrongCode,
      pin: TEST_PIN,
    });
    expect(evaluated.status).toBe(401);
    expect(evaluated.body.code).toBe('INVALID_SECURITY_CREDENTIALS');
    const settings = await readSettings(service, institution, user.id);
    expect(settings.failedAttempts).toBe(1);
  });

  it('two instances share one lockout count', async () => {
    const second = await startTestAuthService({ simulator, databaseUrl: service.databaseUrl });
    try {
      const institution = await institutionWithThreshold(3);
      const user = await createRegisteredUser(service, simulator, institution);
      const challenges = await openChallenges(service, user, 20);
      const wrongCode = user.codes.wrongCode();

      const responses = await Promise.all(
        challenges.map((challengeToken, index) =>
          stepUp(index % 2 === 0 ? service : second, {
            challengeToken,
            securityCode: wrongCode,
            pin: TEST_PIN,
          }),
        ),
      );

      expect(countStatuses(responses)).toEqual({ 401: 3, 403: 17 });
      expect(await simulatorFailedAttempts(simulator, user.codes.credentialId)).toBe(3);
    } finally {
      await second.stop();
    }
  });
});
