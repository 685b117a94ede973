import * as OTPAuth from 'otpauth';

/** RFC 6238 time step used by the simulator: 30 seconds. */
export const TIME_STEP_MS = 30_000;

/**
 * A credential holder whose codes the benchmark computes itself from the
 * provisioning secret, with the otpauth package.
 */
export interface CodeAccount<T> {
  /** Caller data carried with the account, such as a username or a VIP user ID. */
  owner: T;
  totp: OTPAuth.TOTP;
  /** Last time step sent for this credential; the simulator rejects any step at or before it. */
  lastStep: number;
  busy: boolean;
}

export interface FreshCode<T> {
  account: CodeAccount<T>;
  code: string;
  step: number;
}

export interface FreshCodePoolOptions {
  /** Steps either side of the current one that the simulator accepts (VIP_WINDOW_STEPS). */
  windowSteps: number;
  /**
   * In the last part of a step the oldest step of the window is skipped,
   * because the window may move on before the request reaches the simulator.
   */
  safetyMarginMs: number;
}

/** Builds a TOTP generator from a provisioning URI, as an authenticator app would. */
export function totpFromUri(otpauthUri: string): OTPAuth.TOTP {
  const parsed = OTPAuth.URI.parse(otpauthUri);
  if (!(parsed instanceof OTPAuth.TOTP) || parsed.period * 1000 !== TIME_STEP_MS) {
    throw new Error(`expected an otpauth://totp/ URI with a 30-second period, got ${otpauthUri}`);
  }

  return parsed;
}

export function currentStep(nowMs = Date.now()): number {
  return Math.floor(nowMs / TIME_STEP_MS);
}

/**
 * Hands out codes that the simulator will accept exactly once. The simulator
 * accepts a code only for a time step later than the credential's last
 * accepted step and within the window around the current step, so one
 * credential yields at most (2 × window + 1) codes at once and then one per
 * 30 seconds. The pool therefore rotates over many credentials, gives each
 * account to one request at a time (so steps arrive in order), and uses the
 * oldest step still inside the window first.
 */
export class FreshCodePool<T> {
  private cursor = 0;

  constructor(
    private readonly accounts: Array<CodeAccount<T>> = [],
    private readonly options: FreshCodePoolOptions = { windowSteps: 1, safetyMarginMs: 3_000 },
  ) {}

  get size(): number {
    return this.accounts.length;
  }

  add(owner: T, totp: OTPAuth.TOTP): CodeAccount<T> {
    const account: CodeAccount<T> = { owner, totp, lastStep: -1, busy: false };
    this.accounts.push(account);

    return account;
  }

  /** Returns a fresh code and marks its account busy, or undefined when none is free now. */
  acquire(nowMs = Date.now()): FreshCode<T> | undefined {
    for (let checked = 0; checked < this.accounts.length; checked += 1) {
      const account = this.accounts[this.cursor];
      this.cursor = (this.cursor + 1) % this.accounts.length;
      const fresh = this.take(account, nowMs);
      if (fresh) {
        return fresh;
      }
    }

    return undefined;
  }

  /** Returns a fresh code of this account and marks it busy, or undefined when it has none now. */
  take(account: CodeAccount<T>, nowMs = Date.now()): FreshCode<T> | undefined {
    if (account.busy) {
      return undefined;
    }
    const step = this.nextStep(account, nowMs);
    if (step === undefined) {
      return undefined;
    }
    account.busy = true;
    account.lastStep = step;

    return { account, step, code: account.totp.generate({ timestamp: step * TIME_STEP_MS }) };
  }

  /** Makes the account available again; its last step stays used whatever the outcome. */
  release(account: CodeAccount<T>): void {
    account.busy = false;
  }

  releaseAll(): void {
    for (const account of this.accounts) {
      account.busy = false;
    }
  }

  /** Counts the codes the idle accounts can give right now. */
  capacity(nowMs = Date.now()): number {
    let total = 0;
    for (const account of this.accounts) {
      if (!account.busy) {
        const first = this.nextStep(account, nowMs);
        if (first !== undefined) {
          total += this.highestStep(nowMs) - first + 1;
        }
      }
    }

    return total;
  }

  /**
   * Waits for time steps to pass until the pool can give `needed` codes, so a
   * run never starves in the middle. Throws when the pool is too small for
   * that many codes even with fresh steps.
   */
  async waitForCapacity(needed: number, log: (line: string) => void): Promise<void> {
    if (this.accounts.length === 0) {
      throw new Error('The code pool has no credentials');
    }
    const maxSteps = Math.ceil(needed / this.accounts.length) + 2;
    for (let waited = 0; this.capacity() < needed; waited += 1) {
      if (waited > maxSteps) {
        throw new Error(
          `The code pool has ${this.accounts.length} credentials but cannot give ${needed} codes; ` +
            'lower the number of operations per run or raise the number of benchmark credentials',
        );
      }
      const untilNextStepMs = TIME_STEP_MS - (Date.now() % TIME_STEP_MS) + 200;
      log(
        `  waiting ${(untilNextStepMs / 1000).toFixed(1)} s for the next time step ` +
          `(${this.capacity()} fresh codes, ${needed} needed)`,
      );
      await new Promise((done) => setTimeout(done, untilNextStepMs));
    }
  }

  private highestStep(nowMs: number): number {
    return currentStep(nowMs) + this.options.windowSteps;
  }

  private nextStep(account: CodeAccount<T>, nowMs: number): number | undefined {
    const step = currentStep(nowMs);
    const lateInStep = nowMs % TIME_STEP_MS > TIME_STEP_MS - this.options.safetyMarginMs;
    const lowest = step - this.options.windowSteps + (lateInStep ? 1 : 0);
    const candidate = Math.max(account.lastStep + 1, lowest);

    return candidate <= this.highestStep(nowMs) ? candidate : undefined;
  }
}
