import { AuthErrorCode } from './auth-error-code';

/** The one domain exception of the auth service; the global filter maps its code to HTTP. */
export class AuthException extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthException';
  }
}
