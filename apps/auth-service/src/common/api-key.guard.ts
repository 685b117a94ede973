import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Request } from 'express';

import { AuthConfig } from '../config/auth-config';
import { AuthErrorCode } from '../errors/auth-error-code';
import { AuthException } from '../errors/auth.exception';
import { secretsEqual } from './tokens';

function headerValue(request: Request, name: string): string {
  const value = request.headers[name];

  return typeof value === 'string' ? value : '';
}

/** Admits requests whose `x-operator-key` header equals OPERATOR_API_KEY. */
@Injectable()
export class OperatorKeyGuard implements CanActivate {
  constructor(private readonly config: AuthConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const providedKey = headerValue(context.switchToHttp().getRequest<Request>(), 'x-operator-key');
    if (!secretsEqual(providedKey, this.config.OPERATOR_API_KEY)) {
      throw new AuthException(
        AuthErrorCode.InvalidOperatorKey,
        'The x-operator-key header is missing or does not match OPERATOR_API_KEY',
      );
    }

    return true;
  }
}

/** Admits requests whose `x-service-key` header equals SERVICE_API_KEY. */
@Injectable()
export class ServiceKeyGuard implements CanActivate {
  constructor(private readonly config: AuthConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const providedKey = headerValue(context.switchToHttp().getRequest<Request>(), 'x-service-key');
    if (!secretsEqual(providedKey, this.config.SERVICE_API_KEY)) {
      throw new AuthException(
        AuthErrorCode.InvalidServiceKey,
        'The x-service-key header is missing or does not match SERVICE_API_KEY',
      );
    }

    return true;
  }
}
