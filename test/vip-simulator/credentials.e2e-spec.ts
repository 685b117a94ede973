import * as OTPAuth from 'otpauth';

import {
  CredentialAction,
  CredentialInfo,
  CredentialState,
  CredentialType,
  CurrentCode,
  VipPattern,
  VipReply,
} from '@app/contract';

import { TRANSITIONS } from '../../apps/vip-simulator/src/credentials/credential-state-machine';
import {
  authenticate,
  createUser,
  dataOf,
  getCredential,
  provisionCredential,
  queryDatabase,
  statusOf,
  waitForStepMargin,
} from '../support/vip-fixtures';
import { TestSimulator, startTestSimulator } from '../support/vip-simulator';

// RFC 6238 Appendix B SHA1 seed "12345678901234567890" in base32.
const RFC_SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('VIP simulator credentials over TCP', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator();
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  describe('provisioning', () => {
    it.each([
      [CredentialType.Mobile, /^SYMC\d{8}$/],
      [CredentialType.Desktop, /^SYDC\d{8}$/],
      [CredentialType.Hardware, /^SYHW\d{8}$/],
    ])('issues a %s credential with its prefix in state NEW', async (type, pattern) => {
      const { provisioned } = await provisionCredential(simulator, type);

      expect(provisioned.credentialId).toMatch(pattern);
      expect(provisioned.type).toBe(type);
      expect(provisioned.state).toBe(CredentialState.New);
      expect(provisioned.secret).toMatch(/^[A-Z2-7]{32}$/);
    });

    it('returns the otpauth URI', async () => {
      const { provisioned } = await provisionCredential(simulator);
      const expected =
        `otpauth://totp/VIP%20Simulator:${provisioned.credentialId}?secret=${provisioned.secret}` +
        '&issuer=VIP%20Simulator&algorithm=SHA1&digits=6&period=30';

      expect(provisioned.otpauthUri).toBe(expected);
    });

    it('never returns the secret again', async () => {
      const { credentialId } = await provisionCredential(simulator);
      const info = await getCredential(simulator, credentialId);

      expect(info).not.toHaveProperty('secret');
      expect(info).not.toHaveProperty('otpauthUri');
    });

    it('stores the secret encrypted, not in clear or base32', async () => {
      const { credentialId, secret, provisioned } = await provisionCredential(simulator);
      const [row] = await queryDatabase<Record<string, Buffer>>(
        simulator.databaseUrl,
        'SELECT secret_iv, secret_ciphertext, secret_auth_tag FROM vip.credentials WHERE credential_id = $1',
        [credentialId],
      );
      const stored = Buffer.concat([row.secret_iv, row.secret_ciphertext, row.secret_auth_tag]);

      expect(row.secret_iv).toHaveLength(12);
      expect(row.secret_auth_tag).toHaveLength(16);
      expect(stored.includes(secret)).toBe(false);
      expect(stored.toString('latin1').includes(provisioned.secret)).toBe(false);
    });

    it('rejects an unknown credential type with 6001', async () => {
      const result = await simulator.send(VipPattern.ProvisionCredential, { type: 'PHONE' });

      expect(statusOf(result)).toBe('6001');
      expect(result.ok ? '' : result.error.message).toContain('type must be one of');
    });
  });

  describe('independent TOTP implementation', () => {
    it('accepts otpauth package codes', async () => {
      await waitForStepMargin();
      const { provisioned } = await provisionCredential(simulator);
      const totp = OTPAuth.URI.parse(provisioned.otpauthUri) as OTPAuth.TOTP;
      const vipUserId = await createUser(simulator);

      expect(totp.issuer).toBe('VIP Simulator');
      expect(totp.label).toBe(provisioned.credentialId);
      const bind = await simulator.send(VipPattern.BindCredential, {
        vipUserId,
        credentialId: provisioned.credentialId,
        code: totp.generate(),
      });
      expect(statusOf(bind)).toBe('0000');
      const next = totp.generate({ timestamp: Date.now() + 30_000 });
      expect(statusOf(await authenticate(simulator, vipUserId, next))).toBe('0000');
    });
  });

  describe('RFC 6238 vectors through the code pattern', () => {
    beforeAll(async () => {
      dataOf(
        await simulator.send(VipPattern.ImportCredential, {
          credentialId: 'VSMT00006238',
          secret: RFC_SECRET_BASE32,
        }),
      );
    });

    it.each([
      ['1970-01-01T00:00:59Z', '287082'],
      ['2005-03-18T01:58:29Z', '081804'],
      ['2005-03-18T01:58:31Z', '050471'],
      ['2009-02-13T23:31:30Z', '005924'],
      ['2033-05-18T03:33:20Z', '279037'],
      ['2603-10-11T11:33:20Z', '353130'],
    ])('returns the RFC code at %s', async (at, code) => {
      const reply = await simulator.send<VipReply<CurrentCode>>(VipPattern.GetCurrentCode, {
        credentialId: 'VSMT00006238',
        at,
      });

      expect(dataOf(reply).code).toBe(code);
    });

    it('rejects a time before 1970 with 6001', async () => {
      const reply = await simulator.send(VipPattern.GetCurrentCode, {
        credentialId: 'VSMT00006238',
        at: '1969-12-31T23:59:00Z',
      });

      expect(statusOf(reply)).toBe('6001');
    });

    it('imports a legacy VSMT ID as a mobile credential', async () => {
      const info = await getCredential(simulator, 'VSMT00006238');

      expect(info.type).toBe(CredentialType.Mobile);
      expect(info.state).toBe(CredentialState.New);
    });

    it('duplicate import gets 6011', async () => {
      const result = await simulator.send(VipPattern.ImportCredential, {
        credentialId: 'VSMT00006238',
        secret: RFC_SECRET_BASE32,
      });

      expect(statusOf(result)).toBe('6011');
    });

    it.each([
      ['27 characters', 'A'.repeat(27)],
      ['33 characters', 'A'.repeat(33)],
      ['non-zero unused bits', `${'A'.repeat(25)}B`],
    ])('rejects a secret of %s with 6001', async (_, secret) => {
      const credentialId = 'VSMT00007777';
      const result = await simulator.send(VipPattern.ImportCredential, { credentialId, secret });
      const stored = await queryDatabase<{ n: number }>(
        simulator.databaseUrl,
        'SELECT count(*)::int AS n FROM vip.credentials WHERE credential_id = $1',
        [credentialId],
      );

      expect(statusOf(result)).toBe('6001');
      expect(result.ok ? '' : result.error.message).toBe(
        'secret must be base32 that decodes to whole bytes (RFC 4648); check its length and its last character',
      );
      expect(stored[0].n).toBe(0);
    });

    it('rejects an unknown prefix with 6001', async () => {
      const result = await simulator.send(VipPattern.ImportCredential, {
        credentialId: 'ABCD00006238',
        secret: RFC_SECRET_BASE32,
      });

      expect(statusOf(result)).toBe('6001');
    });
  });

  describe('state machine', () => {
    /** Puts a fresh credential into the given state through allowed actions and failures. */
    async function credentialInState(state: CredentialState): Promise<string> {
      const { credentialId } = await provisionCredential(simulator);
      const change = (action: CredentialAction, reason?: string) =>
        simulator.send(VipPattern.ChangeCredentialState, { credentialId, action, reason });
      switch (state) {
        case CredentialState.New:
          break;
        case CredentialState.Enabled:
          dataOf(await change(CredentialAction.Activate));
          break;
        case CredentialState.Disabled:
          dataOf(await change(CredentialAction.Activate));
          dataOf(await change(CredentialAction.Disable, 'LOST'));
          break;
        case CredentialState.Inactive:
          dataOf(await change(CredentialAction.Deactivate));
          break;
        case CredentialState.Locked:
          await queryDatabase(
            simulator.databaseUrl,
            "UPDATE vip.credentials SET state = 'LOCKED', failed_attempts = 10 WHERE credential_id = $1",
            [credentialId],
          );
          break;
      }

      return credentialId;
    }

    const cases = Object.values(CredentialAction).flatMap((action) =>
      Object.values(CredentialState).map((state) => ({
        action,
        state,
        allowed: TRANSITIONS[action].from.includes(state),
        target: TRANSITIONS[action].to,
      })),
    );

    it.each(cases)(
      '$action from $state: allowed $allowed',
      async ({ action, state, allowed, target }) => {
        const credentialId = await credentialInState(state);
        const reason = action === CredentialAction.Disable ? 'STOLEN' : undefined;
        const result = await simulator.send<VipReply<CredentialInfo>>(
          VipPattern.ChangeCredentialState,
          { credentialId, action, reason },
        );
        const after = await getCredential(simulator, credentialId);

        if (allowed) {
          expect(statusOf(result)).toBe('0000');
          expect(after.state).toBe(target);
          expect(after.failedAttempts).toBe(0);
        } else {
          expect(statusOf(result)).toBe('6013');
          expect(after.state).toBe(state);
        }
      },
    );

    it('keeps the disable reason until enabled', async () => {
      const credentialId = await credentialInState(CredentialState.Disabled);

      expect((await getCredential(simulator, credentialId)).disabledReason).toBe('LOST');
      await simulator.send(VipPattern.ChangeCredentialState, {
        credentialId,
        action: CredentialAction.Enable,
      });
      expect((await getCredential(simulator, credentialId)).disabledReason).toBeNull();
    });

    it('requires a reason for DISABLE', async () => {
      const credentialId = await credentialInState(CredentialState.Enabled);
      const result = await simulator.send(VipPattern.ChangeCredentialState, {
        credentialId,
        action: CredentialAction.Disable,
      });

      expect(statusOf(result)).toBe('6001');
      expect(result.ok ? '' : result.error.message).toContain('reason is required');
    });

    it('unknown credential state change gets 6004', async () => {
      const result = await simulator.send(VipPattern.ChangeCredentialState, {
        credentialId: 'SYMC99999999',
        action: CredentialAction.Activate,
      });

      expect(statusOf(result)).toBe('6004');
    });
  });
});
