import { randomBytes, timingSafeEqual } from 'node:crypto';

import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Request } from 'express';

import { CommonErrorCode } from '@app/common';

/** Name of the hidden form field that carries the CSRF token. */
export const CSRF_FIELD = '_csrf';

/**
 * Token that every VIP Manager form carries in a hidden field. It is random
 * per process and the same for all pages, because the pages have no login or
 * session to tie a token to. A restart of the simulator makes open pages stale.
 */
const CSRF_TOKEN = randomBytes(32).toString('base64url');

/** Returns the hidden input that a VIP Manager POST form must contain. */
export function csrfField(): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${CSRF_TOKEN}">`;
}

function tokenMatches(candidate: unknown): boolean {
  if (typeof candidate !== 'string') {
    return false;
  }
  const expectedBytes = Buffer.from(CSRF_TOKEN);
  const candidateBytes = Buffer.from(candidate);

  return (
    candidateBytes.length === expectedBytes.length && timingSafeEqual(candidateBytes, expectedBytes)
  );
}

/** Returns the origin (scheme, host, port) of a URL, or null when it is not a valid URL. */
function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Rejects a VIP Manager form post unless it carries the page's CSRF token
 * and, when the browser names one, comes from the simulator's own origin
 * (Origin header, else Referer). A request with neither header, such as one
 * from curl, needs the token only.
 */
@Injectable()
export class ManagerCsrfGuard implements CanActivate {
  private readonly logger = new Logger(ManagerCsrfGuard.name);

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const ownOrigin = `${request.protocol}://${request.headers.host ?? ''}`;
    const claimed = request.headers.origin ?? request.headers.referer;
    const claimedOrigin = claimed === undefined ? ownOrigin : originOf(claimed);
    if (claimedOrigin !== ownOrigin) {
      this.reject(request, `origin ${JSON.stringify(claimed)} is not ${ownOrigin}`);
    }
    const body = request.body as Record<string, unknown> | undefined;
    if (!tokenMatches(body?.[CSRF_FIELD])) {
      this.reject(request, `form field ${CSRF_FIELD} is missing or wrong`);
    }

    return true;
  }

  private reject(request: Request, reason: string): never {
    this.logger.warn({ path: request.path, reason }, 'VIP Manager form post rejected');
    throw new ForbiddenException({
      code: CommonErrorCode.Forbidden,
      message: `Form post rejected: ${reason}. Reload the VIP Manager page and submit its form again.`,
    });
  }
}
