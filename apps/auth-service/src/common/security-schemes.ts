/** OpenAPI security scheme names, used by `@ApiSecurity` and `@ApiBearerAuth` in the controllers. */
export const SESSION_SCHEME = 'session';
export const OPERATOR_KEY_SCHEME = 'operator-key';
export const SERVICE_KEY_SCHEME = 'service-key';
