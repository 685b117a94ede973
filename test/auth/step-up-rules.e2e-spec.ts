import { CredentialAction, DisableReason, VipPattern, VipReply, VipUserInfo } from '@app/contract';

import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  TEST_PIN,
  TestAuthService,
  TestInstitution,
  bearer,
  bindMoreCredentials,
  createInstitution,
  createRegisteredUser,
  createUser,
  loginForChallenge,
  openChallenges,
  provisionCredential,
  readAuditEvents,
  readSettings,
  simulatorFailedAttempts,
  startTestAuthService,
  stepUp,
} from '../support/auth-service';

describe('step-up rules', () => {
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

  async function boundCredentialIds(vipUserId: string): Promise<string[]> {
    const result = await simulator.send<VipReply<VipUserInfo>>(VipPattern.GetUser, { vipUserId });
    if (!result.ok) {
      throw new Error(`GetUser ${vipUserId} failed: ${JSON.stringify(result.error)}`);
    }

    return result.reply.data.credentials.map((credential) => credential.credentialId).sort();
  }

  async function setTemporaryCode(vipUserId: string, code: string): Promise<void> {
    const result = await simulator.send(VipPattern.SetTemporaryCode, { vipUserId, code });
    expect(result.ok).toBe(true);
  }

  async function setThreshold(institution: TestInstitution, lockoutThreshold: number) {
    await service.http
      .put('/api/v1/admin/secure-token')
      .set(bearer(institution.admin.sessionToken))
      .send({ enabled: true, lockoutThreshold })
      .expect(200);
  }

  it('temporary-code guesses are counted and lock', async () => {
    const institution = await createInstitution(service, { lockoutThreshold: 3 });
    const user = await createRegisteredUser(service, simulator, institution);
    const { vipUserId } = await readSettings(service, institution, user.id);
    const disabled = await simulator.send(VipPattern.ChangeCredentialState, {
      credentialId: user.codes.credentialId,
      action: CredentialAction.Disable,
      reason: DisableReason.Lost,
    });
    expect(disabled.ok).toBe(true);
    await setTemporaryCode(vipUserId, '515151');

    const guesses = ['100000', '100001', '100002'];
    for (const [index, challengeToken] of (await openChallenges(service, user, 4)).entries()) {
      const securityCode = guesses[index] ?? '515151';
      const response = await stepUp(service, { challengeToken, securityCode, pin: TEST_PIN });
      if (index < guesses.length) {
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('INVALID_SECURITY_CREDENTIALS');
      } else {
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('USER_LOCKED');
      }
    }

    const settings = await readSettings(service, institution, user.id);
    expect(settings.userAuthenticationStatus).toBe('LOCKED');
    expect(settings.failedAttempts).toBe(3);
  });

  it('login audits the sign-in method', async () => {
    const institution = await createInstitution(service);
    const user = await createRegisteredUser(service, simulator, institution);
    const { vipUserId } = await readSettings(service, institution, user.id);
    await setTemporaryCode(vipUserId, '626262');

    const withTemporaryCode = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: '626262',
      pin: TEST_PIN,
    });
    expect(withTemporaryCode.status).toBe(200);
    const withCredential = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });
    expect(withCredential.status).toBe(200);

    const logins = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'LOGIN_SUCCEEDED',
    });
    const methods = logins.map((event) => event.detail?.signInMethod);
    // Newest first: the credential step-up, the temporary code, then registration.
    expect(methods).toEqual(['CREDENTIAL', 'TEMPORARY_CODE', 'CREDENTIAL']);
  });

  it('another bound credential is a counted failure', async () => {
    const institution = await createInstitution(service, { lockoutThreshold: 3 });
    const user = await createRegisteredUser(service, simulator, institution);
    const [other] = await bindMoreCredentials(service, simulator, institution, user.id, 1);

    const response = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: await other.nextCode(),
      pin: TEST_PIN,
    });

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_SECURITY_CREDENTIALS');
    expect((await readSettings(service, institution, user.id)).failedAttempts).toBe(1);
    const [failure] = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'SECOND_FACTOR_FAILED',
    });
    expect(failure?.reason).toBe('UNREGISTERED_CREDENTIAL');
  });

  it('reset unbinds every bound credential', async () => {
    const institution = await createInstitution(service);
    const user = await createRegisteredUser(service, simulator, institution);
    const { vipUserId } = await readSettings(service, institution, user.id);
    await bindMoreCredentials(service, simulator, institution, user.id, 2);
    expect(await boundCredentialIds(vipUserId)).toHaveLength(3);

    const reset = await service.http
      .post(`/api/v1/admin/users/${user.id}/reset-credential`)
      .set(bearer(institution.admin.sessionToken))
      .expect(200);

    expect(reset.body.vipUnbindPending).toBe(false);
    expect(reset.body.userAuthenticationStatus).toBe('NOT_REGISTERED');
    expect(await boundCredentialIds(vipUserId)).toEqual([]);
  });

  it('registration removes leftover bindings', async () => {
    const institution = await createInstitution(service);
    const user = await createUser(service, institution);
    const { vipUserId } = await readSettings(service, institution, user.id);
    const leftover = await provisionCredential(simulator);
    expect((await simulator.send(VipPattern.CreateUser, { vipUserId })).ok).toBe(true);
    const bound = await simulator.send(VipPattern.BindCredential, {
      vipUserId,
      credentialId: leftover.credentialId,
      code: await leftover.nextCode(),
    });
    expect(bound.ok).toBe(true);
    const registered = await provisionCredential(simulator);

    await service.http
      .post('/api/v1/auth/register')
      .send({
        challengeToken: await loginForChallenge(service, user),
        credentialId: registered.credentialId,
        securityCode: await registered.nextCode(),
        pin: TEST_PIN,
      })
      .expect(200);

    expect(await boundCredentialIds(vipUserId)).toEqual([registered.credentialId]);
  });

  it('lowered threshold locks step-up without VIP', async () => {
    const institution = await createInstitution(service, { lockoutThreshold: 10 });
    const user = await createRegisteredUser(service, simulator, institution);
    const [pending, ...challenges] = await openChallenges(service, user, 6);
    for (const challengeToken of challenges) {
      const response = await stepUp(service, {
        challengeToken,
        securityCode: user.codes.wrongCode(),
        pin: TEST_PIN,
      });
      expect(response.status).toBe(401);
    }
    await setThreshold(institution, 3);

    const response = await stepUp(service, {
      challengeToken: pending,
      securityCode: user.codes.wrongCode(),
      pin: TEST_PIN,
    });

    expect(response.status).toBe(403);
    expect(response.body.code).toBe('USER_LOCKED');
    expect(await simulatorFailedAttempts(simulator, user.codes.credentialId)).toBe(5);
    const settings = await readSettings(service, institution, user.id);
    expect(settings.userAuthenticationStatus).toBe('LOCKED');
    expect(settings.failedAttempts).toBe(5);
    const [lock] = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'USER_LOCKED',
    });
    expect(lock?.reason).toBe('THRESHOLD_LOWERED');
  });

  it('lowered threshold locks at login', async () => {
    const institution = await createInstitution(service, { lockoutThreshold: 10 });
    const user = await createRegisteredUser(service, simulator, institution);
    for (const challengeToken of await openChallenges(service, user, 3)) {
      await stepUp(service, { challengeToken, securityCode: user.codes.wrongCode(), pin: '9999' });
    }
    await setThreshold(institution, 3);

    const login = await service.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password });

    expect(login.status).toBe(403);
    expect(login.body.code).toBe('USER_LOCKED');
    const settings = await readSettings(service, institution, user.id);
    expect(settings.userAuthenticationStatus).toBe('LOCKED');
    const [lock] = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'USER_LOCKED',
    });
    expect(lock?.reason).toBe('THRESHOLD_LOWERED');
    expect(lock?.detail?.step).toBe('PASSWORD');
  });
});
