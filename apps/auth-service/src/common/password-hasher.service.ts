import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';

import { AuthConfig } from '../config/auth-config';

/**
 * bcrypt hashing for passwords and PINs with the configured cost. bcrypt runs
 * in the libuv thread pool, so it does not block the event loop.
 */
@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly config: AuthConfig) {}

  hash(secret: string): Promise<string> {
    return bcrypt.hash(secret, this.config.BCRYPT_COST);
  }

  verify(secret: string, hash: string): Promise<boolean> {
    return bcrypt.compare(secret, hash);
  }

  /** Tells whether a stored hash was made with another cost than BCRYPT_COST. */
  needsRehash(hash: string): boolean {
    return bcrypt.getRounds(hash) !== this.config.BCRYPT_COST;
  }

  /**
   * Runs one bcrypt comparison against a hash of a random value, so that a
   * login for an unknown user takes as long as one with a wrong password.
   * Always returns false.
   */
  async verifyAgainstDummy(secret: string): Promise<false> {
    this.dummyHash ??= bcrypt.hash(randomBytes(16).toString('hex'), this.config.BCRYPT_COST);
    await bcrypt.compare(secret, await this.dummyHash);

    return false;
  }
}
