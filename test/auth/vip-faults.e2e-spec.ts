import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, RpcException, Transport } from '@nestjs/microservices';
import { Client } from 'pg';

import {
  CredentialAction,
  DisableReason,
  VipPattern,
  VipReply,
  VipUserInfo,
  vipPattern,
} from '@app/contract';
import { findFreePort } from '@app/database';

import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  TEST_PIN,
  TestAuthService,
  TestInstitution,
  bearer,
  createInstitution,
  createRegisteredUser,
  createUser,
  loginForChallenge,
  openChallenges,
  provisionCredential,
  readAuditEvents,
  readSettings,
  startTestAuthService,
  stepUp,
} from '../support/auth-service';
import { TcpProxy } from '../support/tcp-proxy';

/** VIP_TIMEOUT_MS that startTestAuthService sets. */
const VIP_TIMEOUT_MS = 1000;

/** Produces the stand-in VIP server's reply to Authenticate, or throws. */
let fakeAnswer: () => unknown = () => {
  throw new Error('not set');
};

/** A VIP stand-in that replies as a faulty server would: plain errors, odd statuses. */
@Controller()
class FaultyVipController {
  @MessagePattern(vipPattern(VipPattern.Authenticate))
  authenticate(): unknown {
    return fakeAnswer();
  }
}

@Module({ controllers: [FaultyVipController] })
class FaultyVipModule {}

describe('VIP faults', () => {
  let simulator: TestSimulator;
  let proxy: TcpProxy;
  let service: TestAuthService;
  let institution: TestInstitution;

  beforeAll(async () => {
    simulator = await startTestSimulator({ settings: { VIP_LOCK_THRESHOLD: '2' } });
    proxy = await TcpProxy.start(simulator.tcpPort);
    service = await startTestAuthService({ simulator: { tcpPort: proxy.port } });
    institution = await createInstitution(service, { lockoutThreshold: 10 });
  });

  afterEach(() => {
    proxy.mode = { kind: 'forward' };
  });

  afterAll(async () => {
    await service?.stop();
    await proxy?.stop();
    await simulator?.stop();
  });

  async function expectNothingCounted(userId: string): Promise<void> {
    const settings = await readSettings(service, institution, userId);
    expect(settings.failedAttempts).toBe(0);
    expect(settings.userAuthenticationStatus).toBe('REGISTERED');
  }

  async function lastAuditReason(userId: string, type: string): Promise<string | null> {
    const [latest] = await readAuditEvents(service, institution, { userId, type });

    return latest?.reason ?? null;
  }

  it('rpc-error-collapse: credential states give uncounted 403', async () => {
    const cases: Array<[CredentialAction, string, DisableReason?]> = [
      [CredentialAction.Disable, 'CREDENTIAL_DISABLED', DisableReason.Lost],
      [CredentialAction.Deactivate, 'CREDENTIAL_INACTIVE'],
    ];
    for (const [action, reason, disableReason] of cases) {
      const user = await createRegisteredUser(service, simulator, institution);
      const changed = await simulator.send(VipPattern.ChangeCredentialState, {
        credentialId: user.codes.credentialId,
        action,
        reason: disableReason,
      });
      expect(changed.ok).toBe(true);

      const response = await stepUp(service, {
        challengeToken: await loginForChallenge(service, user),
        securityCode: await user.codes.nextCode(),
        pin: TEST_PIN,
      });

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('CREDENTIAL_UNAVAILABLE');
      expect(response.body.message).toMatch(/contact your administrator/i);
      expect(await lastAuditReason(user.id, 'CREDENTIAL_REJECTED')).toBe(reason);
      await expectNothingCounted(user.id);
    }
  });

  it('rpc-error-collapse: VIP-locked credential gives uncounted 403', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    // VIP_LOCK_THRESHOLD is 2 in this file: two wrong codes lock the credential at VIP.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const wrong = await stepUp(service, {
        challengeToken: await loginForChallenge(service, user),
        securityCode: user.codes.wrongCode(),
        pin: TEST_PIN,
      });
      expect(wrong.status).toBe(401);
    }

    const response = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });

    expect(response.status).toBe(403);
    expect(response.body.code).toBe('CREDENTIAL_UNAVAILABLE');
    expect(await lastAuditReason(user.id, 'CREDENTIAL_REJECTED')).toBe('CREDENTIAL_LOCKED');
    expect((await readSettings(service, institution, user.id)).failedAttempts).toBe(2);
    expect((await readSettings(service, institution, user.id)).credentialState).toBe('LOCKED');
  });

  it('rpc-error-collapse: wrong, replayed, unknown give counted 401', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    const code = await user.codes.nextCode();
    await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: code,
      pin: TEST_PIN,
    }).then((response) => expect(response.status).toBe(200));

    const replayed = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: code,
      pin: TEST_PIN,
    });
    expect(replayed.status).toBe(401);
    expect(await lastAuditReason(user.id, 'SECOND_FACTOR_FAILED')).toBe('REPLAYED_CODE');

    const newcomer = await createUser(service, institution);
    const unknownCredential = await service.http.post('/api/v1/auth/register').send({
      challengeToken: await loginForChallenge(service, newcomer),
      credentialId: 'SYMC00000000',
      securityCode: '123456',
      pin: TEST_PIN,
    });
    expect(unknownCredential.status).toBe(401);
    expect(unknownCredential.body.code).toBe('INVALID_SECURITY_CREDENTIALS');
    expect(await lastAuditReason(newcomer.id, 'SECOND_FACTOR_FAILED')).toBe('CREDENTIAL_NOT_FOUND');
    expect((await readSettings(service, institution, newcomer.id)).failedAttempts).toBe(1);
  });

  it('rpc-error-collapse: VIP database down gives uncounted 503', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    const challengeToken = await loginForChallenge(service, user);
    const vipDatabase = decodeURIComponent(new URL(simulator.databaseUrl).pathname.slice(1));
    const admin = new Client({ connectionString: process.env.TEST_SERVER_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${vipDatabase}" ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [vipDatabase],
      );

      const response = await stepUp(service, {
        challengeToken,
        securityCode: await user.codes.nextCode(),
        pin: TEST_PIN,
      });

      expect(response.status).toBe(503);
      expect(response.body.code).toBe('SECURE_TOKEN_SERVICE_UNAVAILABLE');
      expect(await lastAuditReason(user.id, 'SECURE_TOKEN_SERVICE_UNAVAILABLE')).toBe(
        'VIP_DATABASE_UNAVAILABLE',
      );
      await expectNothingCounted(user.id);
    } finally {
      await admin.query(`ALTER DATABASE "${vipDatabase}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });

  it('rpc-error-collapse: plain errors and unknown statuses fail closed', async () => {
    const port = await findFreePort();
    const faulty: INestMicroservice = await NestFactory.createMicroservice(FaultyVipModule, {
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port },
      logger: false,
    });
    await faulty.listen();
    const second = await startTestAuthService({
      simulator: { tcpPort: port },
      databaseUrl: service.databaseUrl,
    });
    try {
      const user = await createRegisteredUser(service, simulator, institution);
      const answers: Array<[() => unknown, string]> = [
        [
          () => {
            throw new Error('boom');
          },
          'VIP_UNEXPECTED_REPLY',
        ],
        [
          () => {
            throw new RpcException({ status: '6501', message: 'Internal error' });
          },
          'VIP_INTERNAL_ERROR',
        ],
        [
          () => {
            throw new RpcException({ status: '6500', message: 'Database unavailable' });
          },
          'VIP_DATABASE_UNAVAILABLE',
        ],
        [
          () => {
            throw new RpcException({ status: '9999', message: 'Something new' });
          },
          'VIP_UNEXPECTED_REPLY',
        ],
        [() => ({ unexpected: true }), 'VIP_UNEXPECTED_REPLY'],
      ];
      for (const [answer, reason] of answers) {
        fakeAnswer = answer;
        const response = await stepUp(second, {
          challengeToken: await loginForChallenge(service, user),
          securityCode: '123456',
          pin: TEST_PIN,
        });
        expect({ reason, status: response.status }).toEqual({ reason, status: 503 });
        expect(await lastAuditReason(user.id, 'SECURE_TOKEN_SERVICE_UNAVAILABLE')).toBe(reason);
      }
      await expectNothingCounted(user.id);
    } finally {
      await second.stop();
      await faulty.close();
    }
  });

  it('rpc-down: stopped simulator gives timely 503', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    const challengeToken = await loginForChallenge(service, user);
    const securityCode = await user.codes.nextCode();
    await proxy.stop();

    const started = Date.now();
    const down = await stepUp(service, { challengeToken, securityCode, pin: TEST_PIN });
    const elapsed = Date.now() - started;
    await proxy.listen();

    expect(down.status).toBe(503);
    expect(elapsed).toBeLessThan(VIP_TIMEOUT_MS + 500);
    expect(await lastAuditReason(user.id, 'SECURE_TOKEN_SERVICE_UNAVAILABLE')).toBe(
      'VIP_UNREACHABLE',
    );
    await expectNothingCounted(user.id);
    // The code never reached VIP, so the same challenge and code are still good.
    const recovered = await stepUp(service, { challengeToken, securityCode, pin: TEST_PIN });
    expect(recovered.status).toBe(200);
  });

  it('rpc-down: slow simulator times out with 503', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    proxy.mode = { kind: 'delay', ms: VIP_TIMEOUT_MS * 3 };

    const started = Date.now();
    const slow = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: user.codes.wrongCode(),
      pin: TEST_PIN,
    });
    const elapsed = Date.now() - started;
    proxy.mode = { kind: 'forward' };

    expect(slow.status).toBe(503);
    expect(elapsed).toBeGreaterThanOrEqual(VIP_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(VIP_TIMEOUT_MS + 1000);
    expect(await lastAuditReason(user.id, 'SECURE_TOKEN_SERVICE_UNAVAILABLE')).toBe('VIP_TIMEOUT');
    await expectNothingCounted(user.id);
    const recovered = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });
    expect(recovered.status).toBe(200);
  });

  it('rpc-down: waiters behind a slow VIP get 429', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    const challenges = await openChallenges(service, user, 5);
    proxy.mode = { kind: 'delay', ms: VIP_TIMEOUT_MS * 3 };

    // Each attempt waits one VIP timeout for its reply. A waiter gives up
    // after two timeouts, so the later ones in the queue get 429.
    const started = Date.now();
    const timed = await Promise.all(
      challenges.map(async (challengeToken) => {
        const response = await stepUp(service, {
          challengeToken,
          securityCode: user.codes.wrongCode(),
          pin: TEST_PIN,
        });

        return { response, elapsed: Date.now() - started };
      }),
    );
    proxy.mode = { kind: 'forward' };

    const responses = timed.map((entry) => entry.response);
    // Two timeouts of waiting, then one VIP call of its own.
    const slowest = Math.max(...timed.map((entry) => entry.elapsed));
    expect(slowest).toBeLessThan(VIP_TIMEOUT_MS * 3 + 500);
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 503 || status === 429)).toBe(true);
    expect(statuses).toContain(429);
    const busy = responses.find((response) => response.status === 429);
    expect(busy?.body.code).toBe('ATTEMPT_IN_PROGRESS');
    await expectNothingCounted(user.id);
  });

  it('burst for one user spares other users', async () => {
    const burstInstitution = await createInstitution(service, { lockoutThreshold: 1000 });
    const user = await createRegisteredUser(service, simulator, burstInstitution);
    const other = await createRegisteredUser(service, simulator, burstInstitution);
    const challenges = await openChallenges(service, user, 50);
    const securityCode = await user.codes.nextCode();
    proxy.mode = { kind: 'delay', ms: 300 };

    const burst = Promise.all(
      challenges.map((challengeToken) =>
        stepUp(service, { challengeToken, securityCode, pin: '9999' }),
      ),
    );
    // Let the burst take its database connections before the other requests start.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const others = await Promise.all([
      ...Array.from({ length: 5 }, () =>
        service.http.get('/api/v1/auth/me').set(bearer(other.sessionToken)),
      ),
      ...Array.from({ length: 5 }, () =>
        service.http.get('/api/v1/admin/users').set(bearer(burstInstitution.admin.sessionToken)),
      ),
    ]);
    const othersElapsed = Date.now() - started;
    const responses = await burst;
    proxy.mode = { kind: 'forward' };

    expect(others.map((response) => response.status)).toEqual(Array(10).fill(200));
    // Starved requests would wait for the burst's waiters to give up, which
    // takes 2 x VIP_TIMEOUT_MS; requests that were never queued behind it finish well before.
    expect(othersElapsed).toBeLessThan(2 * VIP_TIMEOUT_MS);
    const statuses = new Set(responses.map((response) => response.status));
    expect([...statuses].filter((status) => status >= 500)).toEqual([]);
    expect(statuses).toContain(401);
    expect(statuses).toContain(429);
    const busy = responses.find((response) => response.status === 429);
    expect(busy?.body.code).toBe('ATTEMPT_IN_PROGRESS');
  });

  it('rpc-down: connection cut mid-request gives 503', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    proxy.mode = { kind: 'cut' };

    const cut = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: user.codes.wrongCode(),
      pin: TEST_PIN,
    });
    proxy.mode = { kind: 'forward' };

    expect(cut.status).toBe(503);
    await expectNothingCounted(user.id);
    const recovered = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });
    expect(recovered.status).toBe(200);
  });

  it('rpc-down: restarted simulator serves next call', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    await simulator.restart();

    const response = await stepUp(service, {
      challengeToken: await loginForChallenge(service, user),
      securityCode: await user.codes.nextCode(),
      pin: TEST_PIN,
    });

    expect(response.status).toBe(200);
  });

  it('reset without VIP succeeds, unbind pending', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    const { vipUserId } = await readSettings(service, institution, user.id);
    await proxy.stop();

    const started = Date.now();
    const reset = await service.http
      .post(`/api/v1/admin/users/${user.id}/reset-credential`)
      .set(bearer(institution.admin.sessionToken));
    const elapsed = Date.now() - started;
    await proxy.listen();

    expect(reset.status).toBe(200);
    expect(reset.body.vipUnbindPending).toBe(true);
    expect(reset.body.userAuthenticationStatus).toBe('NOT_REGISTERED');
    expect(elapsed).toBeLessThan(VIP_TIMEOUT_MS + 500);
    const resets = await readAuditEvents(service, institution, {
      userId: user.id,
      type: 'CREDENTIAL_RESET',
    });
    expect(resets).toHaveLength(1);
    expect(await lastAuditReason(user.id, 'SECURE_TOKEN_SERVICE_UNAVAILABLE')).toBe(
      'VIP_UNREACHABLE',
    );
    const stillBound = await simulator.send<VipReply<VipUserInfo>>(VipPattern.GetUser, {
      vipUserId,
    });
    expect(stillBound.ok ? stillBound.reply.data.credentials : []).toHaveLength(1);

    // The next registration, with another credential, removes the leftover binding.
    const replacement = await provisionCredential(simulator);
    const registered = await service.http.post('/api/v1/auth/register').send({
      challengeToken: await loginForChallenge(service, user),
      credentialId: replacement.credentialId,
      securityCode: await replacement.nextCode(),
      pin: TEST_PIN,
    });
    expect(registered.status).toBe(200);
    const after = await simulator.send<VipReply<VipUserInfo>>(VipPattern.GetUser, { vipUserId });
    const boundIds = after.ok ? after.reply.data.credentials.map((c) => c.credentialId) : [];
    expect(boundIds).toEqual([replacement.credentialId]);
  });

  it('reset twice is harmless', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    for (let round = 0; round < 2; round += 1) {
      const reset = await service.http
        .post(`/api/v1/admin/users/${user.id}/reset-credential`)
        .set(bearer(institution.admin.sessionToken));
      expect(reset.status).toBe(200);
      expect(reset.body.vipUnbindPending).toBe(false);
    }
  });

  it('settings show UNAVAILABLE without VIP', async () => {
    const user = await createRegisteredUser(service, simulator, institution);
    await proxy.stop();
    try {
      const settings = await readSettings(service, institution, user.id);
      expect(settings.credentialState).toBe('UNAVAILABLE');
      expect(settings.userAuthenticationStatus).toBe('REGISTERED');
    } finally {
      await proxy.listen();
    }
  });
});
