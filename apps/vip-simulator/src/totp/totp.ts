import { timingSafeEqual } from 'node:crypto';

import { generateSync, verifySync } from 'otplib';

/** RFC 6238 time step in seconds, as used by VIP credentials. */
export const TIME_STEP_SECONDS = 30;

/** Digits of a VIP security code. */
export const CODE_DIGITS = 6;

/** Returns the RFC 6238 time step that contains the given instant. */
export function timeStepAt(atMs: number): number {
  return Math.floor(atMs / 1000 / TIME_STEP_SECONDS);
}

/**
 * Computes the TOTP code (HMAC-SHA1, 30-second step) of a raw secret at an
 * instant, with otplib. Pure: the result depends only on the arguments.
 */
export function computeTotp(secret: Buffer, atMs: number, digits: 6 | 8 = CODE_DIGITS): string {
  return generateSync({
    strategy: 'totp',
    secret: new Uint8Array(secret),
    epoch: Math.floor(atMs / 1000),
    period: TIME_STEP_SECONDS,
    digits,
    algorithm: 'sha1',
  });
}

/** Computes the code of one time step. */
export function computeTotpForStep(secret: Buffer, step: number): string {
  return computeTotp(secret, step * TIME_STEP_SECONDS * 1000);
}

/**
 * Finds the time step within `windowSteps` of `centerStep` whose code equals
 * `code`, or returns null. otplib's verify throws on a token of the wrong
 * length, so anything but six ASCII digits is treated as a mismatch here.
 */
export function findMatchingStep(
  secret: Buffer,
  code: string,
  centerStep: number,
  windowSteps: number,
): number | null {
  if (!/^[0-9]{6}$/.test(code)) {
    return null;
  }
  try {
    const result = verifySync({
      strategy: 'totp',
      secret: new Uint8Array(secret),
      token: code,
      epoch: centerStep * TIME_STEP_SECONDS,
      period: TIME_STEP_SECONDS,
      digits: CODE_DIGITS,
      algorithm: 'sha1',
      epochTolerance: windowSteps * TIME_STEP_SECONDS,
    });

    return result.valid ? (result as { timeStep: number }).timeStep : null;
  } catch {
    return null;
  }
}

/**
 * Finds a step `s` within `windowSteps` of `centerStep` where `code1` is the
 * code of `s` and `code2` the code of `s + 1`, for resynchronisation. Returns
 * the later step, `s + 1`, or null when no such pair exists.
 */
export function findConsecutiveSteps(
  secret: Buffer,
  code1: string,
  code2: string,
  centerStep: number,
  windowSteps: number,
): number | null {
  const expectedFirst = Buffer.from(code1);
  const expectedSecond = Buffer.from(code2);
  if (expectedFirst.length !== CODE_DIGITS || expectedSecond.length !== CODE_DIGITS) {
    return null;
  }
  for (let step = centerStep - windowSteps; step <= centerStep + windowSteps; step++) {
    const first = Buffer.from(computeTotpForStep(secret, step));
    if (!timingSafeEqual(first, expectedFirst)) {
      continue;
    }
    const second = Buffer.from(computeTotpForStep(secret, step + 1));
    if (timingSafeEqual(second, expectedSecond)) {
      return step + 1;
    }
  }

  return null;
}
