import { AuthErrorCode } from './auth-error-code';
import { httpStatusOf, mapAuthError } from './auth-error-status';
import { AuthException } from './auth.exception';

describe('httpStatusOf', () => {
  it.each(Object.values(AuthErrorCode))('maps %s to a 4xx or 503 status', (code) => {
    const status = httpStatusOf(code);

    expect(status === 503 || (status >= 400 && status < 500)).toBe(true);
  });

  it('maps the secure-token outcomes to their documented statuses', () => {
    expect(httpStatusOf(AuthErrorCode.InvalidSecurityCredentials)).toBe(401);
    expect(httpStatusOf(AuthErrorCode.UserLocked)).toBe(403);
    expect(httpStatusOf(AuthErrorCode.CredentialUnavailable)).toBe(403);
    expect(httpStatusOf(AuthErrorCode.SecureTokenServiceUnavailable)).toBe(503);
    expect(httpStatusOf(AuthErrorCode.SecureTokenNotProvisioned)).toBe(409);
  });
});

describe('mapAuthError', () => {
  it('maps an AuthException to the shared error shape', () => {
    const mapped = mapAuthError(new AuthException(AuthErrorCode.UserNotFound, 'user x not found'));

    expect(mapped).toEqual({
      statusCode: 404,
      code: 'USER_NOT_FOUND',
      message: 'user x not found',
    });
  });

  it('leaves other errors to the shared filter', () => {
    expect(mapAuthError(new Error('boom'))).toBeUndefined();
  });
});
