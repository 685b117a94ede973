import { applyDecorators } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';

/** Session and challenge tokens: 32 random bytes in base64url, 43 characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function IsChallengeToken(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property must be a string' }),
    Matches(TOKEN_PATTERN, {
      message: '$property must be the 43-character token returned by login',
    }),
  );
}
