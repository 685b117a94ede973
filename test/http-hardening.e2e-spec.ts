import request from 'supertest';

import { buildAuthOpenApiDocument } from '../apps/auth-service/src/openapi';
import { buildSimulatorOpenApiDocument } from '../apps/vip-simulator/src/openapi';
import { TcpProxy } from './support/tcp-proxy';
import { TestSimulator, startTestSimulator } from './support/vip-simulator';
import {
  TEST_PIN,
  TestAuthService,
  TestInstitution,
  createInstitution,
  createRegisteredUser,
  loginForChallenge,
  startTestAuthService,
} from './support/auth-service';

/** A JSON body just over the 64 kB limit. */
const OVERSIZED_BODY = JSON.stringify({ username: 'x'.repeat(64 * 1024), password: 'p' });

describe('HTTP hardening of both services', () => {
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

  const apps = [
    { name: 'auth service', url: () => service.httpUrl, probe: '/api/v1/auth/login' },
    { name: 'simulator', url: () => simulator.httpUrl, probe: '/api/v1/credentials' },
  ];

  describe.each(apps)('$name', ({ url, probe }) => {
    it('sends helmet security headers', async () => {
      const response = await request(url()).get('/health/live').expect(200);

      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['strict-transport-security']).toContain('max-age=');
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('allows no cross-origin request', async () => {
      const preflight = await request(url())
        .options(probe)
        .set('origin', 'https://attacker.example')
        .set('access-control-request-method', 'POST');
      const simple = await request(url())
        .post(probe)
        .set('origin', 'https://attacker.example')
        .send({});

      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      expect(simple.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('rejects a body over 64 kB with 413', async () => {
      const response = await request(url())
        .post(probe)
        .set('content-type', 'application/json')
        .send(OVERSIZED_BODY);

      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'request body is larger than the 64 kB limit',
        requestId: response.headers['x-request-id'],
      });
    });

    it.each([
      ['application/x-www-form-urlencoded', 'type=MOBILE'],
      ['text/plain', '{"type":"MOBILE"}'],
      ['multipart/form-data; boundary=x', '--x--'],
    ])('rejects a %s body with 415', async (contentType, body) => {
      const response = await request(url()).post(probe).set('content-type', contentType).send(body);

      expect(response.status).toBe(415);
      expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(response.body.message).toContain('application/json');
      expect(response.body.requestId).toBe(response.headers['x-request-id']);
    });

    it.each([
      {
        headers: { 'content-type': 'application/json; charset=latin1' },
        body: '{"type":"MOBILE"}',
        status: 415,
        message: 'request body charset "latin1" is not supported; send UTF-8',
      },
      {
        headers: { 'content-type': 'application/json', 'content-encoding': 'bogus' },
        body: '{"type":"MOBILE"}',
        status: 415,
        message:
          'request body content-encoding is not supported; send it uncompressed, or as gzip, deflate or br',
      },
      {
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: 'not gzip at all',
        status: 400,
        message: 'request body could not be decompressed with its content-encoding',
      },
    ])('rejects an unreadable body with $status', async ({ headers, body, status, message }) => {
      const response = await request(url()).post(probe).set(headers).send(body);

      expect(response.status).toBe(status);
      expect(response.body.message).toBe(message);
      expect(response.body.requestId).toBe(response.headers['x-request-id']);
    });

    it('rejects a NUL character in a body field', async () => {
      const response = await request(url())
        .post(probe)
        .set('content-type', 'application/json')
        .send('{"nested":{"name":"a\\u0000b"}}');

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.message).toBe('nested.name must not contain a NUL character (\\u0000)');
    });

    it('serves Prometheus metrics', async () => {
      await request(url()).get('/health/live').expect(200);
      const response = await request(url()).get('/metrics').expect(200);

      expect(response.headers['content-type']).toContain('text/plain');
      expect(response.text).toMatch(
        /http_request_duration_seconds_count\{[^}]*route="\/health\/live"[^}]*status_code="200"/,
      );
      expect(response.text).toContain('process_cpu_user_seconds_total');
    });
  });

  it('too many form fields get 413', async () => {
    const response = await request(simulator.httpUrl)
      .post('/manager/users/someone/temporary-code')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('&'.repeat(5000));

    expect(response.status).toBe(413);
    expect(response.body.message).toBe(
      'request body has more form parameters than the limit of 1000',
    );
  });

  it('auth service serves the committed OpenAPI document', async () => {
    const served = await service.http.get('/docs-json').expect(200);

    expect(served.body).toEqual(await buildAuthOpenApiDocument());
  });

  it('simulator serves the committed OpenAPI document', async () => {
    const served = await request(simulator.httpUrl).get('/docs-json').expect(200);

    expect(served.body).toEqual(await buildSimulatorOpenApiDocument());
  });

  it('auth metrics count logins, step-ups and VIP calls', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    const challengeToken = await loginForChallenge(service, user);
    await service.http
      .post('/api/v1/auth/step-up')
      .send({ challengeToken, securityCode: user.codes.wrongCode(), pin: TEST_PIN })
      .expect(401);
    await service.http
      .post('/api/v1/auth/login')
      .send({ username: 'nobody.here', password: 'wrong-password' })
      .expect(401);

    const metrics = (await service.http.get('/metrics').expect(200)).text;

    expect(metrics).toMatch(/auth_login_attempts_total\{outcome="TOKEN_REQUIRED"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/auth_login_attempts_total\{outcome="UNKNOWN_USER"[^}]*\} [1-9]/);
    expect(metrics).toMatch(
      /auth_second_factor_attempts_total\{step="REGISTRATION",outcome="AUTHENTICATED",reason="NONE"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /auth_second_factor_attempts_total\{step="STEP_UP",outcome="FAILED",reason="INVALID_CODE"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /auth_vip_request_duration_seconds_count\{[^}]*pattern="vip.user.authenticate",status="6009"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*method="POST",route="\/api\/v1\/auth\/login",status_code="200"/,
    );
  });

  it('simulator metrics count validations and TCP requests', async () => {
    const metrics = (await request(simulator.httpUrl).get('/metrics').expect(200)).text;

    expect(metrics).toMatch(/vip_validations_total\{[^}]*outcome="[A-Z_]+"[^}]*\} [1-9]/);
    expect(metrics).toMatch(
      /vip_tcp_request_duration_seconds_count\{[^}]*pattern="vip.user.authenticate",status="6009"[^}]*\} [1-9]/,
    );
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight request, then stops', async () => {
    const simulator = await startTestSimulator();
    const proxy = await TcpProxy.start(simulator.tcpPort);
    const service = await startTestAuthService({
      simulator: { tcpPort: proxy.port },
      settings: { VIP_TIMEOUT_MS: '5000' },
    });
    let stopped = false;
    try {
      const institution = await createInstitution(service);
      const user = await createRegisteredUser(service, simulator, institution);
      const challengeToken = await loginForChallenge(service, user);
      const securityCode = await user.codes.nextCode();
      proxy.mode = { kind: 'delay', ms: 800 };

      const inFlight = service.http
        .post('/api/v1/auth/step-up')
        .send({ challengeToken, securityCode, pin: TEST_PIN });
      const responsePromise = inFlight.then((response) => response);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const closedAt = Date.now();
      const closing = service.handle.close().then(() => Date.now());

      const response = await responsePromise;
      const closeFinishedAt = await closing;
      stopped = true;

      expect(response.status).toBe(200);
      expect(response.body.status).toBe('AUTHENTICATED');
      expect(closeFinishedAt - closedAt).toBeLessThan(4000);
      await expect(request(service.httpUrl).get('/health/live')).rejects.toThrow();
    } finally {
      if (!stopped) {
        await service.handle.close();
      }
      await proxy.stop();
      await simulator.stop();
    }
  });
});
