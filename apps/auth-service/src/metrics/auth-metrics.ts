import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@app/common';

/** Result of the password step, as counted in auth_login_attempts_total. */
export enum LoginMetricOutcome {
  Authenticated = 'AUTHENTICATED',
  TokenRequired = 'TOKEN_REQUIRED',
  TokenRegistrationRequired = 'TOKEN_REGISTRATION_REQUIRED',
  UnknownUser = 'UNKNOWN_USER',
  WrongPassword = 'WRONG_PASSWORD',
  UserLocked = 'USER_LOCKED',
}

/** Result of a registration or step-up attempt, as counted in auth_second_factor_attempts_total. */
export enum SecondFactorMetricOutcome {
  Authenticated = 'AUTHENTICATED',
  InvalidChallenge = 'INVALID_CHALLENGE',
  UserLocked = 'USER_LOCKED',
  Failed = 'FAILED',
  CredentialRejected = 'CREDENTIAL_REJECTED',
  Unavailable = 'UNAVAILABLE',
  AttemptInProgress = 'ATTEMPT_IN_PROGRESS',
}

/** Label value used when an outcome has no finer reason. */
const NO_REASON = 'NONE';

/**
 * Domain metrics of the auth service, registered on the service's own
 * prom-client registry and served at GET /metrics. Label values come from
 * fixed enums and VIP status codes, never from user input.
 */
@Injectable()
export class AuthMetrics {
  private readonly loginAttempts: Counter<'outcome'>;
  private readonly secondFactorAttempts: Counter<'step' | 'outcome' | 'reason'>;
  private readonly lockouts: Counter;
  private readonly rateLimited: Counter<'route' | 'throttler'>;
  private readonly vipRequestDuration: Histogram<'pattern' | 'status'>;
  private readonly vipRequestErrors: Counter<'pattern' | 'error'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.loginAttempts = new Counter({
      name: 'auth_login_attempts_total',
      help: 'Password login attempts by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.secondFactorAttempts = new Counter({
      name: 'auth_second_factor_attempts_total',
      help: 'Secure-token registration and step-up attempts by step, outcome and reason',
      labelNames: ['step', 'outcome', 'reason'],
      registers,
    });
    this.lockouts = new Counter({
      name: 'auth_lockouts_total',
      help: 'Users locked after reaching the failed secure-token attempt threshold',
      registers,
    });
    this.rateLimited = new Counter({
      name: 'auth_rate_limited_requests_total',
      help: 'Requests rejected with 429 by route and by the limit that was reached',
      labelNames: ['route', 'throttler'],
      registers,
    });
    this.vipRequestDuration = new Histogram({
      name: 'auth_vip_request_duration_seconds',
      help: 'Duration of TCP requests to the VIP simulator by pattern and VIP status or failure',
      labelNames: ['pattern', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.vipRequestErrors = new Counter({
      name: 'auth_vip_request_errors_total',
      help: 'VIP simulator requests without a usable reply: timeouts, connection failures, unexpected replies and VIP 65xx statuses',
      labelNames: ['pattern', 'error'],
      registers,
    });
  }

  recordLogin(outcome: LoginMetricOutcome): void {
    this.loginAttempts.inc({ outcome });
  }

  recordSecondFactor(step: string, outcome: SecondFactorMetricOutcome, reason?: string): void {
    this.secondFactorAttempts.inc({ step, outcome, reason: reason ?? NO_REASON });
  }

  recordLockout(): void {
    this.lockouts.inc();
  }

  recordRateLimited(route: string, throttler: string): void {
    this.rateLimited.inc({ route, throttler });
  }

  /** Records one VIP call: `status` is the VIP status code or the transport failure name. */
  recordVipRequest(pattern: string, status: string, seconds: number, isError: boolean): void {
    this.vipRequestDuration.observe({ pattern, status }, seconds);
    if (isError) {
      this.vipRequestErrors.inc({ pattern, error: status });
    }
  }
}
