import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { ApiResponse, requestJson } from './http';
import { CodeSource, codeSourceFromUri, waitForNextTimeStep } from './totp';

export interface DemoOptions {
  authUrl: string;
  operatorApiKey: string;
  /** Command line that runs the tester CLI, such as ['node', 'dist/scripts/vip-cli.js']. */
  vipCli: string[];
  log: (line: string) => void;
}

/** Raised when a step's result is not what the product promises. */
export class DemoStepError extends Error {}

function expect(condition: boolean, what: string, response?: ApiResponse): void {
  if (!condition) {
    const detail = response ? ` (HTTP ${response.status} ${JSON.stringify(response.body)})` : '';
    throw new DemoStepError(`${what}${detail}`);
  }
}

/** Walks the secure-token story against a running system and throws on the first wrong result. */
export class SecureTokenDemo {
  private readonly api: string;
  private readonly operator: Record<string, string>;
  private adminSession: Record<string, string> = {};
  private userId = '';
  private credentialId = '';
  private codes: CodeSource | undefined;
  private readonly suffix = Date.now().toString(36);
  private readonly username = `demo.user.${this.suffix}`;
  private readonly password = 'Walkthrough-Pass-1';
  private readonly pin = '0427';

  constructor(private readonly options: DemoOptions) {
    this.api = `${options.authUrl}/api/v1`;
    this.operator = { 'x-operator-key': options.operatorApiKey };
  }

  async run(): Promise<void> {
    await this.provisionAndEnable();
    const firstChallenge = await this.loginExpecting('TOKEN_REGISTRATION_REQUIRED');
    await this.issueCredential();
    const session = await this.register(
      firstChallenge,
      '4. The user registers the credential ID, a current code and a chosen PIN',
    );
    const stepUpSession = await this.stepUpWithFreshCode(session);
    await this.lockWithWrongAttempts(stepUpSession);
    await this.unlockWithResetAndRegisterAgain();
    await this.disableCredentialInVipManager();
  }

  private say(line: string): void {
    this.options.log(line);
  }

  private async provisionAndEnable(): Promise<void> {
    this.say('1. The operator provisions secure tokens; the administrator enables them');
    const adminUsername = `demo.fi.admin.${this.suffix}`;
    const adminPassword = 'Walkthrough-Admin-1';
    const created = await requestJson(`${this.api}/operator/institutions`, 'POST', this.operator, {
      name: `Walkthrough Bank ${this.suffix}`,
      adminUsername,
      adminPassword,
    });
    expect(created.status === 201, 'the operator could not create the institution', created);
    const institution = (created.body.institution ?? created.body) as { id: string };

    const early = await this.adminLoginThenEnable(adminUsername, adminPassword);
    expect(early.status === 409, 'enabling before provisioning was not refused with 409', early);
    this.say(`   enabling before provisioning is refused: "${String(early.body.message)}"`);

    const provisioned = await requestJson(
      `${this.api}/operator/institutions/${institution.id}/secure-token/provision`,
      'POST',
      this.operator,
      { supportCaseReference: `CASE-${this.suffix.toUpperCase()}` },
    );
    expect(provisioned.status === 201, 'the operator could not provision tokens', provisioned);
    this.say(`   provisioned under support case CASE-${this.suffix.toUpperCase()}`);

    const user = await requestJson(`${this.api}/admin/users`, 'POST', this.adminSession, {
      username: this.username,
      password: this.password,
      role: 'USER',
    });
    expect(user.status === 201, 'the administrator could not create a user', user);
    this.userId = String(user.body.id);

    const enabled = await requestJson(`${this.api}/admin/secure-token`, 'PUT', this.adminSession, {
      enabled: true,
    });
    expect(enabled.status === 200, 'the administrator could not enable tokens', enabled);
    this.say(`   secure tokens are enabled; Back Office user "${this.username}" was created`);
  }

  private async adminLoginThenEnable(username: string, password: string): Promise<ApiResponse> {
    const login = await requestJson(`${this.api}/auth/login`, 'POST', {}, { username, password });
    expect(login.body.status === 'AUTHENTICATED', 'the administrator could not log in', login);
    this.adminSession = { authorization: `Bearer ${String(login.body.sessionToken)}` };

    return requestJson(`${this.api}/admin/secure-token`, 'PUT', this.adminSession, {
      enabled: true,
    });
  }

  private async loginExpecting(status: string): Promise<string> {
    const login = await requestJson(
      `${this.api}/auth/login`,
      'POST',
      {},
      { username: this.username, password: this.password },
    );
    expect(
      login.status === 200 && login.body.status === status,
      `login did not answer ${status}`,
      login,
    );

    return String(login.body.challengeToken);
  }

  private async issueCredential(): Promise<void> {
    this.say('2. The user logs in with a password and is told to register a token');
    this.say('3. A tester issues a mobile credential with the simulator CLI');
    const [command, ...args] = this.options.vipCli;
    const output = execFileSync(command, [...args, 'issue', '--type', 'MOBILE', '--json'], {
      encoding: 'utf8',
    });
    const credential = JSON.parse(output) as { credentialId: string; otpauthUri: string };
    this.credentialId = credential.credentialId;
    this.codes = codeSourceFromUri(credential.otpauthUri);
    this.say(`   credential ${this.credentialId}; codes computed with ${this.codes.name}`);
  }

  private currentCode(): string {
    return (this.codes as CodeSource).codeAt(Date.now());
  }

  private async register(challengeToken: string, heading: string): Promise<Record<string, string>> {
    this.say(heading);
    const registered = await requestJson(
      `${this.api}/auth/register`,
      'POST',
      {},
      {
        challengeToken,
        credentialId: this.credentialId,
        securityCode: this.currentCode(),
        pin: this.pin,
      },
    );
    expect(
      registered.status === 200 && registered.body.status === 'AUTHENTICATED',
      'registration did not sign the user in',
      registered,
    );
    this.say('   registered and signed in');

    return { authorization: `Bearer ${String(registered.body.sessionToken)}` };
  }

  private async stepUpWithFreshCode(
    previous: Record<string, string>,
  ): Promise<Record<string, string>> {
    await requestJson(`${this.api}/auth/logout`, 'POST', previous);
    this.say('5. The user logs in again and steps up with a fresh code and the PIN');
    const challengeToken = await this.loginExpecting('TOKEN_REQUIRED');
    await waitForNextTimeStep((line) => this.say(line));
    const stepUp = await requestJson(
      `${this.api}/auth/step-up`,
      'POST',
      {},
      {
        challengeToken,
        securityCode: this.currentCode(),
        pin: this.pin,
      },
    );
    expect(
      stepUp.status === 200 && stepUp.body.status === 'AUTHENTICATED',
      'step-up failed',
      stepUp,
    );
    this.say('   stepped up and signed in');

    return { authorization: `Bearer ${String(stepUp.body.sessionToken)}` };
  }

  private async lockWithWrongAttempts(session: Record<string, string>): Promise<void> {
    this.say('6. Three wrong attempts lock the user');
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const challengeToken = await this.loginExpecting('TOKEN_REQUIRED');
      const wrong = await requestJson(
        `${this.api}/auth/step-up`,
        'POST',
        {},
        {
          challengeToken,
          securityCode: this.currentCode() === '000000' ? '111111' : '000000',
          pin: this.pin,
        },
      );
      expect(wrong.status === 401, `wrong attempt ${attempt} was not refused with 401`, wrong);
      this.say(`   attempt ${attempt}: refused (${String(wrong.body.message)})`);
    }
    const me = await requestJson(`${this.api}/auth/me`, 'GET', session);
    const failures = (me.body.failedAttemptsSinceLastLogin ?? []) as unknown[];
    expect(
      me.status === 200 && failures.length === 3,
      'the last-login view does not list 3 failures',
      me,
    );
    this.say(`   the user's last-login view lists ${failures.length} failed attempts`);
    const locked = await requestJson(
      `${this.api}/auth/login`,
      'POST',
      {},
      { username: this.username, password: this.password },
    );
    this.say(
      `   logging in now answers: HTTP ${locked.status} ${String(locked.body.status ?? locked.body.message)}`,
    );
  }

  private async settings(): Promise<Record<string, unknown>> {
    const response = await requestJson(
      `${this.api}/admin/users/${this.userId}/authentication-settings`,
      'GET',
      this.adminSession,
    );
    expect(response.status === 200, 'the administrator could not read the settings', response);

    return response.body;
  }

  private async unlockWithResetAndRegisterAgain(): Promise<void> {
    this.say('7. The administrator views the settings, unlocks with registration reset');
    const before = await this.settings();
    expect(before.userAuthenticationStatus === 'LOCKED', 'status is not LOCKED');
    expect(before.credentialState === 'ENABLED', 'credential state is not ENABLED');
    expect(typeof before.vipUserId === 'string', 'the settings have no VIP User ID');
    expect(before.vipUserId !== '', 'the VIP User ID is empty');
    this.say(
      `   User Authentication Status ${String(before.userAuthenticationStatus)}, ` +
        `Credential State ${String(before.credentialState)}, VIP User ID ${String(before.vipUserId)}`,
    );
    const unlocked = await requestJson(
      `${this.api}/admin/users/${this.userId}/unlock`,
      'POST',
      this.adminSession,
      { resetRegistration: true },
    );
    expect(unlocked.status === 200 || unlocked.status === 201, 'unlock failed', unlocked);
    const challengeToken = await this.loginExpecting('TOKEN_REGISTRATION_REQUIRED');
    await waitForNextTimeStep((line) => this.say(line));
    await this.register(challengeToken, '   the user registers the same credential again');
  }

  private async disableCredentialInVipManager(): Promise<void> {
    this.say(
      '8. In VIP Manager the credential is disabled; the user must contact the administrator',
    );
    const [command, ...args] = this.options.vipCli;
    execFileSync(
      command,
      [...args, 'state', this.credentialId, 'DISABLE', '--reason', 'LOST', '--json'],
      { encoding: 'utf8' },
    );
    const after = await this.settings();
    expect(after.credentialState === 'DISABLED', 'credential state is not DISABLED');
    this.say(`   the administrator sees Credential State ${String(after.credentialState)}`);
    const challengeToken = await this.loginExpecting('TOKEN_REQUIRED');
    const refused = await requestJson(
      `${this.api}/auth/step-up`,
      'POST',
      {},
      {
        challengeToken,
        securityCode: this.currentCode(),
        pin: this.pin,
      },
    );
    expect(refused.status === 403, 'the step-up was not refused with 403', refused);
    expect(
      /administrator/i.test(String(refused.body.message)),
      'the message does not name the administrator',
      refused,
    );
    this.say(`   the user is told: "${String(refused.body.message)}"`);
  }
}

export const DEFAULT_VIP_CLI = ['node', join(__dirname, '..', 'vip-cli.js')];
