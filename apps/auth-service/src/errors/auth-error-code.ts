/**
 * Stable error codes of the auth service's own errors, returned in the `code`
 * field. Validation, routing and body errors use the shared codes of `@app/common`.
 */
export enum AuthErrorCode {
  InvalidCredentials = 'INVALID_CREDENTIALS',
  InvalidChallenge = 'INVALID_CHALLENGE',
  InvalidSecurityCredentials = 'INVALID_SECURITY_CREDENTIALS',
  UserLocked = 'USER_LOCKED',
  AttemptInProgress = 'ATTEMPT_IN_PROGRESS',
  CredentialUnavailable = 'CREDENTIAL_UNAVAILABLE',
  SecureTokenServiceUnavailable = 'SECURE_TOKEN_SERVICE_UNAVAILABLE',
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  SecureTokenNotProvisioned = 'SECURE_TOKEN_NOT_PROVISIONED',
  SecureTokenAlreadyProvisioned = 'SECURE_TOKEN_ALREADY_PROVISIONED',
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidOperatorKey = 'INVALID_OPERATOR_KEY',
  InvalidServiceKey = 'INVALID_SERVICE_KEY',
  Forbidden = 'FORBIDDEN',
  UserNotFound = 'USER_NOT_FOUND',
  InstitutionNotFound = 'INSTITUTION_NOT_FOUND',
  UsernameTaken = 'USERNAME_TAKEN',
  InstitutionNameTaken = 'INSTITUTION_NAME_TAKEN',
  InvalidCursor = 'INVALID_CURSOR',
}
