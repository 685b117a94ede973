import { DataSource } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../common/password-hasher.service';
import { AuthException } from '../errors/auth.exception';
import { AuthMetrics } from '../metrics/auth-metrics';
import { SessionsService } from '../sessions/sessions.service';
import { ChallengesService } from './challenges.service';
import { LoginStatements, LoginUser } from './login-statements';
import { INVALID_CREDENTIALS_MESSAGE, LoginService } from './login.service';

const context = { ip: '127.0.0.1', userAgent: null, requestId: 'r1' };

function buildLoginService(storedUser: LoginUser | null) {
  const hasher = {
    verify: jest.fn().mockResolvedValue(false),
    verifyAgainstDummy: jest.fn().mockResolvedValue(false),
  };
  const statements = { findLoginUser: jest.fn().mockResolvedValue(storedUser) };
  const audit = { record: jest.fn().mockResolvedValue(undefined) };
  const sut = new LoginService(
    {} as DataSource,
    hasher as unknown as PasswordHasher,
    statements as unknown as LoginStatements,
    {} as ChallengesService,
    {} as SessionsService,
    audit as unknown as AuditService,
    { recordLogin: jest.fn() } as unknown as AuthMetrics,
  );

  return { sut, hasher, statements, audit };
}

async function loginError(sut: LoginService, username: string): Promise<AuthException> {
  return sut.login(username, 'some-password', context).then(
    () => {
      throw new Error('login succeeded');
    },
    (error: AuthException) => error,
  );
}

describe('LoginService', () => {
  it('runs one bcrypt comparison against a dummy hash for an unknown user', async () => {
    const { sut, hasher, statements } = buildLoginService(null);

    const error = await loginError(sut, '  Nobody ');

    expect(statements.findLoginUser).toHaveBeenCalledWith('nobody');
    expect(hasher.verifyAgainstDummy).toHaveBeenCalledTimes(1);
    expect(hasher.verify).not.toHaveBeenCalled();
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toBe(INVALID_CREDENTIALS_MESSAGE);
  });

  it('gives a wrong password the same error after one real comparison', async () => {
    const user: LoginUser = {
      id: 'u1',
      institutionId: 'i1',
      passwordHash: '$2b$04$hash',
      credentialId: null,
      failedAttempts: 0,
      locked: false,
      secureTokenEnabled: true,
      lockoutThreshold: 3,
    };
    const { sut, hasher, audit } = buildLoginService(user);

    const error = await loginError(sut, 'jane');

    expect(hasher.verify).toHaveBeenCalledWith('some-password', '$2b$04$hash');
    expect(hasher.verifyAgainstDummy).not.toHaveBeenCalled();
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toBe(INVALID_CREDENTIALS_MESSAGE);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'LOGIN_FAILED', reason: 'WRONG_PASSWORD' }),
      context,
    );
  });
});
