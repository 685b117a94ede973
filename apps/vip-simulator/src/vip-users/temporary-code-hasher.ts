import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Hashes temporary security codes with HMAC-SHA256 under a key derived from
 * VIP_SECRET_KEY (HKDF-SHA256). A six-digit code has only a million values,
 * so an unkeyed hash would fall to a brute-force search of a database copy.
 * The key lives in configuration, not in the database.
 */
export class TemporaryCodeHasher {
  private readonly key: Buffer;

  constructor(secretKey: Buffer) {
    this.key = Buffer.from(
      hkdfSync('sha256', secretKey, Buffer.alloc(0), 'vip-simulator temporary security codes', 32),
    );
  }

  hash(vipUserId: string, code: string): Buffer {
    return createHmac('sha256', this.key).update(`${vipUserId}\u0000${code}`).digest();
  }
}
