import { spawnSync } from 'node:child_process';

import Redis from 'ioredis';
import request from 'supertest';

import { findFreePort } from '@app/database';

import { RATE_LIMIT_KEY_PREFIX } from '../../apps/auth-service/src/rate-limit/rate-limit.module';
import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  TEST_PIN,
  TestAuthService,
  TestInstitution,
  createInstitution,
  createRegisteredUser,
  createUser,
  loginForChallenge,
  startTestAuthService,
  stepUp,
} from '../support/auth-service';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Checks, before the tests are defined, whether Redis replies to PING within one second. */
function redisAnswers(url: string): boolean {
  const script =
    "const R=require('ioredis');const r=new R(process.argv[1],{lazyConnect:true," +
    'connectTimeout:1000,maxRetriesPerRequest:0,retryStrategy:()=>null});' +
    "r.on('error',()=>{});r.connect().then(()=>r.ping()).then(()=>{r.disconnect();" +
    'process.exit(0)},()=>process.exit(1));';
  const result = spawnSync(process.execPath, ['-e', script, url], { timeout: 5000 });

  return result.status === 0;
}

function wrongLogin(service: TestAuthService, username: string): Promise<request.Response> {
  return service.http.post('/api/v1/auth/login').send({ username, password: 'not-the-password' });
}

/** Checks a 429 response: the one error shape and a Retry-After within the window. */
function expectTooManyRequests(response: request.Response, windowSeconds: number): void {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({
    statusCode: 429,
    code: 'TOO_MANY_REQUESTS',
    message: expect.stringContaining('retry after'),
    requestId: expect.any(String),
  });
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
}

describe('rate limits', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator();
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  describe('per username', () => {
    let service: TestAuthService;
    let institution: TestInstitution;

    beforeAll(async () => {
      service = await startTestAuthService({
        simulator,
        settings: { RATE_LIMIT_PER_USERNAME: '3', RATE_LIMIT_WINDOW_SECONDS: '60' },
      });
      institution = await createInstitution(service, { lockoutThreshold: 10 });
    });

    afterAll(async () => {
      await service?.stop();
    });

    it('login limited per normalised username', async () => {
      const username = `nobody.${Date.now()}`;
      const spellings = [username, `  ${username.toUpperCase()}`, `${username} `];
      for (const spelling of spellings) {
        expect((await wrongLogin(service, spelling)).status).toBe(401);
      }

      expectTooManyRequests(await wrongLogin(service, username), 60);
      expect((await wrongLogin(service, `other.${username}`)).status).toBe(401);
    });

    it('step-up limited per user of the challenge', async () => {
      const user = await createRegisteredUser(service, simulator, institution);
      const challengeToken = await loginForChallenge(service, user);
      const attempt = () =>
        stepUp(service, { challengeToken, securityCode: user.codes.wrongCode(), pin: TEST_PIN });

      expect((await attempt()).status).toBe(401);
      expect((await attempt()).status).toBe(401);
      expect((await attempt()).status).toBe(401);
      expectTooManyRequests(await attempt(), 60);
    });

    it('registration limited per user of the challenge', async () => {
      const user = await createUser(service, institution);
      const challengeToken = await loginForChallenge(service, user);
      const attempt = () =>
        service.http.post('/api/v1/auth/register').send({
          challengeToken,
          credentialId: 'SYMC00000000',
          securityCode: '123456',
          pin: TEST_PIN,
        });

      for (let index = 0; index < 3; index += 1) {
        expect((await attempt()).status).toBe(401);
      }
      expectTooManyRequests(await attempt(), 60);
    });

    it('counts rejections in the metrics', async () => {
      const metrics = await service.http.get('/metrics').expect(200);

      expect(metrics.text).toMatch(
        /auth_rate_limited_requests_total\{route="login",throttler="username"[^}]*\} 1/,
      );
      expect(metrics.text).toMatch(
        /auth_rate_limited_requests_total\{route="stepUp",throttler="username"[^}]*\} 1/,
      );
    });
  });

  describe('per client IP', () => {
    let service: TestAuthService;

    beforeAll(async () => {
      service = await startTestAuthService({
        simulator,
        settings: { RATE_LIMIT_PER_IP: '4', RATE_LIMIT_WINDOW_SECONDS: '1' },
      });
    });

    afterAll(async () => {
      await service?.stop();
    });

    it('login limited per IP, then allowed after the window', async () => {
      for (let index = 0; index < 4; index += 1) {
        expect((await wrongLogin(service, `ip.user.${index}`)).status).toBe(401);
      }

      expectTooManyRequests(await wrongLogin(service, 'ip.user.new'), 1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await wrongLogin(service, 'ip.user.new')).status).toBe(401);
    });
  });

  it('TRUST_PROXY counts the forwarded client IP', async () => {
    const service = await startTestAuthService({
      simulator,
      settings: { RATE_LIMIT_PER_IP: '2', TRUST_PROXY: 'loopback' },
    });
    try {
      const fromClient = (ip: string) =>
        service.http
          .post('/api/v1/auth/login')
          .set('x-forwarded-for', ip)
          .send({ username: `proxy.${ip}`, password: 'not-the-password' });

      expect((await fromClient('203.0.113.5')).status).toBe(401);
      expect((await fromClient('203.0.113.5')).status).toBe(401);
      expectTooManyRequests(await fromClient('203.0.113.5'), 60);
      expect((await fromClient('203.0.113.6')).status).toBe(401);
    } finally {
      await service.stop();
    }
  });

  it('unreachable Redis gives 503, not an unlimited pass', async () => {
    const closedPort = await findFreePort();
    const service = await startTestAuthService({
      simulator,
      settings: { REDIS_URL: `redis://127.0.0.1:${closedPort}` },
    });
    try {
      const startedAt = Date.now();
      const response = await wrongLogin(service, 'redis.down');

      expect(response.status).toBe(503);
      expect(response.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(response.body.requestId).toEqual(expect.any(String));
      expect(Date.now() - startedAt).toBeLessThan(5000);
      const ready = await service.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(ready.body.message).toContain('redis is down');
    } finally {
      await service.stop();
    }
  });

  const redisReachable = redisAnswers(REDIS_URL);
  const itWithRedis = redisReachable ? it : it.skip;
  if (!redisReachable) {
    console.warn(
      `Skipping the shared rate-limit test: no Redis replied to PING at ${REDIS_URL}. ` +
        'Start Redis there or set TEST_REDIS_URL to run it.',
    );
  }

  itWithRedis('REDIS_URL shares limits across instances', async () => {
    const settings = {
      REDIS_URL,
      RATE_LIMIT_PER_USERNAME: '3',
      RATE_LIMIT_WINDOW_SECONDS: '30',
    };
    const first = await startTestAuthService({ simulator, settings });
    const second = await startTestAuthService({
      simulator,
      databaseUrl: first.databaseUrl,
      settings,
    });
    const redis = new Redis(REDIS_URL);
    try {
      const username = `shared.${Date.now()}.${process.pid}`;

      expect((await wrongLogin(first, username)).status).toBe(401);
      expect((await wrongLogin(second, username)).status).toBe(401);
      expect((await wrongLogin(first, username)).status).toBe(401);
      expectTooManyRequests(await wrongLogin(second, username), 30);
      expectTooManyRequests(await wrongLogin(first, username), 30);
      expect(await redis.keys(`${RATE_LIMIT_KEY_PREFIX}*`)).not.toHaveLength(0);
      const ready = await first.http.get('/health/ready').expect(200);
      expect(ready.body.details.redis).toEqual({ status: 'up' });
    } finally {
      redis.disconnect();
      await second.stop();
      await first.stop();
    }
  });
});
