import { Client } from 'pg';

import {
  AuthenticateReply,
  CredentialInfo,
  CredentialType,
  ProvisionedCredential,
  VipPattern,
  VipReply,
  VipError,
  VipUserInfo,
} from '@app/contract';

import { decodeBase32 } from '../../apps/vip-simulator/src/totp/base32';
import {
  TIME_STEP_SECONDS,
  computeTotpForStep,
  timeStepAt,
} from '../../apps/vip-simulator/src/totp/totp';
import { SendResult, TestSimulator } from './vip-simulator';

const STEP_MS = TIME_STEP_SECONDS * 1000;

/** A provisioned credential with its raw secret, so tests can compute codes themselves. */
export interface TestCredential {
  credentialId: string;
  secret: Buffer;
  provisioned: ProvisionedCredential;
}

let userCounter = 0;

/** Returns a VIP user ID that no other test in the run uses. */
export function uniqueUserId(prefix = 'user'): string {
  userCounter += 1;

  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${userCounter}`;
}

/** Unwraps a successful reply's data, failing the test with the VIP error otherwise. */
export function dataOf<T>(result: SendResult<VipReply<T>>): T;
export function dataOf(result: SendResult): unknown;
export function dataOf(result: SendResult): unknown {
  if (!result.ok) {
    throw new Error(`expected success, got VIP error ${JSON.stringify(result.error)}`);
  }

  return (result.reply as VipReply<unknown>).data;
}

/** Returns the VIP error of a failed result, failing the test on a success. */
export function errorOf(result: SendResult): VipError {
  if (result.ok) {
    throw new Error(`expected a VIP error, got ${JSON.stringify(result.reply)}`);
  }

  return result.error;
}

/** Returns the VIP status of a result: 0000 for success. */
export function statusOf(result: SendResult): string {
  return result.ok ? '0000' : result.error.status;
}

/**
 * Waits until at least `marginMs` remain in the current time step, so that a
 * test computing codes for "now" does not straddle a step boundary.
 */
export async function waitForStepMargin(marginMs = 6_000): Promise<void> {
  const remaining = STEP_MS - (Date.now() % STEP_MS);
  if (remaining < marginMs) {
    await new Promise((resolve) => setTimeout(resolve, remaining + 50));
  }
}

/** Waits until the next time step begins. */
export async function waitForNextStep(): Promise<void> {
  const remaining = STEP_MS - (Date.now() % STEP_MS);
  await new Promise((resolve) => setTimeout(resolve, remaining + 50));
}

/** Computes the code of the step `offsetSteps` away from the current one. */
export function codeAtOffset(credential: TestCredential, offsetSteps: number): string {
  return computeTotpForStep(credential.secret, timeStepAt(Date.now()) + offsetSteps);
}

/**
 * Returns a six-digit code that matches no step within `spanSteps` of now,
 * so the simulator judges it wrong (6009 or 49B5) and not out of sync (604A).
 * The default span covers the default sync window of 20 steps with a margin.
 */
export function wrongCodeFor(
  credential: TestCredential,
  spanSteps = 25,
  exclude: string[] = [],
): string {
  const taken = new Set(exclude);
  for (let offset = -spanSteps; offset <= spanSteps; offset++) {
    taken.add(codeAtOffset(credential, offset));
  }
  let candidate = 0;
  while (taken.has(candidate.toString().padStart(6, '0'))) {
    candidate += 1;
  }

  return candidate.toString().padStart(6, '0');
}

export async function provisionCredential(
  simulator: TestSimulator,
  type: CredentialType = CredentialType.Mobile,
): Promise<TestCredential> {
  const provisioned = dataOf(
    await simulator.send<VipReply<ProvisionedCredential>>(VipPattern.ProvisionCredential, { type }),
  );

  return {
    credentialId: provisioned.credentialId,
    secret: decodeBase32(provisioned.secret),
    provisioned,
  };
}

export async function createUser(
  simulator: TestSimulator,
  vipUserId = uniqueUserId(),
): Promise<string> {
  dataOf(await simulator.send<VipReply<VipUserInfo>>(VipPattern.CreateUser, { vipUserId }));

  return vipUserId;
}

/** Binds a credential to a user with the current code, failing the test on an error. */
export async function bindWithCurrentCode(
  simulator: TestSimulator,
  vipUserId: string,
  credential: TestCredential,
): Promise<void> {
  dataOf(
    await simulator.send(VipPattern.BindCredential, {
      vipUserId,
      credentialId: credential.credentialId,
      code: codeAtOffset(credential, 0),
    }),
  );
}

/**
 * Provisions a credential, creates a user and binds them with the current
 * code, so the credential is ENABLED and its last accepted step is the current one.
 */
export async function createBoundUser(
  simulator: TestSimulator,
): Promise<{ vipUserId: string; credential: TestCredential }> {
  await waitForStepMargin();
  const credential = await provisionCredential(simulator);
  const vipUserId = await createUser(simulator);
  await bindWithCurrentCode(simulator, vipUserId, credential);

  return { vipUserId, credential };
}

export function authenticate(
  simulator: TestSimulator,
  vipUserId: string,
  code: string,
): Promise<SendResult<VipReply<AuthenticateReply>>> {
  return simulator.send<VipReply<AuthenticateReply>>(VipPattern.Authenticate, { vipUserId, code });
}

export async function getCredential(
  simulator: TestSimulator,
  credentialId: string,
): Promise<CredentialInfo> {
  return dataOf(
    await simulator.send<VipReply<CredentialInfo>>(VipPattern.GetCredential, { credentialId }),
  );
}

/** Runs SQL against the simulator's database, for checks of what is stored at rest. */
export async function queryDatabase<T extends object>(
  databaseUrl: string,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, parameters)).rows;
  } finally {
    await client.end();
  }
}
