import { Client } from 'pg';
import { Response } from 'supertest';

import { VipPattern, VipReply, VipUserInfo } from '@app/contract';

import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  TEST_OPERATOR_KEY,
  TEST_PASSWORD,
  TEST_PIN,
  TestAuthService,
  TestInstitution,
  bearer,
  createInstitution,
  createRegisteredUser,
  createUser,
  login,
  loginForChallenge,
  openChallenges,
  readAuditEvents,
  readSettings,
  startTestAuthService,
  stepUp,
  unlockUser,
} from '../support/auth-service';

describe('administration', () => {
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

  async function lockUser(
    institution: TestInstitution,
    user: { id: string; username: string; password: string; codes: { wrongCode(): string } },
  ): Promise<void> {
    const threshold = (
      await service.http
        .get('/api/v1/admin/secure-token')
        .set(bearer(institution.admin.sessionToken))
        .expect(200)
    ).body.lockoutThreshold as number;
    for (const challengeToken of await openChallenges(service, user, threshold)) {
      await stepUp(service, {
        challengeToken,
        securityCode: user.codes.wrongCode(),
        pin: TEST_PIN,
      });
    }
    expect((await readSettings(service, institution, user.id)).userAuthenticationStatus).toBe(
      'LOCKED',
    );
  }

  it('enabling secure tokens before provisioning gives 409', async () => {
    const institution = await createInstitution(service, { secureToken: 'off' });
    const admin = bearer(institution.admin.sessionToken);

    const early = await service.http
      .put('/api/v1/admin/secure-token')
      .set(admin)
      .send({ enabled: true });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('SECURE_TOKEN_NOT_PROVISIONED');
    expect(early.body.message).toMatch(/support case/);
    const before = await service.http.get('/api/v1/admin/secure-token').set(admin).expect(200);
    expect(before.body).toEqual({
      provisioned: false,
      provisionedAt: null,
      supportCaseReference: null,
      enabled: false,
      lockoutThreshold: 3,
    });

    await service.http
      .post(`/api/v1/operator/institutions/${institution.id}/secure-token/provision`)
      .set('x-operator-key', TEST_OPERATOR_KEY)
      .send({ supportCaseReference: 'CASE-42' })
      .expect(201);
    const again = await service.http
      .post(`/api/v1/operator/institutions/${institution.id}/secure-token/provision`)
      .set('x-operator-key', TEST_OPERATOR_KEY)
      .send({ supportCaseReference: 'CASE-43' });
    expect(again.status).toBe(409);
    const enabled = await service.http
      .put('/api/v1/admin/secure-token')
      .set(admin)
      .send({ enabled: true, lockoutThreshold: 5 })
      .expect(200);
    expect(enabled.body).toMatchObject({
      provisioned: true,
      supportCaseReference: 'CASE-42',
      enabled: true,
      lockoutThreshold: 5,
    });
  });

  it('operator and admin routes need their credentials', async () => {
    const institution = await createInstitution(service);
    const user = await createUser(service, institution);
    await service.http
      .put('/api/v1/admin/secure-token')
      .set(bearer(institution.admin.sessionToken))
      .send({ enabled: false })
      .expect(200);
    const userSession = (await login(service, user)).sessionToken as string;

    const noKey = await service.http.get('/api/v1/operator/institutions');
    expect(noKey.status).toBe(401);
    expect(noKey.body.code).toBe('INVALID_OPERATOR_KEY');
    const wrongKey = await service.http
      .get('/api/v1/operator/institutions')
      .set('x-operator-key', `${TEST_OPERATOR_KEY}x`);
    expect(wrongKey.status).toBe(401);
    const asUser = await service.http.get('/api/v1/admin/users').set(bearer(userSession));
    expect(asUser.status).toBe(403);
    expect(asUser.body.code).toBe('FORBIDDEN');
  });

  it('tenant isolation: other institution users are 404', async () => {
    const institutionA = await createInstitution(service);
    const institutionB = await createInstitution(service);
    const userB = await createRegisteredUser(service, simulator, institutionB);
    const adminA = bearer(institutionA.admin.sessionToken);
    const routes: Array<[method: 'get' | 'post', path: string, body?: object]> = [
      ['get', `/api/v1/admin/users/${userB.id}/authentication-settings`],
      ['post', `/api/v1/admin/users/${userB.id}/unlock`, {}],
      ['post', `/api/v1/admin/users/${userB.id}/unlock`, { resetRegistration: true }],
      ['post', `/api/v1/admin/users/${userB.id}/reset-credential`],
      ['get', `/api/v1/admin/audit-events?userId=${userB.id}`],
      ['get', `/api/v1/admin/users/${institutionB.admin.id}/authentication-settings`],
    ];

    for (const [method, path, body] of routes) {
      const call = service.http[method](path).set(adminA);
      const response = await (body ? call.send(body) : call);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.body.code).toBe('USER_NOT_FOUND');
    }

    const listA = await service.http.get('/api/v1/admin/users').set(adminA).expect(200);
    expect(listA.body.map((user: { id: string }) => user.id)).not.toContain(userB.id);
    const eventsA = await readAuditEvents(service, institutionA);
    expect(eventsA.some((event) => event.targetUserId === userB.id)).toBe(false);
    const settingsB = await readSettings(service, institutionB, userB.id);
    expect(settingsB.userAuthenticationStatus).toBe('REGISTERED');
    const stillWorks = await stepUp(service, {
      challengeToken: await loginForChallenge(service, userB),
      securityCode: await userB.codes.nextCode(),
      pin: TEST_PIN,
    });
    expect(stillWorks.status).toBe(200);
  });

  it('admin actions audited with admin as actor', async () => {
    const institution = await createInstitution(service, { secureToken: 'provisioned' });
    const admin = bearer(institution.admin.sessionToken);
    await service.http
      .put('/api/v1/admin/secure-token')
      .set(admin)
      .send({ enabled: true, lockoutThreshold: 4 })
      .expect(200);
    const user = await createRegisteredUser(service, simulator, institution);
    await lockUser(institution, user);
    await unlockUser(service, institution, user.id);
    await service.http
      .post(`/api/v1/admin/users/${user.id}/reset-credential`)
      .set(admin)
      .expect(200);
    await service.http
      .put('/api/v1/admin/secure-token')
      .set(admin)
      .send({ enabled: false })
      .expect(200);

    const events = await readAuditEvents(service, institution);
    const byAdmin = events.filter((event) => event.actorUserId === institution.admin.id);
    const types = byAdmin.map((event) => event.type).sort();
    expect(types).toEqual(
      [
        'CREDENTIAL_RESET',
        'LOCKOUT_THRESHOLD_CHANGED',
        'LOGIN_SUCCEEDED',
        'SECURE_TOKEN_DISABLED',
        'SECURE_TOKEN_ENABLED',
        'USER_CREATED',
        'USER_UNLOCKED',
      ].sort(),
    );
    for (const event of byAdmin) {
      expect(event.actorType).toBe('USER');
    }
    for (const type of ['USER_CREATED', 'USER_UNLOCKED', 'CREDENTIAL_RESET']) {
      expect(byAdmin.find((event) => event.type === type)?.targetUserId).toBe(user.id);
    }
    const operatorEvents = events.filter((event) => event.actorType === 'OPERATOR');
    expect(operatorEvents.map((event) => event.type).sort()).toEqual([
      'INSTITUTION_CREATED',
      'SECURE_TOKEN_PROVISIONED',
      'USER_CREATED',
    ]);
  });

  it('reset credential unbinds and ends sessions', async () => {
    const institution = await createInstitution(service);
    const user = await createRegisteredUser(service, simulator, institution);
    const { vipUserId } = await readSettings(service, institution, user.id);
    await service.http.get('/api/v1/auth/me').set(bearer(user.sessionToken)).expect(200);
    const openChallenge = await loginForChallenge(service, user);

    const reset = await service.http
      .post(`/api/v1/admin/users/${user.id}/reset-credential`)
      .set(bearer(institution.admin.sessionToken))
      .expect(200);

    expect(reset.body).toMatchObject({
      userAuthenticationStatus: 'NOT_REGISTERED',
      credentialId: null,
      credentialState: null,
      failedAttempts: 0,
      lockedAt: null,
    });
    await service.http.get('/api/v1/auth/me').set(bearer(user.sessionToken)).expect(401);
    const withOpenChallenge = await stepUp(service, {
      challengeToken: openChallenge,
      securityCode: user.codes.wrongCode(),
      pin: TEST_PIN,
    });
    expect(withOpenChallenge.status).toBe(401);
    expect(withOpenChallenge.body.code).toBe('INVALID_CHALLENGE');
    const vipUser = await simulator.send<VipReply<VipUserInfo>>(VipPattern.GetUser, { vipUserId });
    expect(vipUser.ok).toBe(true);
    expect(vipUser.ok ? vipUser.reply.data.credentials : undefined).toEqual([]);
    expect((await login(service, user)).status).toBe('TOKEN_REGISTRATION_REQUIRED');
    const registeredAgain = await service.http.post('/api/v1/auth/register').send({
      challengeToken: await loginForChallenge(service, user),
      credentialId: user.codes.credentialId,
      securityCode: await user.codes.nextCode(),
      pin: '1111',
    });
    expect(registeredAgain.status).toBe(200);
  });

  it('unlock clears lock, optionally registration', async () => {
    const institution = await createInstitution(service);
    const user = await createRegisteredUser(service, simulator, institution);
    const other = await createRegisteredUser(service, simulator, institution);
    await lockUser(institution, user);
    await lockUser(institution, other);

    await unlockUser(service, institution, user.id);
    const unlocked = await readSettings(service, institution, user.id);
    expect(unlocked.userAuthenticationStatus).toBe('REGISTERED');
    expect(unlocked.failedAttempts).toBe(0);
    expect(unlocked.lockedAt).toBeNull();
    const stepped = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });
    expect(stepped.status).toBe(200);

    await unlockUser(service, institution, other.id, true);
    const reset = await readSettings(service, institution, other.id);
    expect(reset.userAuthenticationStatus).toBe('NOT_REGISTERED');
    expect((await login(service, other)).status).toBe('TOKEN_REGISTRATION_REQUIRED');
  });

  it('the FI user list shows each authentication status', async () => {
    const institution = await createInstitution(service);
    const fresh = await createUser(service, institution);
    const registered = await createRegisteredUser(service, simulator, institution);
    const locked = await createRegisteredUser(service, simulator, institution);
    await lockUser(institution, locked);

    const list = await service.http
      .get('/api/v1/admin/users')
      .set(bearer(institution.admin.sessionToken))
      .expect(200);
    const statuses = Object.fromEntries(
      list.body.map((user: { id: string; authenticationStatus: string }) => [
        user.id,
        user.authenticationStatus,
      ]),
    );

    expect(statuses[fresh.id]).toBe('NOT_REGISTERED');
    expect(statuses[registered.id]).toBe('REGISTERED');
    expect(statuses[locked.id]).toBe('LOCKED');
    expect(statuses[institution.admin.id]).toBe('NOT_REGISTERED');
  });

  it('authentication settings show live credential state', async () => {
    const institution = await createInstitution(service);
    const user = await createRegisteredUser(service, simulator, institution);

    const settings = await readSettings(service, institution, user.id);

    expect(settings).toMatchObject({
      userId: user.id,
      username: user.username,
      userAuthenticationStatus: 'REGISTERED',
      credentialState: 'ENABLED',
      credentialId: user.codes.credentialId,
      failedAttempts: 0,
      lockedAt: null,
    });
    expect(settings.vipUserId).toMatch(/^tm-[0-9a-f-]{36}$/);
  });

  it('the VIP Manager route returns the configured URL', async () => {
    const institution = await createInstitution(service);

    const response = await service.http
      .get('/api/v1/admin/vip-manager')
      .set(bearer(institution.admin.sessionToken))
      .expect(200);

    expect(response.body).toEqual({ url: 'http://127.0.0.1:7101/manager' });
  });

  it('disabled secure tokens skip the code', async () => {
    const institution = await createInstitution(service);
    const user = await createRegisteredUser(service, simulator, institution);
    await service.http
      .put('/api/v1/admin/secure-token')
      .set(bearer(institution.admin.sessionToken))
      .send({ enabled: false })
      .expect(200);

    const body = await login(service, user);

    expect(body.status).toBe('AUTHENTICATED');
    expect(body.sessionToken).toBeDefined();
  });

  it('audit events paginate by keyset without gaps or repeats', async () => {
    const institution = await createInstitution(service);
    for (let index = 0; index < 7; index += 1) {
      await createUser(service, institution);
    }
    const all = await readAuditEvents(service, institution, { type: 'USER_CREATED' });
    expect(all).toHaveLength(8);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response: Response = await service.http
        .get('/api/v1/admin/audit-events')
        .set(bearer(institution.admin.sessionToken))
        .query({ type: 'USER_CREATED', limit: 3, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...response.body.items.map((event: { id: string }) => event.id));
      cursor = response.body.nextCursor;
      pages += 1;
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toEqual(all.map((event) => event.id));
    const times = all.map((event) => Date.parse(event.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const middle = all[4].occurredAt;
    const fromMiddle = await service.http
      .get('/api/v1/admin/audit-events')
      .set(bearer(institution.admin.sessionToken))
      .query({ type: 'USER_CREATED', from: middle })
      .expect(200);
    expect(fromMiddle.body.items.length).toBeGreaterThanOrEqual(5);
    const invalid = await service.http
      .get('/api/v1/admin/audit-events')
      .set(bearer(institution.admin.sessionToken))
      .query({ cursor: 'bm90LWEtY3Vyc29y' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('INVALID_CURSOR');
    const badLimit = await service.http
      .get('/api/v1/admin/audit-events')
      .set(bearer(institution.admin.sessionToken))
      .query({ limit: 0 });
    expect(badLimit.status).toBe(400);
  });

  it('audit events are append-only', async () => {
    const database = new Client({ connectionString: service.databaseUrl });
    await database.connect();
    try {
      const statements = [
        `UPDATE auth.audit_events SET reason = 'TAMPERED'`,
        'DELETE FROM auth.audit_events',
        'TRUNCATE auth.audit_events',
      ];
      for (const statement of statements) {
        await expect(database.query(statement)).rejects.toThrow(/append-only/);
      }
      const count = await database.query('SELECT count(*)::int AS n FROM auth.audit_events');
      expect(count.rows[0].n).toBeGreaterThan(0);
    } finally {
      await database.end();
    }
  });

  it('creating a user with a taken username gives 409', async () => {
    const institution = await createInstitution(service);
    const user = await createUser(service, institution);

    const duplicate = await service.http
      .post('/api/v1/admin/users')
      .set(bearer(institution.admin.sessionToken))
      .send({ username: user.username.toUpperCase(), password: TEST_PASSWORD, role: 'USER' });

    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('USERNAME_TAKEN');
  });
});
