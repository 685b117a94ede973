import {
  CredentialAction,
  TemporaryCodeReply,
  VipPattern,
  VipReply,
  VipUserInfo,
} from '@app/contract';

import {
  authenticate,
  codeAtOffset,
  createBoundUser,
  createUser,
  dataOf,
  getCredential,
  queryDatabase,
  statusOf,
  wrongCodeFor,
} from '../support/vip-fixtures';
import { TestSimulator, startTestSimulator } from '../support/vip-simulator';

const THIRTY_DAYS = 30 * 24 * 60 * 60;

describe('VIP simulator temporary security codes over TCP', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator();
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  function setCode(vipUserId: string, options: object = {}) {
    return simulator.send<VipReply<TemporaryCodeReply>>(VipPattern.SetTemporaryCode, {
      vipUserId,
      ...options,
    });
  }

  async function userInfo(vipUserId: string): Promise<VipUserInfo> {
    return dataOf(await simulator.send<VipReply<VipUserInfo>>(VipPattern.GetUser, { vipUserId }));
  }

  it('temporary code authenticates a user', async () => {
    const vipUserId = await createUser(simulator);
    const { code } = dataOf(await setCode(vipUserId, { code: '024680' }));
    const result = await authenticate(simulator, vipUserId, code);

    expect(dataOf(result)).toEqual({ vipUserId, credentialId: null, usedTemporaryCode: true });
  });

  it('generated code lasts one day', async () => {
    const vipUserId = await createUser(simulator);
    const before = Date.now();
    const reply = dataOf(await setCode(vipUserId));
    const lifetimeMs = Date.parse(reply.expiresAt) - before;

    expect(reply.code).toMatch(/^[0-9]{6}$/);
    expect(reply.oneTime).toBe(false);
    expect(lifetimeMs).toBeGreaterThan(86_400_000 - 5_000);
    expect(lifetimeMs).toBeLessThanOrEqual(86_400_000 + 5_000);
  });

  it('keeps working until it expires when not one-time', async () => {
    const vipUserId = await createUser(simulator);
    dataOf(await setCode(vipUserId, { code: '111222' }));

    expect(statusOf(await authenticate(simulator, vipUserId, '111222'))).toBe('0000');
    expect(statusOf(await authenticate(simulator, vipUserId, '111222'))).toBe('0000');
  });

  it('works once when one-time, also under concurrent use', async () => {
    const vipUserId = await createUser(simulator);
    dataOf(await setCode(vipUserId, { code: '333444', oneTime: true }));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => authenticate(simulator, vipUserId, '333444')),
    );
    const statuses = results.map(statusOf);

    expect(statuses.filter((status) => status === '0000')).toHaveLength(1);
    expect(statuses.filter((status) => status === '6007')).toHaveLength(4);
  });

  it('is refused after it expires', async () => {
    const vipUserId = await createUser(simulator);
    dataOf(await setCode(vipUserId, { code: '555666', expiresInSeconds: 60 }));
    await queryDatabase(
      simulator.databaseUrl,
      "UPDATE vip.temporary_codes SET expires_at = now() - interval '1 second' WHERE vip_user_id = $1",
      [vipUserId],
    );

    expect(statusOf(await authenticate(simulator, vipUserId, '555666'))).toBe('6007');
    expect((await userInfo(vipUserId)).temporaryCode).toBeNull();
  });

  it('credential success clears the code', async () => {
    const { vipUserId, credential } = await createBoundUser(simulator);
    dataOf(await setCode(vipUserId, { code: '777888' }));

    expect((await userInfo(vipUserId)).temporaryCode).not.toBeNull();
    expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
      '0000',
    );
    expect((await userInfo(vipUserId)).temporaryCode).toBeNull();
    expect(statusOf(await authenticate(simulator, vipUserId, '777888'))).toBe('6009');
  });

  it('accepts a lifetime of exactly 30 days', async () => {
    const vipUserId = await createUser(simulator);

    expect(statusOf(await setCode(vipUserId, { expiresInSeconds: THIRTY_DAYS }))).toBe('0000');
  });

  it('rejects a lifetime over 30 days with 6001', async () => {
    const vipUserId = await createUser(simulator);
    const result = await setCode(vipUserId, { expiresInSeconds: THIRTY_DAYS + 1 });

    expect(statusOf(result)).toBe('6001');
    expect(result.ok ? '' : result.error.message).toContain('expiresInSeconds');
  });

  it('stores only a keyed hash of the code', async () => {
    const vipUserId = await createUser(simulator);
    dataOf(await setCode(vipUserId, { code: '909090' }));
    const rows = await queryDatabase<{ code_hash: Buffer }>(
      simulator.databaseUrl,
      'SELECT code_hash FROM vip.temporary_codes WHERE vip_user_id = $1',
      [vipUserId],
    );

    expect(rows).toHaveLength(1);
    expect(rows[0].code_hash).toHaveLength(32);
    expect(rows[0].code_hash.toString('latin1')).not.toContain('909090');
  });

  it('clears the code on request', async () => {
    const vipUserId = await createUser(simulator);
    dataOf(await setCode(vipUserId, { code: '121212' }));
    const cleared = await simulator.send(VipPattern.ClearTemporaryCode, { vipUserId });

    expect(statusOf(cleared)).toBe('0000');
    expect(statusOf(await authenticate(simulator, vipUserId, '121212'))).toBe('6007');
  });

  it('wrong code counts a credential failure', async () => {
    const { vipUserId, credential } = await createBoundUser(simulator);
    dataOf(await setCode(vipUserId, { code: '343434' }));
    const wrong = wrongCodeFor(credential, 25, ['343434']);

    expect(statusOf(await authenticate(simulator, vipUserId, wrong))).toBe('6009');
    expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(1);
  });

  it.each([
    [CredentialAction.Disable, 'LOST'],
    [CredentialAction.Deactivate, undefined],
  ])('wrong code with a temporary code after %s gets 6009', async (action, reason) => {
    const { vipUserId, credential } = await createBoundUser(simulator);
    dataOf(
      await simulator.send(VipPattern.ChangeCredentialState, {
        credentialId: credential.credentialId,
        action,
        reason,
      }),
    );
    dataOf(await setCode(vipUserId, { code: '515151' }));

    expect(statusOf(await authenticate(simulator, vipUserId, '100000'))).toBe('6009');
    expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
      '6009',
    );
    expect(statusOf(await authenticate(simulator, vipUserId, '515151'))).toBe('0000');
  });

  it('wrong code with a temporary code and no binding gets 6009', async () => {
    const vipUserId = await createUser(simulator);
    dataOf(await setCode(vipUserId, { code: '616161' }));

    expect(statusOf(await authenticate(simulator, vipUserId, '100001'))).toBe('6009');
  });

  it('disabled credential without a temporary code still gets 4993', async () => {
    const { vipUserId, credential } = await createBoundUser(simulator);
    dataOf(
      await simulator.send(VipPattern.ChangeCredentialState, {
        credentialId: credential.credentialId,
        action: CredentialAction.Disable,
        reason: 'LOST',
      }),
    );

    expect(statusOf(await authenticate(simulator, vipUserId, '100002'))).toBe('4993');
  });

  it('unknown user gets 6003', async () => {
    expect(statusOf(await setCode('no-such-user'))).toBe('6003');
  });
});
