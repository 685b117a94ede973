import { randomInt } from 'node:crypto';

import { CredentialType, ProvisionedCredential, VipPattern, VipReply } from '@app/contract';

import { LogCapture } from '../support/log-capture';
import { TEST_VIP_SECRET_KEY, TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  CodeSource,
  TEST_OPERATOR_KEY,
  TEST_PASSWORD,
  TEST_SERVICE_KEY,
  TestAuthService,
  createInstitution,
  createUser,
  loginForChallenge,
  startTestAuthService,
} from '../support/auth-service';

/** Matches a short digit secret that is not part of a longer word, number or UUID. */
function standalone(value: string): RegExp {
  return new RegExp(`(?<![0-9A-Za-z-])${value}(?![0-9A-Za-z-])`);
}

/** Returns a six-digit code that the credential does not accept around now. */
function wrongCode(codes: CodeSource): string {
  const now = Math.floor(Date.now() / 30_000);
  const valid = new Set([-2, -1, 0, 1, 2].map((offset) => codes.codeAtStep(now + offset)));
  for (;;) {
    const code = String(randomInt(100_000, 1_000_000));
    if (!valid.has(code)) {
      return code;
    }
  }
}

describe('logs of a full login, registration and lockout', () => {
  const capture = new LogCapture();
  let simulator: TestSimulator;
  let service: TestAuthService;

  beforeAll(async () => {
    simulator = await startTestSimulator({
      settings: { LOG_LEVEL: 'trace' },
      logDestination: capture,
    });
    service = await startTestAuthService({
      simulator,
      settings: { LOG_LEVEL: 'trace' },
      logDestination: capture,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await simulator?.stop();
  });

  it('contain no secret value', async () => {
    const longSecrets = [TEST_PASSWORD, TEST_OPERATOR_KEY, TEST_SERVICE_KEY, TEST_VIP_SECRET_KEY];
    const shortSecrets: string[] = [];
    const pin = '5831';
    shortSecrets.push(pin);

    const institution = await createInstitution(service, { lockoutThreshold: 2 });
    longSecrets.push(institution.admin.sessionToken);
    const provisioned = await simulator.send<VipReply<ProvisionedCredential>>(
      VipPattern.ProvisionCredential,
      { type: CredentialType.Mobile },
    );
    if (!provisioned.ok) {
      throw new Error(`Provisioning failed: ${JSON.stringify(provisioned.error)}`);
    }
    const { credentialId, secret, otpauthUri } = provisioned.reply.data;
    longSecrets.push(secret, otpauthUri);
    const codes = new CodeSource(credentialId, secret);

    // Registration: password, then credential, code and the new PIN.
    const user = await createUser(service, institution);
    const registrationChallenge = await loginForChallenge(service, user);
    longSecrets.push(registrationChallenge);
    const registrationCode = await codes.nextCode();
    shortSecrets.push(registrationCode);
    const registered = await service.http
      .post('/api/v1/auth/register')
      .send({
        challengeToken: registrationChallenge,
        credentialId,
        securityCode: registrationCode,
        pin,
      })
      .expect(200);
    longSecrets.push(registered.body.sessionToken);

    // Step-up with a request id that the simulator's log lines must carry too.
    const stepUpChallenge = await loginForChallenge(service, user);
    longSecrets.push(stepUpChallenge);
    const stepUpCode = await codes.nextCode();
    shortSecrets.push(stepUpCode);
    const steppedUp = await service.http
      .post('/api/v1/auth/step-up')
      .set('x-request-id', 'trace-step-up-1')
      .send({ challengeToken: stepUpChallenge, securityCode: stepUpCode, pin })
      .expect(200);
    longSecrets.push(steppedUp.body.sessionToken);
    await service.http
      .post('/api/v1/auth/introspect')
      .set('x-service-key', TEST_SERVICE_KEY)
      .send({ token: steppedUp.body.sessionToken })
      .expect(200);

    // Lockout: two wrong codes reach the threshold, then even a right one is refused.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const challengeToken = await loginForChallenge(service, user);
      longSecrets.push(challengeToken);
      const code = wrongCode(codes);
      shortSecrets.push(code);
      await service.http
        .post('/api/v1/auth/step-up')
        .send({ challengeToken, securityCode: code, pin })
        .expect(401);
    }
    const lockedLogin = await service.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password });
    expect(lockedLogin.body.code).toBe('USER_LOCKED');
    await service.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'wrong-password-value' })
      .expect(401);
    longSecrets.push('wrong-password-value');

    const text = capture.text;
    expect(capture.lines.length).toBeGreaterThan(20);
    for (const value of longSecrets) {
      expect({ leaked: text.includes(value) ? value : null }).toEqual({ leaked: null });
    }
    for (const value of shortSecrets) {
      expect({ leaked: standalone(value).test(text) ? value : null }).toEqual({ leaked: null });
    }
  });

  it('carry a request id on every request line', () => {
    const requestLines = capture.records().filter((record) => record.req !== undefined);

    expect(requestLines.length).toBeGreaterThan(0);
    for (const record of requestLines) {
      expect(record.requestId).toEqual(expect.any(String));
    }
  });

  it('hold no legacy route warning', () => {
    const warnings = capture.lines.filter((line) => line.includes('LegacyRouteConverter'));

    expect(warnings).toEqual([]);
  });

  it('follow one step-up across both services', () => {
    const traced = capture.records().filter((record) => record.requestId === 'trace-step-up-1');
    const tcpLines = traced.filter((record) => record.pattern === 'vip.user.authenticate');

    expect(traced.length).toBeGreaterThan(1);
    expect(tcpLines.length).toBeGreaterThan(0);
  });
});
