import { randomBytes, randomInt } from 'node:crypto';
import { connect } from 'node:net';

import { firstValueFrom } from 'rxjs';

import {
  CredentialAction,
  CurrentCode,
  ServerJsonSocket,
  VipPattern,
  VipReply,
} from '@app/contract';
import { createScratchDatabase, dropScratchDatabase } from '@app/database';

import { encodeBase32 } from '../../apps/vip-simulator/src/totp/base32';
import { computeTotpForStep, timeStepAt } from '../../apps/vip-simulator/src/totp/totp';
import {
  authenticate,
  codeAtOffset,
  createBoundUser,
  createUser,
  dataOf,
  getCredential,
  provisionCredential,
  queryDatabase,
  statusOf,
  waitForStepMargin,
  wrongCodeFor,
} from '../support/vip-fixtures';
import { TcpProxy } from '../support/tcp-proxy';
import {
  TestSimulator,
  connectRawSocket,
  rawFrame,
  sendRawPayload,
  startTestSimulator,
} from '../support/vip-simulator';

describe('VIP simulator TCP contract', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator();
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  describe('security code format', () => {
    const malformedCodes: Array<[string, unknown]> = [
      ['digits followed by letters', '123456abc'],
      ['one digit', '1'],
      ['an empty string', ''],
      ['a leading space', ' 123456'],
      ['full-width digits', '１２３４５６'],
      ['exponent notation', '1e5'],
      ['a decimal point', '12345.6'],
      ['seven digits', '1234567'],
      ['five digits', '12345'],
      ['three digits', '123'],
      ['a JSON number', 123456],
      ['null', null],
    ];

    it.each(malformedCodes)(
      'rejects a code with %s with 6001 naming the field',
      async (_, code) => {
        const { vipUserId, credential } = await createBoundUser(simulator);
        const result = await simulator.send(VipPattern.Authenticate, { vipUserId, code });

        expect(statusOf(result)).toBe('6001');
        expect(result.ok ? '' : result.error.message).toMatch(/^code must be/);
        expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(0);
      },
    );

    it.each(malformedCodes)('rejects bind and sync codes with %s', async (_, code) => {
      const vipUserId = await createUser(simulator);
      const bind = await simulator.send(VipPattern.BindCredential, {
        vipUserId,
        credentialId: 'SYMC00000001',
        code,
      });
      const sync = await simulator.send(VipPattern.SynchronizeCredential, {
        credentialId: 'SYMC00000001',
        code1: code,
        code2: '123456',
      });

      expect(statusOf(bind)).toBe('6001');
      expect(statusOf(sync)).toBe('6001');
      expect(sync.ok ? '' : sync.error.message).toMatch(/^code1 must be/);
    });

    it('rejects unknown fields with 6001', async () => {
      const result = await simulator.send(VipPattern.Authenticate, {
        vipUserId: 'someone',
        code: '123456',
        skipMfa: true,
      });

      expect(statusOf(result)).toBe('6001');
      expect(result.ok ? '' : result.error.message).toContain('skipMfa');
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'rejects the key %s in a payload with 6001',
      async (key) => {
        const payload = JSON.parse(`{"type":"MOBILE","${key}":{"admin":true}}`) as object;
        const result = await simulator.send(VipPattern.ProvisionCredential, payload);

        expect(statusOf(result)).toBe('6001');
      },
    );

    it.each([
      ['an array', [1, 2]],
      ['a string', 'hello'],
      ['a number', 42],
    ])('rejects a payload that is %s with 6001', async (_, payload) => {
      const result = await simulator.send(VipPattern.Authenticate, payload as object);

      expect(statusOf(result)).toBe('6001');
    });

    it('rejects an unknown pattern with 6001', async () => {
      const reply = firstValueFrom(
        simulator.client.send({ cmd: 'vip.no-such-operation' }, { vipUserId: 'someone' }),
      );

      await expect(reply).rejects.toEqual({
        status: '6001',
        message:
          'unknown pattern: no operation of the VIP simulator has this pattern (docs/vip-simulator.md lists them)',
      });
      expect(statusOf(await simulator.send(VipPattern.Ping, {}))).toBe('0000');
    });

    it('drops a message without an id', async () => {
      const countCredentials = async () =>
        (
          await queryDatabase<{ n: number }>(
            simulator.databaseUrl,
            'SELECT count(*)::int AS n FROM vip.credentials',
          )
        )[0].n;
      const before = await countCredentials();
      const socket = await connectRawSocket(simulator.tcpPort);
      const replies: unknown[] = [];
      const pingReply = new Promise<void>((resolve) =>
        socket.on('message', (message: { id?: string }) => {
          replies.push(message);
          if (message.id === 'ping-1') {
            resolve();
          }
        }),
      );

      socket.netSocket.write(rawFrame(VipPattern.ProvisionCredential, '{"type":"MOBILE"}'));
      socket.netSocket.write(rawFrame(VipPattern.Ping, '{}', 'ping-1'));
      await pingReply;
      // A provision run as an event would have committed by now: the ping
      // came after it on the same connection, and a provision takes a few ms.
      await new Promise((resolve) => setTimeout(resolve, 300));
      socket.end();

      expect(replies).toHaveLength(1);
      expect(await countCredentials()).toBe(before);
    });

    it('drops a message with a deeply nested id', async () => {
      const socket = await connectRawSocket(simulator.tcpPort);
      const replies: Array<{ id?: unknown }> = [];
      const pingReply = new Promise<void>((resolve) =>
        socket.on('message', (message: { id?: unknown }) => {
          replies.push(message);
          if (message.id === 'ping-2') {
            resolve();
          }
        }),
      );
      const deepId = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
      const pattern = JSON.stringify(JSON.stringify({ cmd: 'vip.ping' }));
      const message = `{"pattern":${pattern},"data":{},"id":${deepId}}`;

      socket.netSocket.write(`${Buffer.byteLength(message)}#${message}`);
      socket.netSocket.write(rawFrame(VipPattern.Ping, '{}', 'ping-2'));
      await pingReply;
      socket.end();

      expect(replies.map((reply) => reply.id)).toEqual(['ping-2']);
      expect(statusOf(await simulator.send(VipPattern.Ping, {}))).toBe('0000');
    });

    it('rejects a week-date code time with 6001', async () => {
      const credential = await provisionCredential(simulator);
      const result = await simulator.send(VipPattern.GetCurrentCode, {
        credentialId: credential.credentialId,
        at: '2024-W01-1',
      });

      expect(statusOf(result)).toBe('6001');
      expect(result.ok ? '' : result.error.message).toBe(
        'at must be an ISO 8601 date-time, such as 2026-12-04 or 2026-12-04T10:30:00Z',
      );
    });

    it('rejects a lone surrogate with 6001', async () => {
      const result = await simulator.send(VipPattern.CreateUser, { vipUserId: 'user-\ud800' });

      expect(statusOf(result)).toBe('6001');
      expect(result.ok ? '' : result.error.message).toBe(
        'vipUserId must be valid Unicode text (it contains an unpaired surrogate)',
      );
    });

    it('rejects deep nesting with 6001', async () => {
      const reply = await sendRawPayload(
        simulator.tcpPort,
        VipPattern.Authenticate,
        `{"vipUserId":"someone","code":"123456","z":${'['.repeat(5000)}1${']'.repeat(5000)}}`,
      );

      expect(reply.err?.status).toBe('6001');
      expect(reply.err?.message).toBe('z must not be nested more than 32 levels deep');
    });

    it('rejects a request id with unsafe characters', async () => {
      const result = await simulator.send(VipPattern.Ping, { requestId: 'a b\n' });

      expect(statusOf(result)).toBe('6001');
    });
  });

  it('destroys a connection past 1 MiB', async () => {
    // With allowHalfOpen the client goes on writing after a FIN. A server that
    // only half-closed would read on and meet one framing error per MiB.
    const framingErrors = jest.spyOn(
      ServerJsonSocket.prototype as unknown as { handleDataError: (error: unknown) => void },
      'handleDataError',
    );
    const socket = connect({ port: simulator.tcpPort, host: '127.0.0.1', allowHalfOpen: true });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    const chunk = 'x'.repeat(256 * 1024);

    const serverStopped = new Promise<void>((resolve) => {
      for (const event of ['end', 'close', 'error']) {
        socket.once(event, () => resolve());
      }
    });
    let stopped = false;
    void serverStopped.then(() => (stopped = true));
    const writeChunks = async (count: number) => {
      for (let written = 0; written < count && !socket.destroyed; written += 1) {
        socket.write(chunk);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    socket.write(`${64 * 1024 * 1024}#{"pattern":"`);
    for (let written = 0; written < 400 && !stopped; written += 1) {
      await writeChunks(1);
    }
    // Two more MiB: a server that only half-closed reads them and logs again.
    await writeChunks(8);
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();

    expect(framingErrors).toHaveBeenCalledTimes(1);
    framingErrors.mockRestore();
    expect(statusOf(await simulator.send(VipPattern.Ping, {}))).toBe('0000');
  });

  describe('leading zeros', () => {
    /** Finds a secret whose codes for the current and next step both start with 0. */
    function secretWithLeadingZeroCodes(): Buffer {
      const step = timeStepAt(Date.now());
      for (;;) {
        const secret = randomBytes(20);
        if (
          computeTotpForStep(secret, step).startsWith('0') &&
          computeTotpForStep(secret, step + 1).startsWith('0')
        ) {
          return secret;
        }
      }
    }

    it('keeps the leading zero of a computed code', async () => {
      dataOf(
        await simulator.send(VipPattern.ImportCredential, {
          credentialId: 'SYMC00000099',
          secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
        }),
      );
      const reply = await simulator.send<VipReply<CurrentCode>>(VipPattern.GetCurrentCode, {
        credentialId: 'SYMC00000099',
        at: '2005-03-18T01:58:29Z',
      });

      expect(dataOf(reply).code).toBe('081804');
    });

    it('binds and authenticates with codes that start with 0', async () => {
      await waitForStepMargin();
      const secret = secretWithLeadingZeroCodes();
      const credentialId = `SYHW${randomInt(100_000_000).toString().padStart(8, '0')}`;
      const credential = { credentialId, secret, provisioned: undefined as never };
      dataOf(
        await simulator.send(VipPattern.ImportCredential, {
          credentialId,
          secret: encodeBase32(secret),
        }),
      );
      const vipUserId = await createUser(simulator);
      const bindCode = codeAtOffset(credential, 0);
      const authCode = codeAtOffset(credential, 1);

      expect(bindCode.startsWith('0')).toBe(true);
      expect(authCode.startsWith('0')).toBe(true);
      expect(
        statusOf(
          await simulator.send(VipPattern.BindCredential, {
            vipUserId,
            credentialId,
            code: bindCode,
          }),
        ),
      ).toBe('0000');
      expect(statusOf(await authenticate(simulator, vipUserId, authCode))).toBe('0000');
    });
  });

  describe('each failure has its own status', () => {
    it('gives each failure its own status', async () => {
      const locked = await createBoundUser(simulator);
      await queryDatabase(
        simulator.databaseUrl,
        "UPDATE vip.credentials SET state = 'LOCKED' WHERE credential_id = $1",
        [locked.credential.credentialId],
      );
      const disabled = await createBoundUser(simulator);
      dataOf(
        await simulator.send(VipPattern.ChangeCredentialState, {
          credentialId: disabled.credential.credentialId,
          action: CredentialAction.Disable,
          reason: 'LOST',
        }),
      );
      const active = await createBoundUser(simulator);
      const right = codeAtOffset(active.credential, 1);
      const wrong = wrongCodeFor(active.credential);

      expect(statusOf(await authenticate(simulator, active.vipUserId, wrong))).toBe('6009');
      expect(statusOf(await authenticate(simulator, active.vipUserId, right))).toBe('0000');
      expect(statusOf(await authenticate(simulator, active.vipUserId, right))).toBe('49B6');
      expect(
        statusOf(await simulator.send(VipPattern.GetCredential, { credentialId: 'SYMC11111111' })),
      ).toBe('6004');
      expect(
        statusOf(
          await authenticate(simulator, locked.vipUserId, codeAtOffset(locked.credential, 1)),
        ),
      ).toBe('4994');
      expect(
        statusOf(
          await authenticate(simulator, disabled.vipUserId, codeAtOffset(disabled.credential, 1)),
        ),
      ).toBe('4993');
    });

    it('unexpected fault gets 6501, counts nothing', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      await queryDatabase(
        simulator.databaseUrl,
        'UPDATE vip.credentials SET secret_auth_tag = $2 WHERE credential_id = $1',
        [credential.credentialId, randomBytes(16)],
      );
      const result = await authenticate(simulator, vipUserId, codeAtOffset(credential, 1));

      expect(statusOf(result)).toBe('6501');
      expect(result.ok ? '' : result.error.message).not.toBe('Internal server error');
      expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(0);
    });
  });
});

describe('VIP simulator with its database down', () => {
  const serverUrl = process.env.TEST_SERVER_URL as string;
  let databaseUrl: string;
  let proxy: TcpProxy;
  let simulator: TestSimulator;

  beforeAll(async () => {
    databaseUrl = await createScratchDatabase(serverUrl, 'vip_outage');
    proxy = await TcpProxy.start(Number(new URL(databaseUrl).port));
    const viaProxy = new URL(databaseUrl);
    viaProxy.port = String(proxy.port);
    simulator = await startTestSimulator({ databaseUrl: viaProxy.toString() });
  });

  afterAll(async () => {
    await simulator?.stop();
    await proxy?.stop();
    await dropScratchDatabase(serverUrl, databaseUrl);
  });

  it('database outage gets 6500, then recovers', async () => {
    const vipUserId = await createUser(simulator);
    await proxy.stop();

    const during = await authenticate(simulator, vipUserId, '123456');
    const again = await simulator.send(VipPattern.GetUser, { vipUserId });

    expect(statusOf(during)).toBe('6500');
    expect(statusOf(again)).toBe('6500');
    await proxy.listen();
    expect(statusOf(await simulator.send(VipPattern.GetUser, { vipUserId }))).toBe('0000');
  });
});
