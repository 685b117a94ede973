import { randomInt } from 'node:crypto';

import * as OTPAuth from 'otpauth';

import { VipPattern } from '@app/contract';

import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  CodeSource,
  TEST_OPERATOR_KEY,
  TEST_PASSWORD,
  TEST_PIN,
  TEST_SERVICE_KEY,
  TestAuthService,
  TestInstitution,
  bearer,
  createInstitution,
  createRegisteredUser,
  createUser,
  loginForChallenge,
  readSettings,
  startTestAuthService,
  stepUp,
} from '../support/auth-service';

const FIELDS_AN_ATTACKER_ADDS = {
  mfaVerified: true,
  skipMfa: true,
  failedAttempts: 0,
  locked: false,
  role: 'ADMIN',
};

/** Serialises a body with one more key written literally, such as __proto__. */
function withRawKey(body: object, key: string): string {
  return `${JSON.stringify(body).slice(0, -1)},"${key}":{"role":"ADMIN","mfaVerified":true}}`;
}

describe('request validation', () => {
  let simulator: TestSimulator;
  let service: TestAuthService;
  let institution: TestInstitution;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    service = await startTestAuthService({ simulator });
    institution = await createInstitution(service);
  });

  afterAll(async () => {
    await service?.stop();
    await simulator?.stop();
  });

  it('mass-assignment: extra fields and odd bodies rejected', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    const admin = bearer(institution.admin.sessionToken);
    const operator = { 'x-operator-key': TEST_OPERATOR_KEY };
    const challengeToken = await loginForChallenge(service, user);
    const cases: Array<{ path: string; method: 'post' | 'put'; headers: object; body: object }> = [
      {
        path: '/api/v1/auth/login',
        method: 'post',
        headers: {},
        body: { username: user.username, password: user.password },
      },
      {
        path: '/api/v1/auth/step-up',
        method: 'post',
        headers: {},
        body: { challengeToken, securityCode: '123456', pin: TEST_PIN },
      },
      {
        path: '/api/v1/auth/register',
        method: 'post',
        headers: {},
        body: {
          challengeToken,
          credentialId: 'SYMC12345678',
          securityCode: '123456',
          pin: TEST_PIN,
        },
      },
      {
        path: '/api/v1/auth/introspect',
        method: 'post',
        headers: { 'x-service-key': TEST_SERVICE_KEY },
        body: { token: user.sessionToken },
      },
      {
        path: '/api/v1/admin/users',
        method: 'post',
        headers: admin,
        body: { username: 'mass.assign', password: TEST_PASSWORD, role: 'USER' },
      },
      {
        path: '/api/v1/admin/secure-token',
        method: 'put',
        headers: admin,
        body: { enabled: true },
      },
      { path: `/api/v1/admin/users/${user.id}/unlock`, method: 'post', headers: admin, body: {} },
      {
        path: '/api/v1/operator/institutions',
        method: 'post',
        headers: operator,
        body: { name: 'Mass Bank', adminUsername: 'mass.admin', adminPassword: TEST_PASSWORD },
      },
      {
        path: `/api/v1/operator/institutions/${institution.id}/secure-token/provision`,
        method: 'post',
        headers: operator,
        body: { supportCaseReference: 'CASE-1' },
      },
    ];

    for (const { path, method, headers, body } of cases) {
      const payloads = [
        JSON.stringify({ ...body, ...FIELDS_AN_ATTACKER_ADDS }),
        ...Object.entries(FIELDS_AN_ATTACKER_ADDS)
          .filter(([key]) => !(key in body))
          .map(([key, value]) => JSON.stringify({ ...body, [key]: value })),
        withRawKey(body, '__proto__'),
        withRawKey(body, 'constructor'),
        '[]',
        'null',
        '"a bare string"',
        '{"unterminated": ',
      ];
      for (const payload of payloads) {
        const response = await service.http[method](path)
          .set(headers as Record<string, string>)
          .set('content-type', 'application/json')
          .send(payload);
        expect({ path, payload, status: response.status }).toEqual({ path, payload, status: 400 });
        expect(response.body.code).toBe('VALIDATION_FAILED');
      }
    }

    const users = await service.http.get('/api/v1/admin/users').set(admin).expect(200);
    expect(users.body.map((u: { username: string }) => u.username)).not.toContain('mass.assign');
    const settings = await readSettings(service, institution, user.id);
    expect(settings.failedAttempts).toBe(0);
    expect(settings.userAuthenticationStatus).toBe('REGISTERED');
    const institutions = await service.http
      .get('/api/v1/operator/institutions')
      .set(operator)
      .expect(200);
    expect(institutions.body.items.map((i: { name: string }) => i.name)).not.toContain('Mass Bank');
  });

  it('code-format: malformed codes and PINs rejected', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    const challengeToken = await loginForChallenge(service, user);
    const badCodes: unknown[] = [
      '123456abc',
      '1',
      '',
      ' 123456',
      '１２３４５６',
      '1e5',
      '12345.6',
      '1234567',
      123456,
      null,
    ];
    const badPins: unknown[] = ['12a4', '12345', '123', 1234, '１２３４'];

    for (const securityCode of badCodes) {
      const atStepUp = await service.http
        .post('/api/v1/auth/step-up')
        .send({ challengeToken, securityCode, pin: TEST_PIN });
      expect({ securityCode, status: atStepUp.status }).toEqual({ securityCode, status: 400 });
      expect(atStepUp.body.message).toMatch(/securityCode/);

      const atRegister = await service.http
        .post('/api/v1/auth/register')
        .send({ challengeToken, credentialId: 'SYMC12345678', securityCode, pin: TEST_PIN });
      expect({ securityCode, status: atRegister.status }).toEqual({ securityCode, status: 400 });
      expect(atRegister.body.message).toMatch(/securityCode/);
    }
    for (const pin of badPins) {
      const response = await service.http
        .post('/api/v1/auth/step-up')
        .send({ challengeToken, securityCode: '123456', pin });
      expect({ pin, status: response.status }).toEqual({ pin, status: 400 });
      expect(response.body.message).toMatch(/pin/);
    }

    const settings = await readSettings(service, institution, user.id);
    expect(settings.failedAttempts).toBe(0);
    const stillValid = await stepUp(service, {
      challengeToken,
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });
    expect(stillValid.status).toBe(200);
  });

  it('leading-zeros: zero-led code and PIN accepted', async () => {
    // Search for a secret whose codes for this step and the next two all start
    // with 0, so the test does not depend on when it runs.
    const now = CodeSource.currentStep();
    let secret = '';
    let source: CodeSource | undefined;
    const credentialId = `VSMT${String(randomInt(10_000_000, 99_999_999))}`;
    while (!source) {
      secret = new OTPAuth.Secret({ size: 20 }).base32;
      const candidate = new CodeSource(credentialId, secret);
      if ([now, now + 1, now + 2].every((step) => candidate.codeAtStep(step).startsWith('0'))) {
        source = candidate;
      }
    }
    const imported = await simulator.send(VipPattern.ImportCredential, { credentialId, secret });
    expect(imported.ok).toBe(true);
    const user = await createUser(service, institution);

    const registered = await service.http.post('/api/v1/auth/register').send({
      challengeToken: await loginForChallenge(service, user),
      credentialId,
      securityCode: await source.nextCode(),
      pin: '0123',
    });
    expect(registered.status).toBe(200);
    const shortPin = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: '012345',
      pin: '123',
    });
    expect(shortPin.status).toBe(400);
    const shortCode = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: '12345',
      pin: '0123',
    });
    expect(shortCode.status).toBe(400);

    const code = await source.nextCode();
    expect(code.startsWith('0')).toBe(true);
    const steppedUp = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: code,
      pin: '0123',
    });
    expect(steppedUp.status).toBe(200);
  });

  it('bcrypt-limits: over 72 bytes or NUL rejected', async () => {
    const admin = bearer(institution.admin.sessionToken);
    const tooLong = ['a'.repeat(72) + 'X', '€'.repeat(24) + 'X', 'password-with\u0000nul'];
    for (const password of tooLong) {
      const response = await service.http
        .post('/api/v1/admin/users')
        .set(admin)
        .send({ username: `bcrypt.${randomInt(1e9)}`, password, role: 'USER' });
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/password/);
    }
    const operatorResponse = await service.http
      .post('/api/v1/operator/institutions')
      .set('x-operator-key', TEST_OPERATOR_KEY)
      .send({ name: 'Long Password Bank', adminUsername: 'long.admin', adminPassword: tooLong[0] });
    expect(operatorResponse.status).toBe(400);

    for (const [stored, attempt] of [
      ['a'.repeat(72), 'a'.repeat(72) + 'Y'],
      ['€'.repeat(24), '€'.repeat(24) + 'Y'],
    ]) {
      const username = `bcrypt.${randomInt(1e9)}`;
      await service.http
        .post('/api/v1/admin/users')
        .set(admin)
        .send({ username, password: stored, role: 'USER' })
        .expect(201);
      const longer = await service.http
        .post('/api/v1/auth/login')
        .send({ username, password: attempt });
      expect(longer.status).toBe(400);
      const withNul = await service.http
        .post('/api/v1/auth/login')
        .send({ username, password: `${stored.slice(0, 10)}\u0000` });
      expect(withNul.status).toBe(400);
      const exact = await service.http
        .post('/api/v1/auth/login')
        .send({ username, password: stored });
      expect(exact.status).toBe(200);
    }
  });

  it('new password under 12 characters rejected', async () => {
    const response = await service.http
      .post('/api/v1/admin/users')
      .set(bearer(institution.admin.sessionToken))
      .send({ username: 'short.pass', password: 'elevenchars', role: 'USER' });

    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/password must be at least 12 characters/);
  });

  it('institution names normalised and visible', async () => {
    const operator = { 'x-operator-key': TEST_OPERATOR_KEY };
    const create = (name: string, adminUsername: string) =>
      service.http
        .post('/api/v1/operator/institutions')
        .set(operator)
        .send({ name, adminUsername, adminPassword: TEST_PASSWORD });

    const composed = await create(' Caf\u00e9   Lookalike Bank ', 'cafe.admin.one');
    const decomposed = await create('Cafe\u0301 Lookalike Bank', 'cafe.admin.two');
    const hidden = await create('Cafe\u0301 Lookalike\u200B Bank', 'cafe.admin.three');
    const reversed = await create('Bank \u202Eknab', 'cafe.admin.four');

    expect(composed.status).toBe(201);
    expect(composed.body.institution.name).toBe('Caf\u00e9 Lookalike Bank');
    expect(decomposed.status).toBe(409);
    expect(decomposed.body.code).toBe('INSTITUTION_NAME_TAKEN');
    expect(hidden.status).toBe(400);
    expect(hidden.body.message).toBe(
      'name must not contain control, invisible or unassigned characters (such as U+200B or U+202E)',
    );
    expect(reversed.status).toBe(400);
  });

  it('usernames normalised and unique service-wide', async () => {
    const other = await createInstitution(service);
    const created = await service.http
      .post('/api/v1/admin/users')
      .set(bearer(institution.admin.sessionToken))
      .send({ username: '  Jane.Doe ', password: TEST_PASSWORD, role: 'USER' })
      .expect(201);
    expect(created.body.username).toBe('jane.doe');

    const login = await service.http
      .post('/api/v1/auth/login')
      .send({ username: ' JANE.DOE', password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    const duplicate = await service.http
      .post('/api/v1/admin/users')
      .set(bearer(other.admin.sessionToken))
      .send({ username: 'JANE.doe', password: TEST_PASSWORD, role: 'USER' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('USERNAME_TAKEN');
  });

  it('null threshold and string threshold get 400', async () => {
    const admin = bearer(institution.admin.sessionToken);
    const nullThreshold = await service.http
      .put('/api/v1/admin/secure-token')
      .set(admin)
      .send({ enabled: true, lockoutThreshold: null });
    const stringThreshold = await service.http
      .put('/api/v1/admin/secure-token')
      .set(admin)
      .send({ enabled: true, lockoutThreshold: '5' });

    expect(nullThreshold.status).toBe(400);
    expect(nullThreshold.body.code).toBe('VALIDATION_FAILED');
    expect(nullThreshold.body.message).toBe('lockoutThreshold must be an integer');
    expect(stringThreshold.status).toBe(400);
    expect(stringThreshold.body.message).toBe('lockoutThreshold must be an integer');
  });

  it('deeply nested body gets 400', async () => {
    const challengeToken = await loginForChallenge(
      service,
      await createRegisteredUser(service, simulator, institution),
    );
    const deepArrays = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const deepObjects = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const cases = [
      { path: '/api/v1/auth/login', body: `{"username":"x","password":"y","z":${deepArrays}}` },
      {
        path: '/api/v1/auth/step-up',
        body: `{"challengeToken":"${challengeToken}","z":${deepObjects}}`,
      },
    ];

    for (const { path, body } of cases) {
      const response = await service.http
        .post(path)
        .set('content-type', 'application/json')
        .send(body);

      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.message).toBe('z must not be nested more than 32 levels deep');
    }
  });

  it('lone surrogate gets 400', async () => {
    const login = await service.http
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"username":"\\ud800","password":"wrong-password-123"}');
    const created = await service.http
      .post('/api/v1/operator/institutions')
      .set('x-operator-key', TEST_OPERATOR_KEY)
      .set('content-type', 'application/json')
      .send(
        `{"name":"Bank \\udfff","adminUsername":"lone.admin","adminPassword":"${TEST_PASSWORD}"}`,
      );

    expect(login.status).toBe(400);
    expect(login.body.message).toBe(
      'username must be valid Unicode text (it contains an unpaired surrogate)',
    );
    expect(created.status).toBe(400);
    expect(created.body.message).toBe(
      'name must be valid Unicode text (it contains an unpaired surrogate)',
    );
  });

  it('NUL in a string field gets 400', async () => {
    const created = await service.http
      .post('/api/v1/operator/institutions')
      .set('x-operator-key', TEST_OPERATOR_KEY)
      .send({ name: 'Nul\u0000Bank', adminUsername: 'nul.admin', adminPassword: TEST_PASSWORD });
    const provisioned = await service.http
      .post(`/api/v1/operator/institutions/${institution.id}/secure-token/provision`)
      .set('x-operator-key', TEST_OPERATOR_KEY)
      .send({ supportCaseReference: 'CASE\u0000' });

    expect(created.status).toBe(400);
    expect(created.body.message).toBe('name must not contain a NUL character (\\u0000)');
    expect(provisioned.status).toBe(400);
    expect(provisioned.body.message).toBe(
      'supportCaseReference must not contain a NUL character (\\u0000)',
    );
  });

  it('week-date audit range gets 400', async () => {
    const admin = bearer(institution.admin.sessionToken);

    for (const query of [{ from: '2024-W01-1' }, { to: '20240101T101010Z' }]) {
      const response = await service.http.get('/api/v1/admin/audit-events').query(query).set(admin);
      const field = Object.keys(query)[0];

      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(response.body.message).toBe(
        `${field} must be an ISO 8601 date-time, such as 2026-12-04 or 2026-12-04T10:30:00Z`,
      );
    }
  });

  it('odd path and query values get 400', async () => {
    const admin = bearer(institution.admin.sessionToken);
    const nilUuid = await service.http
      .get('/api/v1/admin/users/00000000-0000-0000-0000-000000000000/authentication-settings')
      .set(admin);
    const exponentLimit = await service.http
      .get('/api/v1/admin/audit-events')
      .query({ limit: '1e1' })
      .set(admin);
    const reversedRange = await service.http
      .get('/api/v1/admin/audit-events')
      .query({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })
      .set(admin);
    const nullBody = await service.http
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('null');

    expect(nilUuid.status).toBe(400);
    expect(nilUuid.body.message).toBe('userId must be a UUID v4');
    expect(exponentLimit.status).toBe(400);
    expect(exponentLimit.body.message).toBe('limit must be an integer');
    expect(reversedRange.status).toBe(400);
    expect(reversedRange.body.message).toContain('must not be after');
    expect(nullBody.status).toBe(400);
    expect(nullBody.body.message).toBe('request body must be valid JSON (a JSON object)');
  });

  it('a body over 64 kB gets 413', async () => {
    const response = await service.http
      .post('/api/v1/auth/login')
      .send({ username: 'x', password: 'y', padding: 'z'.repeat(70 * 1024) });

    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('error body carries x-request-id', async () => {
    const response = await service.http
      .post('/api/v1/auth/login')
      .set('x-request-id', 'trace-123')
      .send({ username: 'nobody.here', password: TEST_PASSWORD });

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      code: 'INVALID_CREDENTIALS',
      message: 'The username or password is not valid',
      requestId: 'trace-123',
    });
    expect(response.headers['x-request-id']).toBe('trace-123');
  });
});
