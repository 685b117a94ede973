import { applyDecorators } from '@nestjs/common';
import { IsString, ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

/** bcrypt reads only the first 72 bytes of its input, so longer passwords are rejected. */
export const PASSWORD_MAX_BYTES = 72;

/** Minimum length in Unicode code points of a password set by an administrator or operator. */
export const PASSWORD_MIN_CHARACTERS = 12;

/** Returns why a password cannot be hashed safely, or null when it can. */
export function passwordByteProblem(password: string): string | null {
  if (password.includes('\u0000')) {
    return 'must not contain the NUL character';
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`;
  }

  return null;
}

function HashablePassword(minCharacters: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hashablePassword',
      constraints: [minCharacters],
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string') {
            return false;
          }

          return [...value].length >= minCharacters && passwordByteProblem(value) === null;
        },
        defaultMessage: buildMessage((prefix, args) => {
          const value = args?.value as unknown;
          if (typeof value === 'string') {
            const problem = passwordByteProblem(value);
            if (problem) {
              return `${prefix}$property ${problem}`;
            }
          }

          return `${prefix}$property must be at least ${minCharacters} characters`;
        }, options),
      },
    },
    options,
  );
}

/** A new password: 12 or more characters, at most 72 UTF-8 bytes, no NUL. */
export function IsNewPassword(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property must be a string' }),
    HashablePassword(PASSWORD_MIN_CHARACTERS),
  );
}

/**
 * A password given at login: not empty, at most 72 UTF-8 bytes, no NUL. The
 * byte rules apply here too, so a password that bcrypt would truncate can never
 * match a stored hash by its first 72 bytes.
 */
export function IsLoginPassword(): PropertyDecorator {
  return applyDecorators(IsString({ message: '$property must be a string' }), HashablePassword(1));
}
