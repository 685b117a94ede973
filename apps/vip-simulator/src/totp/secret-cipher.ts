import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A secret encrypted with AES-256-GCM: random 96-bit IV, ciphertext and 128-bit tag. */
export interface EncryptedSecret {
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

/**
 * Encrypts and decrypts credential secrets at rest with AES-256-GCM. The
 * credential ID is bound as associated data, so a ciphertext copied to another
 * credential's row fails to decrypt.
 */
export class SecretCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) {
      throw new Error(`AES-256-GCM needs a 32-byte key, got ${key.length} bytes`);
    }
  }

  encrypt(secret: Buffer, credentialId: string): EncryptedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(credentialId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);

    return { iv, ciphertext, authTag: cipher.getAuthTag() };
  }

  /** Decrypts a secret. Throws when the key, the tag or the credential ID does not match. */
  decrypt(encrypted: EncryptedSecret, credentialId: string): Buffer {
    const decipher = createDecipheriv(ALGORITHM, this.key, encrypted.iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(credentialId, 'utf8'));
    decipher.setAuthTag(encrypted.authTag);

    return Buffer.concat([decipher.update(encrypted.ciphertext), decipher.final()]);
  }
}
