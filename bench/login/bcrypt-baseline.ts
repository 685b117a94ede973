import * as bcrypt from 'bcrypt';

import { runClosedLoop } from '../lib/closed-loop';
import { RunMeasurement } from '../lib/stats';

/** Hashes made once with the benchmark's cost, compared again on every baseline operation. */
export interface BcryptBaselineHashes {
  password: string;
  passwordHash: string;
  pin: string;
  pinHash: string;
}

export async function prepareBcryptBaseline(
  password: string,
  pin: string,
  cost: number,
): Promise<BcryptBaselineHashes> {
  return {
    password,
    passwordHash: await bcrypt.hash(password, cost),
    pin,
    pinHash: await bcrypt.hash(pin, cost),
  };
}

/**
 * Runs the bcrypt work of `logins` logins and nothing else: per login one
 * password compare and one PIN compare, in sequence, with `concurrency`
 * logins in flight. It uses the same `bcrypt` package, the same cost and, by
 * running in the process that hosts the auth service, the same libuv thread
 * pool as the service under test.
 */
export function runBcryptBaseline(
  hashes: BcryptBaselineHashes,
  logins: number,
  concurrency: number,
): Promise<RunMeasurement> {
  return runClosedLoop({
    operations: logins,
    concurrency,
    operation: async () => {
      const passwordMatches = await bcrypt.compare(hashes.password, hashes.passwordHash);
      const pinMatches = await bcrypt.compare(hashes.pin, hashes.pinHash);
      if (!passwordMatches || !pinMatches) {
        throw new Error('bcrypt compare returned false for the value that was hashed');
      }
    },
  });
}
