import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';

/** Letters, digits and . _ @ - after normalisation; 3 to 64 characters. */
export const USERNAME_PATTERN = /^[a-z0-9._@-]{3,64}$/;

/** Normalises a username: Unicode NFC, surrounding white space trimmed, lower case. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFC').trim().toLowerCase();
}

/** A username to store: normalised first, then checked against USERNAME_PATTERN. */
export function IsNewUsername(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? normalizeUsername(value) : value,
    ),
    IsString({ message: '$property must be a string' }),
    Matches(USERNAME_PATTERN, {
      message: '$property must be 3 to 64 characters: a-z, 0-9 and . _ @ - (case is ignored)',
    }),
  );
}
