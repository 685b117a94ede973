import { ExecutionContext, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerException,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { Request, Response } from 'express';

import { ChallengesService, keepChallengeLookup } from '../auth/challenges.service';
import { TOKEN_PATTERN } from '../common/challenge-token';
import { normalizeUsername } from '../common/username';
import { AuthMetrics } from '../metrics/auth-metrics';

/** Name of the limit counted per client IP address. */
export const IP_THROTTLER = 'ip';
/** Name of the limit counted per normalised username, or per user behind a challenge token. */
export const USERNAME_THROTTLER = 'username';

/** Minimum time between two log lines about a failing rate-limit store. */
const STORE_ERROR_LOG_INTERVAL_MS = 10_000;

/** Raised by the base guard with the numbers that the 429 response reports. */
class LimitReached extends ThrottlerException {
  constructor(readonly detail: ThrottlerLimitDetail) {
    super();
  }
}

/**
 * Rate limits for login, registration and step-up. Each request counts
 * against two limits per route: one per client IP (`request.ip`) and one per
 * user, which is the normalised username on login and the user that owns the
 * challenge token on registration and step-up. A request without a usable
 * username or a known challenge token counts against the IP limit only, and
 * validation then rejects it. A rejected request gets 429 with Retry-After in
 * seconds. When the counter store cannot be reached, the request gets 503
 * rather than an unlimited pass.
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  private readonly guardLogger = new Logger(AuthThrottlerGuard.name);
  private lastStoreErrorLoggedAt = 0;
  private suppressedStoreErrors = 0;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly challenges: ChallengesService,
    private readonly metrics: AuthMetrics,
  ) {
    super(options, storage, reflector);
  }

  protected override async handleRequest(requestProps: ThrottlerRequest): Promise<boolean> {
    const { context, throttler } = requestProps;
    const name = throttler.name ?? IP_THROTTLER;
    let props = requestProps;
    if (name === USERNAME_THROTTLER) {
      const userKey = await this.userKeyOf(context);
      if (userKey === null) {
        return true;
      }
      props = { ...requestProps, getTracker: () => Promise.resolve(userKey) };
    }

    try {
      return await super.handleRequest(props);
    } catch (error) {
      if (error instanceof LimitReached) {
        throw this.tooManyRequests(context, name, error.detail);
      }
      if (error instanceof ThrottlerException) {
        throw error;
      }
      this.logStoreError(error, name);
      throw new ServiceUnavailableException({
        code: 'SERVICE_UNAVAILABLE',
        message: 'The rate-limit store cannot be reached; nothing was checked, try again shortly',
      });
    }
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    return Promise.reject(new LimitReached(detail));
  }

  private tooManyRequests(
    context: ExecutionContext,
    name: string,
    detail: ThrottlerLimitDetail,
  ): ThrottlerException {
    const response = context.switchToHttp().getResponse<Response>();
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    response.setHeader('Retry-After', String(retryAfterSeconds));
    this.metrics.recordRateLimited(context.getHandler().name, name);
    const subject = name === USERNAME_THROTTLER ? 'this username' : 'this client address';

    return new ThrottlerException(
      `Too many requests for ${subject}: the limit is ${detail.limit} per ` +
        `${Math.round(detail.ttl / 1000)} s; retry after ${retryAfterSeconds} s`,
    );
  }

  /** Logs a failed store request, at most once per interval with a count of the ones skipped. */
  private logStoreError(error: unknown, throttler: string): void {
    const now = Date.now();
    if (now - this.lastStoreErrorLoggedAt < STORE_ERROR_LOG_INTERVAL_MS) {
      this.suppressedStoreErrors += 1;

      return;
    }
    this.guardLogger.error(
      { err: error, throttler, failuresNotLogged: this.suppressedStoreErrors },
      'Rate-limit store request failed; answering 503',
    );
    this.lastStoreErrorLoggedAt = now;
    this.suppressedStoreErrors = 0;
  }

  /** Returns the per-user counter key of the request, or null when it names no user. */
  private async userKeyOf(context: ExecutionContext): Promise<string | null> {
    const request = context.switchToHttp().getRequest<Request>();
    const body = request.body as unknown;
    if (typeof body !== 'object' || body === null) {
      return null;
    }
    const { username, challengeToken } = body as { username?: unknown; challengeToken?: unknown };
    if (typeof username === 'string') {
      const normalized = normalizeUsername(username);

      return normalized === '' ? null : `username:${normalized}`;
    }
    if (typeof challengeToken !== 'string' || !TOKEN_PATTERN.test(challengeToken)) {
      return null;
    }
    try {
      const challenge = await this.challenges.findByToken(challengeToken);
      keepChallengeLookup(request, { challengeToken, challenge });

      return challenge ? `user:${challenge.userId}` : null;
    } catch (error) {
      // The handler reads the same table next and reports the failure itself.
      this.guardLogger.warn({ err: error }, 'Challenge lookup for the per-user limit failed');

      return null;
    }
  }
}
