import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { IsLoginPassword, IsNewPassword, passwordByteProblem } from './password-policy';

class NewPasswordBody {
  @IsNewPassword()
  password: unknown;
}

class LoginPasswordBody {
  @IsLoginPassword()
  password: unknown;
}

function messagesFor(schema: new () => object, password: unknown): string[] {
  const errors = validateSync(plainToInstance(schema, { password }));

  return errors.flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('password policy', () => {
  it('accepts exactly 72 UTF-8 bytes and rejects 73', () => {
    expect(passwordByteProblem('a'.repeat(72))).toBeNull();
    expect(passwordByteProblem('€'.repeat(24))).toBeNull();
    expect(passwordByteProblem('a'.repeat(73))).toMatch(/at most 72 bytes/);
    expect(passwordByteProblem('€'.repeat(24) + 'x')).toMatch(/at most 72 bytes/);
  });

  it('rejects NUL anywhere', () => {
    expect(passwordByteProblem('abc\u0000def')).toMatch(/NUL/);
  });

  it('requires 12 characters for a new password and names the rule', () => {
    expect(messagesFor(NewPasswordBody, 'a'.repeat(11))).toEqual([
      'password must be at least 12 characters',
    ]);
    expect(messagesFor(NewPasswordBody, '€'.repeat(12))).toEqual([]);
    expect(messagesFor(NewPasswordBody, 'a'.repeat(73))).toEqual([
      'password must be at most 72 bytes in UTF-8',
    ]);
  });

  it('accepts any non-empty login password within the byte rules', () => {
    expect(messagesFor(LoginPasswordBody, 'short')).toEqual([]);
    expect(messagesFor(LoginPasswordBody, '')).toHaveLength(1);
    expect(messagesFor(LoginPasswordBody, 'x\u0000')).toEqual([
      'password must not contain the NUL character',
    ]);
    expect(messagesFor(LoginPasswordBody, 42)).toContain('password must be a string');
  });
});
