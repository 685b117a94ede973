import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 6238 time step in seconds, as used by VIP credentials. */
export const TIME_STEP_SECONDS = 30;

/** Digits of a VIP security code. */
export const CODE_DIGITS = 6;

const TWO_TO_THE_32 = 2 ** 32;

/** Returns the RFC 6238 time step that contains the given instant. */
export function timeStepAt(atMs: number): number {
  return Math.floor(atMs / 1000 / TIME_STEP_SECONDS);
}

/**
 * Computes the RFC 4226 HOTP value of a counter: HMAC-SHA1 of the counter as
 * 8 big-endian bytes, then dynamic truncation to `digits` decimal digits.
 * The HMAC runs in node:crypto (OpenSSL). otplib 13 computes it in
 * JavaScript, and with its option handling that took about a fifth of the
 * simulator's CPU time per authentication in the authenticate benchmark.
 */
function computeHotp(secret: Buffer, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeUInt32BE(Math.floor(counter / TWO_TO_THE_32), 0);
  message.writeUInt32BE(counter % TWO_TO_THE_32, 4);
  const digest = createHmac('sha1', secret).update(message).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const truncated = digest.readUInt32BE(offset) & 0x7fffffff;

  return String(truncated % 10 ** digits).padStart(digits, '0');
}

/**
 * Computes the TOTP code (RFC 6238: HMAC-SHA1, 30-second step) of a raw
 * secret at an instant. Pure: the result depends only on the arguments.
 */
export function computeTotp(secret: Buffer, atMs: number, digits: 6 | 8 = CODE_DIGITS): string {
  return computeHotp(secret, timeStepAt(atMs), digits);
}

/** Computes the code of one time step. */
export function computeTotpForStep(secret: Buffer, step: number): string {
  return computeHotp(secret, step, CODE_DIGITS);
}

/**
 * Finds the time step within `windowSteps` of `centerStep` whose code equals
 * `code`, or returns null. Steps are tried from the center outwards, earlier
 * before later, and each comparison takes the same time wherever the codes
 * differ. Anything but six ASCII digits never matches.
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
  const expected = Buffer.from(code);
  for (let distance = 0; distance <= windowSteps; distance++) {
    const candidates =
      distance === 0 ? [centerStep] : [centerStep - distance, centerStep + distance];
    for (const step of candidates) {
      if (timingSafeEqual(Buffer.from(computeTotpForStep(secret, step)), expected)) {
        return step;
      }
    }
  }

  return null;
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
