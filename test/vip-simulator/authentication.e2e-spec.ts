import { Client } from 'pg';

import {
  AuthenticateReply,
  CredentialAction,
  CredentialState,
  CurrentCode,
  VipPattern,
  VipReply,
} from '@app/contract';

import {
  authenticate,
  bindWithCurrentCode,
  codeAtOffset,
  createBoundUser,
  createUser,
  dataOf,
  errorOf,
  getCredential,
  provisionCredential,
  queryDatabase,
  statusOf,
  waitForNextStep,
  wrongCodeFor,
  waitForStepMargin,
} from '../support/vip-fixtures';
import { timeStepAt } from '../../apps/vip-simulator/src/totp/totp';
import { AuthenticationAcceptor } from '../../apps/vip-simulator/src/vip-users/authentication-acceptor';
import { TestSimulator, startTestSimulator } from '../support/vip-simulator';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Holds a credential's row lock in an open transaction, as a concurrent writer would. */
async function holdCredentialRow(
  simulator: TestSimulator,
  credentialId: string,
): Promise<{ client: Client; release(): Promise<void> }> {
  const client = new Client({ connectionString: simulator.databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM vip.credentials WHERE credential_id = $1 FOR UPDATE', [
    credentialId,
  ]);
  let released = false;

  return {
    client,
    async release() {
      if (released) {
        return;
      }
      released = true;
      await client.query('COMMIT');
      await client.end();
    },
  };
}

describe('VIP simulator authentication over TCP', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator({ settings: { VIP_LOCK_THRESHOLD: '10' } });
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  describe('binding', () => {
    it('first bind enables a NEW credential', async () => {
      const { credential } = await createBoundUser(simulator);
      const info = await getCredential(simulator, credential.credentialId);

      expect(info.state).toBe(CredentialState.Enabled);
      expect(info.boundUserIds).toHaveLength(1);
    });

    it('one credential serves two users', async () => {
      // Every accepted code moves the credential's replay mark forward, so the
      // two binds and two authentications use four successive time steps.
      await waitForStepMargin();
      const credential = await provisionCredential(simulator);
      const first = await createUser(simulator);
      const second = await createUser(simulator);
      const bind = (vipUserId: string, offset: number) =>
        simulator.send(VipPattern.BindCredential, {
          vipUserId,
          credentialId: credential.credentialId,
          code: codeAtOffset(credential, offset),
        });

      expect(statusOf(await bind(first, -1))).toBe('0000');
      expect(statusOf(await bind(second, 0))).toBe('0000');
      expect((await getCredential(simulator, credential.credentialId)).boundUserIds).toEqual(
        [first, second].sort(),
      );
      expect(statusOf(await authenticate(simulator, first, codeAtOffset(credential, 1)))).toBe(
        '0000',
      );
      await waitForNextStep();
      expect(statusOf(await authenticate(simulator, second, codeAtOffset(credential, 1)))).toBe(
        '0000',
      );
    }, 70_000);

    it('bind without valid code gets 49B5', async () => {
      await waitForStepMargin();
      const credential = await provisionCredential(simulator);
      const vipUserId = await createUser(simulator);
      const result = await simulator.send(VipPattern.BindCredential, {
        vipUserId,
        credentialId: credential.credentialId,
        code: wrongCodeFor(credential),
      });

      expect(statusOf(result)).toBe('49B5');
      expect((await getCredential(simulator, credential.credentialId)).state).toBe('NEW');
    });

    it('rejects binding the same pair twice with 6026', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const result = await simulator.send(VipPattern.BindCredential, {
        vipUserId,
        credentialId: credential.credentialId,
        code: codeAtOffset(credential, 1),
      });

      expect(statusOf(result)).toBe('6026');
    });

    it('bind code cannot authenticate later', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const result = await authenticate(simulator, vipUserId, codeAtOffset(credential, 0));

      expect(statusOf(result)).toBe('49B6');
    });

    it('unbinds, and then the user has no credential (6007)', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const unbind = await simulator.send(VipPattern.UnbindCredential, {
        vipUserId,
        credentialId: credential.credentialId,
      });
      const again = await simulator.send(VipPattern.UnbindCredential, {
        vipUserId,
        credentialId: credential.credentialId,
      });

      expect(statusOf(unbind)).toBe('0000');
      expect(statusOf(again)).toBe('6007');
      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
        '6007',
      );
    });

    it('unknown user 6003, credential 6004', async () => {
      const credential = await provisionCredential(simulator);
      const vipUserId = await createUser(simulator);

      expect(
        statusOf(
          await simulator.send(VipPattern.BindCredential, {
            vipUserId: 'nobody-here',
            credentialId: credential.credentialId,
            code: '123456',
          }),
        ),
      ).toBe('6003');
      expect(
        statusOf(
          await simulator.send(VipPattern.BindCredential, {
            vipUserId,
            credentialId: 'SYMC99999998',
            code: '123456',
          }),
        ),
      ).toBe('6004');
      expect(statusOf(await authenticate(simulator, 'nobody-here', '123456'))).toBe('6003');
    });
  });

  describe('validation window and replay', () => {
    it('accepts a code one step behind', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      // The bind consumed the current step. Clearing the replay mark lets the
      // window alone decide on the previous step's code.
      await queryDatabase(
        simulator.databaseUrl,
        'UPDATE vip.credentials SET last_accepted_step = -1 WHERE credential_id = $1',
        [credential.credentialId],
      );

      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, -1)))).toBe(
        '0000',
      );
    });

    it('accepts a code one step ahead', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);

      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
        '0000',
      );
    });

    it.each([-2, 2])('code %i steps away gets 604A', async (offset) => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const result = await authenticate(simulator, vipUserId, codeAtOffset(credential, offset));

      expect(statusOf(result)).toBe('604A');
      expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(1);
    });

    it('replay gets 49B6, counts nothing', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const code = codeAtOffset(credential, 1);

      expect(statusOf(await authenticate(simulator, vipUserId, code))).toBe('0000');
      expect(statusOf(await authenticate(simulator, vipUserId, code))).toBe('49B6');
      expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(0);
    });

    it('rejects a code older than the last accepted one', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);

      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
        '0000',
      );
      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 0)))).toBe(
        '49B6',
      );
    });

    it('one of 10 concurrent replays wins', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const code = codeAtOffset(credential, 1);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => authenticate(simulator, vipUserId, code)),
      );
      const statuses = results.map(statusOf);

      expect(statuses.filter((status) => status === '0000')).toHaveLength(1);
      expect(statuses.filter((status) => status === '49B6')).toHaveLength(9);
    });

    it('returns the matching credential in the reply', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const result = await simulator.send<VipReply<AuthenticateReply>>(VipPattern.Authenticate, {
        vipUserId,
        code: codeAtOffset(credential, 1),
      });

      expect(dataOf(result)).toEqual({
        vipUserId,
        credentialId: credential.credentialId,
        usedTemporaryCode: false,
      });
    });
  });

  describe('concurrent authentications', () => {
    it('accepts concurrent codes of users', async () => {
      const users: Array<Awaited<ReturnType<typeof createBoundUser>>> = [];
      for (let index = 0; index < 24; index += 1) {
        users.push(await createBoundUser(simulator));
      }
      await waitForStepMargin();
      const stepBefore = timeStepAt(Date.now());

      const results = await Promise.all(
        users.map(({ vipUserId, credential }) =>
          authenticate(simulator, vipUserId, codeAtOffset(credential, 1)),
        ),
      );

      expect(results.map(statusOf)).toEqual(users.map(() => '0000'));
      results.forEach((result, index) => {
        expect(dataOf(result).credentialId).toBe(users[index].credential.credentialId);
      });
      const rows = await queryDatabase<{ credential_id: string; last_accepted_step: number }>(
        simulator.databaseUrl,
        'SELECT credential_id, last_accepted_step FROM vip.credentials WHERE credential_id = ANY($1)',
        [users.map(({ credential }) => credential.credentialId)],
      );
      expect(rows).toHaveLength(users.length);
      rows.forEach((row) => {
        expect(row.last_accepted_step).toBe(stepBefore + 1);
      });
      const events = await queryDatabase<{ count: string }>(
        simulator.databaseUrl,
        `SELECT count(*) FROM vip.validation_events
          WHERE operation = 'AUTHENTICATE' AND outcome = 'SUCCESS' AND vip_user_id = ANY($1)`,
        [users.map(({ vipUserId }) => vipUserId)],
      );
      expect(Number(events[0].count)).toBe(users.length);
    });

    it('one winner per user in replay burst', async () => {
      const users: Array<Awaited<ReturnType<typeof createBoundUser>>> = [];
      for (let index = 0; index < 6; index += 1) {
        users.push(await createBoundUser(simulator));
      }
      await waitForStepMargin();

      const requests = users.flatMap(({ vipUserId, credential }) => {
        const code = codeAtOffset(credential, 1);

        return Array.from({ length: 5 }, () => ({ vipUserId, code }));
      });
      const results = await Promise.all(
        requests.map(({ vipUserId, code }) => authenticate(simulator, vipUserId, code)),
      );

      for (const { vipUserId } of users) {
        const statuses = results
          .filter((_result, index) => requests[index].vipUserId === vipUserId)
          .map(statusOf);
        expect(statuses.filter((status) => status === '0000')).toHaveLength(1);
        expect(statuses.filter((status) => status === '49B6')).toHaveLength(4);
      }
    });

    it('accepts two credentials of one user', async () => {
      const { vipUserId, credential: first } = await createBoundUser(simulator);
      const second = await provisionCredential(simulator);
      await bindWithCurrentCode(simulator, vipUserId, second);
      await waitForStepMargin();

      const results = await Promise.all([
        authenticate(simulator, vipUserId, codeAtOffset(first, 1)),
        authenticate(simulator, vipUserId, codeAtOffset(second, 1)),
      ]);

      expect(results.map(statusOf)).toEqual(['0000', '0000']);
      expect(results.map((result) => dataOf(result).credentialId)).toEqual([
        first.credentialId,
        second.credentialId,
      ]);
    });

    it('orders a success before a racing unbind', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const order: string[] = [];
      const holder = await holdCredentialRow(simulator, credential.credentialId);
      let authenticated: Promise<unknown>;
      let unbound: Promise<unknown>;
      try {
        authenticated = authenticate(simulator, vipUserId, codeAtOffset(credential, 1)).then(
          (result) => order.push(`authenticate ${statusOf(result)}`),
        );
        // The acceptance now waits for the held credential row.
        await sleep(300);
        unbound = simulator
          .send(VipPattern.UnbindCredential, { vipUserId, credentialId: credential.credentialId })
          .then((result) => order.push(`unbind ${statusOf(result)}`));
        await sleep(300);
      } finally {
        await holder.release();
      }
      await Promise.all([authenticated, unbound]);

      // The unbind waits for the acceptance that locked the binding, so a
      // success is never reported for a binding that was already gone.
      expect(order).toEqual(['authenticate 0000', 'unbind 0000']);
    });

    it('no replay status after a resync', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const holder = await holdCredentialRow(simulator, credential.credentialId);
      let result: Awaited<ReturnType<typeof authenticate>>;
      try {
        const pending = authenticate(simulator, vipUserId, codeAtOffset(credential, 1));
        await sleep(300);
        // The drift changes while the acceptance waits, as a resync would change it.
        await holder.client.query(
          'UPDATE vip.credentials SET drift_steps = 10 WHERE credential_id = $1',
          [credential.credentialId],
        );
        await holder.release();
        result = await pending;
      } finally {
        await holder.release();
      }

      expect(statusOf(result)).toBe('604A');
      const [row] = await queryDatabase<{ last_accepted_step: number }>(
        simulator.databaseUrl,
        'SELECT last_accepted_step FROM vip.credentials WHERE credential_id = $1',
        [credential.credentialId],
      );
      expect(row.last_accepted_step).toBe(timeStepAt(Date.now()));
    });

    it('re-checks binding, state, drift and replay mark', async () => {
      const acceptor = simulator.handle.app.get(AuthenticationAcceptor);
      const { vipUserId, credential } = await createBoundUser(simulator);
      const other = await createUser(simulator);
      const step = timeStepAt(Date.now()) + 1;
      const request = { vipUserId, credentialId: credential.credentialId, step, driftSteps: 0 };
      const setState = (state: string) =>
        queryDatabase(
          simulator.databaseUrl,
          'UPDATE vip.credentials SET state = $2 WHERE credential_id = $1',
          [credential.credentialId, state],
        );

      expect(await acceptor.accept({ ...request, vipUserId: other })).toMatchObject({
        accepted: false,
      });
      expect(await acceptor.accept({ ...request, driftSteps: 2 })).toMatchObject({
        accepted: false,
      });
      await setState(CredentialState.Locked);
      expect(await acceptor.accept(request)).toMatchObject({ accepted: false });
      await setState(CredentialState.Enabled);
      expect(await acceptor.accept({ ...request, step: step - 1 })).toMatchObject({
        accepted: false,
      });
      expect(await acceptor.accept(request)).toMatchObject({ accepted: true });
      expect(await acceptor.accept(request)).toMatchObject({ accepted: false });
    });
  });

  describe('lockout', () => {
    it('locks after ten failures', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const wrong = wrongCodeFor(credential);

      for (let attempt = 1; attempt <= 9; attempt++) {
        expect(statusOf(await authenticate(simulator, vipUserId, wrong))).toBe('6009');
      }
      expect((await getCredential(simulator, credential.credentialId)).state).toBe('ENABLED');
      const lockingReply = await authenticate(simulator, vipUserId, wrong);
      expect(statusOf(lockingReply)).toBe('6009');
      expect(errorOf(lockingReply).detail).toBe(`locked ${credential.credentialId}`);
      const locked = await getCredential(simulator, credential.credentialId);

      expect(locked.state).toBe(CredentialState.Locked);
      expect(locked.failedAttempts).toBe(10);
      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
        '4994',
      );
      expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(10);
    });

    it('resets the failure count on a valid code', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const wrong = wrongCodeFor(credential);
      for (let attempt = 1; attempt <= 9; attempt++) {
        await authenticate(simulator, vipUserId, wrong);
      }

      expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(9);
      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
        '0000',
      );
      expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(0);
    });

    it('counts concurrent failures without losing any', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const wrong = wrongCodeFor(credential);
      await Promise.all(Array.from({ length: 7 }, () => authenticate(simulator, vipUserId, wrong)));

      expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(7);
    });

    it('unlocks a locked credential, which then validates again', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const wrong = wrongCodeFor(credential);
      for (let attempt = 1; attempt <= 10; attempt++) {
        await authenticate(simulator, vipUserId, wrong);
      }
      const unlock = await simulator.send(VipPattern.ChangeCredentialState, {
        credentialId: credential.credentialId,
        action: CredentialAction.Unlock,
      });

      expect(statusOf(unlock)).toBe('0000');
      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
        '0000',
      );
    });
  });

  describe('credential states refuse with their status', () => {
    it.each([
      [CredentialAction.Disable, 'LOST', '4993'],
      [CredentialAction.Deactivate, undefined, '4996'],
    ])('after %s (reason %s) refuses the right code with %s', async (action, reason, status) => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      dataOf(
        await simulator.send(VipPattern.ChangeCredentialState, {
          credentialId: credential.credentialId,
          action,
          reason,
        }),
      );

      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
        status,
      );
      expect((await getCredential(simulator, credential.credentialId)).failedAttempts).toBe(0);
    });

    it('NEW credential gets 4995', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      await queryDatabase(
        simulator.databaseUrl,
        "UPDATE vip.credentials SET state = 'NEW' WHERE credential_id = $1",
        [credential.credentialId],
      );

      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 1)))).toBe(
        '4995',
      );
    });

    it('refuses to bind a disabled credential with 4993', async () => {
      const { credential } = await createBoundUser(simulator);
      await simulator.send(VipPattern.ChangeCredentialState, {
        credentialId: credential.credentialId,
        action: CredentialAction.Disable,
        reason: 'STOLEN',
      });
      const other = await createUser(simulator);
      const result = await simulator.send(VipPattern.BindCredential, {
        vipUserId: other,
        credentialId: credential.credentialId,
        code: codeAtOffset(credential, 1),
      });

      expect(statusOf(result)).toBe('4993');
    });
  });

  describe('resynchronisation', () => {
    it('resync follows a drifted token', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      const sync = await simulator.send(VipPattern.SynchronizeCredential, {
        credentialId: credential.credentialId,
        code1: codeAtOffset(credential, 8),
        code2: codeAtOffset(credential, 9),
      });

      expect(statusOf(sync)).toBe('0000');
      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 10)))).toBe(
        '0000',
      );
    });

    it('current code follows the drift', async () => {
      const { vipUserId, credential } = await createBoundUser(simulator);
      await waitForStepMargin();
      const sync = await simulator.send(VipPattern.SynchronizeCredential, {
        credentialId: credential.credentialId,
        code1: codeAtOffset(credential, 8),
        code2: codeAtOffset(credential, 9),
      });
      const current = dataOf(
        await simulator.send<VipReply<CurrentCode>>(VipPattern.GetCurrentCode, {
          credentialId: credential.credentialId,
        }),
      );

      expect(statusOf(sync)).toBe('0000');
      expect(current.code).toBe(codeAtOffset(credential, 9));
      expect(current.timeStep).toBe(timeStepAt(Date.now()) + 9);
      expect(Date.parse(current.validFrom)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(current.validUntil)).toBeGreaterThan(Date.now());
      expect(statusOf(await authenticate(simulator, vipUserId, codeAtOffset(credential, 10)))).toBe(
        '0000',
      );
    });

    it('non-consecutive codes get 49B5', async () => {
      const { credential } = await createBoundUser(simulator);
      const sync = await simulator.send(VipPattern.SynchronizeCredential, {
        credentialId: credential.credentialId,
        code1: codeAtOffset(credential, 8),
        code2: codeAtOffset(credential, 10),
      });

      expect(statusOf(sync)).toBe('49B5');
    });

    it('rejects codes outside the sync window', async () => {
      const { credential } = await createBoundUser(simulator);
      const sync = await simulator.send(VipPattern.SynchronizeCredential, {
        credentialId: credential.credentialId,
        code1: codeAtOffset(credential, 40),
        code2: codeAtOffset(credential, 41),
      });

      expect(statusOf(sync)).toBe('49B5');
    });
  });
});
