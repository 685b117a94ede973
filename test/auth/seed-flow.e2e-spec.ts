import { Client } from 'pg';

import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  TEST_OPERATOR_KEY,
  TEST_PASSWORD,
  TEST_SERVICE_KEY,
  TestAuthService,
  bearer,
  createInstitution,
  provisionCredential,
  startTestAuthService,
} from '../support/auth-service';

describe('seed flow', () => {
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

  function post(path: string, body: object, headers: Record<string, string> = {}) {
    return service.http.post(`/api/v1${path}`).set(headers).send(body);
  }

  function introspect(token: string) {
    return post('/auth/introspect', { token }, { 'x-service-key': TEST_SERVICE_KEY });
  }

  it('seed flow from provisioning to last login', async () => {
    const operator = { 'x-operator-key': TEST_OPERATOR_KEY };
    const created = await post(
      '/operator/institutions',
      { name: 'Seed Bank', adminUsername: 'Seed.Admin', adminPassword: TEST_PASSWORD },
      operator,
    ).expect(201);
    expect(created.body.institution.secureToken).toMatchObject({
      provisioned: false,
      enabled: false,
    });
    expect(created.body.admin).toMatchObject({ username: 'seed.admin', role: 'ADMIN' });

    const adminLogin = await post('/auth/login', {
      username: 'seed.admin',
      password: TEST_PASSWORD,
    }).expect(200);
    expect(adminLogin.body.status).toBe('AUTHENTICATED');
    const admin = bearer(adminLogin.body.sessionToken);

    const rejected = await service.http
      .put('/api/v1/admin/secure-token')
      .set(admin)
      .send({ enabled: true });
    expect(rejected.status).toBe(409);
    await post(
      `/operator/institutions/${created.body.institution.id}/secure-token/provision`,
      { supportCaseReference: 'CASE-SEED-1' },
      operator,
    ).expect(201);
    await service.http
      .put('/api/v1/admin/secure-token')
      .set(admin)
      .send({ enabled: true })
      .expect(200);
    const user = await post(
      '/admin/users',
      { username: 'alice.seed', password: TEST_PASSWORD, role: 'USER' },
      admin,
    ).expect(201);
    expect(user.body.authenticationStatus).toBe('NOT_REGISTERED');

    const firstLogin = await post('/auth/login', {
      username: 'alice.seed',
      password: TEST_PASSWORD,
    }).expect(200);
    expect(firstLogin.body.status).toBe('TOKEN_REGISTRATION_REQUIRED');
    expect(firstLogin.body.sessionToken).toBeUndefined();
    const codes = await provisionCredential(simulator);
    const registered = await post('/auth/register', {
      challengeToken: firstLogin.body.challengeToken,
      credentialId: codes.credentialId,
      securityCode: await codes.nextCode(),
      pin: '0427',
    }).expect(200);
    expect(registered.body.status).toBe('AUTHENTICATED');

    const registeredSession = bearer(registered.body.sessionToken);
    await post('/auth/logout', {}, registeredSession).expect(204);
    await service.http.get('/api/v1/auth/me').set(registeredSession).expect(401);
    expect((await introspect(registered.body.sessionToken)).body).toEqual({ active: false });

    const wrongLogin = await post('/auth/login', {
      username: 'alice.seed',
      password: TEST_PASSWORD,
    }).expect(200);
    await post('/auth/step-up', {
      challengeToken: wrongLogin.body.challengeToken,
      securityCode: codes.wrongCode(),
      pin: '0427',
    }).expect(401);
    const secondLogin = await post('/auth/login', {
      username: 'alice.seed',
      password: TEST_PASSWORD,
    }).expect(200);
    expect(secondLogin.body.status).toBe('TOKEN_REQUIRED');
    const steppedUp = await post('/auth/step-up', {
      challengeToken: secondLogin.body.challengeToken,
      securityCode: await codes.nextCode(),
      pin: '0427',
    }).expect(200);

    const me = await service.http
      .get('/api/v1/auth/me')
      .set(bearer(steppedUp.body.sessionToken))
      .expect(200);
    expect(me.body.user).toMatchObject({
      id: user.body.id,
      username: 'alice.seed',
      authenticationStatus: 'REGISTERED',
    });
    expect(me.body.previousLogin).not.toBeNull();
    expect(me.body.previousLogin.ip).toMatch(/127\.0\.0\.1/);
    expect(me.body.failedAttemptsSinceLastLogin).toHaveLength(1);
    expect(me.body.failedAttemptsSinceLastLogin[0]).toMatchObject({ reason: 'INVALID_CODE' });

    const active = await introspect(steppedUp.body.sessionToken).expect(200);
    expect(active.body).toEqual({
      active: true,
      userId: user.body.id,
      institutionId: created.body.institution.id,
      role: 'USER',
      expiresAt: steppedUp.body.expiresAt,
    });
  });

  it('unknown user and wrong password look alike', async () => {
    const { admin } = await createInstitution(service, { secureToken: 'off' });

    const unknown = await post('/auth/login', { username: 'nobody', password: TEST_PASSWORD });
    const wrong = await post('/auth/login', { username: admin.username, password: 'wrong-pass' });

    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect({ ...unknown.body, requestId: null }).toEqual({ ...wrong.body, requestId: null });
  });

  it('login rehashes passwords to the configured cost', async () => {
    const { admin } = await createInstitution(service, { secureToken: 'off' });
    const slower = await startTestAuthService({
      simulator,
      databaseUrl: service.databaseUrl,
      settings: { BCRYPT_COST: '10' },
    });
    const database = new Client({ connectionString: service.databaseUrl });
    await database.connect();
    try {
      const storedHash = async () =>
        (
          await database.query<{ password_hash: string }>(
            'SELECT password_hash FROM auth.users WHERE username = $1',
            [admin.username],
          )
        ).rows[0].password_hash;
      expect(await storedHash()).toMatch(/^\$2b\$04\$/);

      await slower.http
        .post('/api/v1/auth/login')
        .send({ username: admin.username, password: TEST_PASSWORD })
        .expect(200);

      expect(await storedHash()).toMatch(/^\$2b\$10\$/);
    } finally {
      await database.end();
      await slower.stop();
    }
  });

  it('unknown user and wrong password take similar time', async () => {
    const { admin } = await createInstitution(service, { secureToken: 'off' });
    const slower = await startTestAuthService({
      simulator,
      databaseUrl: service.databaseUrl,
      settings: { BCRYPT_COST: '10' },
    });
    const timeLogin = async (username: string): Promise<number> => {
      const started = process.hrtime.bigint();
      await slower.http
        .post('/api/v1/auth/login')
        .send({ username, password: 'wrong-password' })
        .expect(401);

      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[2];
    try {
      // A correct login rehashes the stored password at cost 10, and the first
      // unknown-user login makes the dummy hash; neither is measured.
      await slower.http
        .post('/api/v1/auth/login')
        .send({ username: admin.username, password: TEST_PASSWORD })
        .expect(200);
      await timeLogin('nobody.at.all');
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        unknown.push(await timeLogin('nobody.at.all'));
        wrong.push(await timeLogin(admin.username));
      }

      // At cost 10 one bcrypt comparison takes tens of milliseconds, far above
      // the noise of a local request, so the medians must be close.
      const ratio = median(unknown) / median(wrong);
      expect(ratio).toBeGreaterThan(0.6);
      expect(ratio).toBeLessThan(1.6);
    } finally {
      await slower.stop();
    }
  });

  it('introspection needs key, tolerates odd tokens', async () => {
    const noKey = await post('/auth/introspect', { token: 'x' });
    expect(noKey.status).toBe(401);
    expect(noKey.body.code).toBe('INVALID_SERVICE_KEY');

    for (const token of ['', 'x', 'not a token at all', 'é'.repeat(200)]) {
      const response = await introspect(token);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ active: false });
    }
  });

  it('health routes report the database and the simulator', async () => {
    await service.http.get('/health/live').expect(200);
    const ready = await service.http.get('/health/ready').expect(200);

    expect(ready.body.info).toMatchObject({ database: { status: 'up' }, vip: { status: 'up' } });
  });

  it('serves Prometheus metrics outside the API prefix', async () => {
    const metrics = await service.http.get('/metrics').expect(200);

    expect(metrics.text).toMatch(/http_request_duration_seconds/);
  });

  it('serves the OpenAPI document at /docs', async () => {
    const document = await service.http.get('/docs-json').expect(200);

    expect(Object.keys(document.body.paths)).toContain('/api/v1/auth/step-up');
  });
});
