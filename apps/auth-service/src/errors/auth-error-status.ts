import { HttpStatus } from '@nestjs/common';

import { MappedHttpError } from '@app/common';
import { isTransientDatabaseError } from '@app/database';

import { AuthErrorCode } from './auth-error-code';
import { AuthException } from './auth.exception';

/** Maps each domain error code to its HTTP status. The switch is exhaustive by type. */
export function httpStatusOf(code: AuthErrorCode): HttpStatus {
  switch (code) {
    case AuthErrorCode.InvalidCursor:
      return HttpStatus.BAD_REQUEST;
    case AuthErrorCode.UserNotFound:
    case AuthErrorCode.InstitutionNotFound:
      return HttpStatus.NOT_FOUND;
    case AuthErrorCode.InvalidCredentials:
    case AuthErrorCode.InvalidChallenge:
    case AuthErrorCode.InvalidSecurityCredentials:
    case AuthErrorCode.Unauthenticated:
    case AuthErrorCode.InvalidOperatorKey:
    case AuthErrorCode.InvalidServiceKey:
      return HttpStatus.UNAUTHORIZED;
    case AuthErrorCode.UserLocked:
    case AuthErrorCode.CredentialUnavailable:
    case AuthErrorCode.Forbidden:
      return HttpStatus.FORBIDDEN;
    case AuthErrorCode.SecureTokenNotProvisioned:
    case AuthErrorCode.SecureTokenAlreadyProvisioned:
    case AuthErrorCode.UsernameTaken:
    case AuthErrorCode.InstitutionNameTaken:
      return HttpStatus.CONFLICT;
    case AuthErrorCode.AttemptInProgress:
      return HttpStatus.TOO_MANY_REQUESTS;
    case AuthErrorCode.SecureTokenServiceUnavailable:
    case AuthErrorCode.DatabaseUnavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    default:
      return assertNever(code);
  }
}

function assertNever(code: never): never {
  throw new Error(`Unmapped auth error code: ${String(code)}`);
}

export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is busy or unavailable; the request was not completed, try again shortly';

/**
 * Maps an AuthException, or a transient database error (pool acquire
 * timeout, lost connection, lock or statement timeout) as 503
 * DATABASE_UNAVAILABLE, for the shared HTTP error filter. Returns undefined
 * for anything else.
 */
export function mapAuthError(exception: unknown): MappedHttpError | undefined {
  if (isTransientDatabaseError(exception)) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: AuthErrorCode.DatabaseUnavailable,
      message: DATABASE_UNAVAILABLE_MESSAGE,
    };
  }
  if (!(exception instanceof AuthException)) {
    return undefined;
  }

  return {
    statusCode: httpStatusOf(exception.code),
    code: exception.code,
    message: exception.message,
  };
}
