import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';

import { AuthErrorCode } from '../errors/auth-error-code';
import { AuthException } from '../errors/auth.exception';
import { UserRole } from '../users/user.entity';
import { AuthenticatedSession, SessionsService } from './sessions.service';

type RequestWithSession = Request & { session?: AuthenticatedSession };

const REQUIRED_ROLE = 'auth:required-role';

/** Restricts a route to sessions whose user has the given role. */
export const RequireRole = (role: UserRole) => SetMetadata(REQUIRED_ROLE, role);

const BEARER_PATTERN = /^Bearer ([A-Za-z0-9_-]{1,512})$/;

/**
 * Admits requests that carry a live session token as `Authorization: Bearer`.
 * Challenge tokens are stored in another table, so they never pass.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionsService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithSession>();
    const match = BEARER_PATTERN.exec(request.headers.authorization ?? '');
    const authenticated = match ? await this.sessions.authenticate(match[1]) : null;
    if (!authenticated) {
      throw new AuthException(
        AuthErrorCode.Unauthenticated,
        'A valid session token is required in the Authorization header (Bearer <token>)',
      );
    }

    const role = this.reflector.getAllAndOverride<UserRole | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (role && authenticated.user.role !== role) {
      throw new AuthException(AuthErrorCode.Forbidden, `This route requires the ${role} role`);
    }
    request.session = authenticated;

    return true;
  }
}

/** Injects the AuthenticatedSession that SessionGuard attached to the request. */
export const CurrentSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedSession => {
    const session = context.switchToHttp().getRequest<RequestWithSession>().session;
    if (!session) {
      throw new Error('CurrentSession used on a route without SessionGuard');
    }

    return session;
  },
);
