import { randomInt } from 'node:crypto';

import { CREDENTIAL_PREFIXES, CredentialType, LEGACY_CREDENTIAL_PREFIXES } from '@app/contract';

/** Generates a credential ID: the type's prefix and 8 random digits, such as SYMC01234567. */
export function generateCredentialId(type: CredentialType): string {
  const digits = randomInt(0, 100_000_000).toString().padStart(8, '0');

  return `${CREDENTIAL_PREFIXES[type]}${digits}`;
}

/** Returns the credential type that an ID's prefix stands for, or null for an unknown prefix. */
export function credentialTypeOfId(credentialId: string): CredentialType | null {
  const prefix = credentialId.slice(0, 4);
  const current = (Object.keys(CREDENTIAL_PREFIXES) as CredentialType[]).find(
    (type) => CREDENTIAL_PREFIXES[type] === prefix,
  );

  return current ?? LEGACY_CREDENTIAL_PREFIXES[prefix] ?? null;
}

/** Builds the otpauth:// URI that authenticator apps read (Key Uri Format). */
export function buildOtpauthUri(
  issuer: string,
  credentialId: string,
  secretBase32: string,
): string {
  const encodedIssuer = encodeURIComponent(issuer);
  const query = [
    `secret=${secretBase32}`,
    `issuer=${encodedIssuer}`,
    'algorithm=SHA1',
    'digits=6',
    'period=30',
  ].join('&');

  return `otpauth://totp/${encodedIssuer}:${credentialId}?${query}`;
}
