import { ScureBase32Plugin } from 'otplib';

const base32 = new ScureBase32Plugin();

/** Encodes bytes as RFC 4648 base32 without padding, the form authenticator apps expect. */
export function encodeBase32(bytes: Buffer): string {
  return base32.encode(new Uint8Array(bytes), { padding: false });
}

/** Decodes RFC 4648 base32. Throws on a character outside A-Z and 2-7. */
export function decodeBase32(text: string): Buffer {
  return Buffer.from(base32.decode(text));
}
