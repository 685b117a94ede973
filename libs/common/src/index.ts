export * from './config/validate-config';
export * from './http/http-error';
export * from './http/http-error.filter';
export * from './logging/logger-options';
export * from './logging/request-id';
export * from './validation/format-validation-errors';
export * from './validation/validation-pipe';
export * from './http/configure-http-app';
