import { ClientProxyFactory, ClientProxy, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';

import { VipPattern, vipPattern } from '@app/contract';

import {
  authenticate,
  codeAtOffset,
  createBoundUser,
  getCredential,
  statusOf,
  wrongCodeFor,
} from '../support/vip-fixtures';
import { SendResult, TestSimulator, startTestSimulator } from '../support/vip-simulator';

describe('VIP simulator restart', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator();
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  it('restart keeps state and replay marks', async () => {
    const { vipUserId, credential } = await createBoundUser(simulator);
    const wrong = wrongCodeFor(credential);
    expect(statusOf(await authenticate(simulator, vipUserId, wrong))).toBe('6009');
    const code = codeAtOffset(credential, 1);
    expect(statusOf(await authenticate(simulator, vipUserId, code))).toBe('0000');
    expect(statusOf(await authenticate(simulator, vipUserId, wrong))).toBe('6009');

    await simulator.restart();

    const after = await getCredential(simulator, credential.credentialId);
    expect(after.state).toBe('ENABLED');
    expect(after.boundUserIds).toEqual([vipUserId]);
    expect(after.failedAttempts).toBe(1);
    expect(statusOf(await authenticate(simulator, vipUserId, code))).toBe('49B6');
  });
});

describe('two VIP simulator instances on one database', () => {
  let first: TestSimulator;
  let second: TestSimulator;

  beforeAll(async () => {
    first = await startTestSimulator();
    second = await startTestSimulator({ databaseUrl: first.databaseUrl });
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('one replay winner across instances', async () => {
    const { vipUserId, credential } = await createBoundUser(first);
    const code = codeAtOffset(credential, 1);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        authenticate(index % 2 === 0 ? first : second, vipUserId, code),
      ),
    );
    const statuses = results.map(statusOf);

    expect(statuses.filter((status) => status === '0000')).toHaveLength(1);
    expect(statuses.filter((status) => status === '49B6')).toHaveLength(9);
  });

  it('counts failures from both instances toward one lock', async () => {
    const { vipUserId, credential } = await createBoundUser(first);
    const wrong = wrongCodeFor(credential);
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        authenticate(index % 2 === 0 ? first : second, vipUserId, wrong),
      ),
    );
    const info = await getCredential(second, credential.credentialId);

    expect(info.state).toBe('LOCKED');
    expect(info.failedAttempts).toBe(10);
  });
});

describe('TCP client from another test file', () => {
  let simulator: TestSimulator;
  let client: ClientProxy;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    client = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: simulator.tcpPort },
    });
  });

  afterAll(async () => {
    await client?.close();
    await simulator?.stop();
  });

  it('receives the VIP error object, not "Internal server error"', async () => {
    let outcome: SendResult;
    try {
      outcome = {
        ok: true,
        reply: await firstValueFrom(
          client.send(vipPattern(VipPattern.GetUser), { vipUserId: 'missing-user' }),
        ),
      };
    } catch (error) {
      outcome = { ok: false, error: error as never };
    }

    expect(outcome).toEqual({
      ok: false,
      error: { status: '6003', message: 'User not found', detail: 'missing-user' },
    });
  });
});
