import { randomBytes } from 'node:crypto';

import { SecretCipher } from './secret-cipher';

describe('SecretCipher', () => {
  const cipher = new SecretCipher(randomBytes(32));
  const secret = randomBytes(20);

  it('decrypts what it encrypted', () => {
    const encrypted = cipher.encrypt(secret, 'SYMC00000001');

    expect(cipher.decrypt(encrypted, 'SYMC00000001').equals(secret)).toBe(true);
  });

  it('uses a fresh IV for every encryption', () => {
    const first = cipher.encrypt(secret, 'SYMC00000001');
    const second = cipher.encrypt(secret, 'SYMC00000001');

    expect(first.iv.equals(second.iv)).toBe(false);
    expect(first.ciphertext.equals(second.ciphertext)).toBe(false);
  });

  it('rejects a ciphertext moved to another credential', () => {
    const encrypted = cipher.encrypt(secret, 'SYMC00000001');

    expect(() => cipher.decrypt(encrypted, 'SYMC00000002')).toThrow();
  });

  it('rejects a tampered ciphertext', () => {
    const encrypted = cipher.encrypt(secret, 'SYMC00000001');
    encrypted.ciphertext[0] ^= 1;

    expect(() => cipher.decrypt(encrypted, 'SYMC00000001')).toThrow();
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => new SecretCipher(randomBytes(16))).toThrow('32-byte key');
  });
});
