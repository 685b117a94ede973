import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AuditActorType, AuditEventType } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../common/password-hasher.service';
import { RequestContext } from '../common/request-context';
import { normalizeUsername } from '../common/username';
import { AuthErrorCode } from '../errors/auth-error-code';
import { AuthException } from '../errors/auth.exception';
import { AuthMetrics, LoginMetricOutcome } from '../metrics/auth-metrics';
import { SessionsService } from '../sessions/sessions.service';
import { User } from '../users/user.entity';
import { ChallengeStep } from './challenge.entity';
import { ChallengesService } from './challenges.service';
import { LoginStatements, LoginUser } from './login-statements';
import { USER_LOCKED_MESSAGE } from './second-factor.service';

export enum LoginStatus {
  Authenticated = 'AUTHENTICATED',
  TokenRegistrationRequired = 'TOKEN_REGISTRATION_REQUIRED',
  TokenRequired = 'TOKEN_REQUIRED',
}

export type LoginResult =
  | { status: LoginStatus.Authenticated; sessionToken: string; expiresAt: Date }
  | {
      status: LoginStatus.TokenRegistrationRequired | LoginStatus.TokenRequired;
      challengeToken: string;
      expiresAt: Date;
    };

export const INVALID_CREDENTIALS_MESSAGE = 'The username or password is not valid';

/**
 * The password step of login. Unknown users and wrong passwords get the same
 * response after one bcrypt comparison each, so neither the body nor the time
 * distinguishes them. Password failures do not count toward the secure-token
 * lockout and never reset its counter.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly statements: LoginStatements,
    private readonly challenges: ChallengesService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly metrics: AuthMetrics,
  ) {}

  /**
   * Checks the password. AuthThrottlerGuard limits guesses per client IP and
   * per normalised username before this runs.
   */
  async login(username: string, password: string, context: RequestContext): Promise<LoginResult> {
    const normalized = normalizeUsername(username);
    const user = await this.statements.findLoginUser(normalized);

    if (!user) {
      await this.hasher.verifyAgainstDummy(password);
      await this.audit.record(
        {
          type: AuditEventType.LoginFailed,
          institutionId: null,
          actorType: AuditActorType.Anonymous,
          reason: 'UNKNOWN_USER',
          detail: { username: normalized },
        },
        context,
      );
      this.metrics.recordLogin(LoginMetricOutcome.UnknownUser);
      throw new AuthException(AuthErrorCode.InvalidCredentials, INVALID_CREDENTIALS_MESSAGE);
    }

    const auditBase = {
      institutionId: user.institutionId,
      actorType: AuditActorType.User,
      actorUserId: user.id,
      targetUserId: user.id,
    };
    if (!(await this.hasher.verify(password, user.passwordHash))) {
      await this.audit.record(
        {
          ...auditBase,
          actorType: AuditActorType.Anonymous,
          actorUserId: null,
          type: AuditEventType.LoginFailed,
          reason: 'WRONG_PASSWORD',
        },
        context,
      );
      this.metrics.recordLogin(LoginMetricOutcome.WrongPassword);
      throw new AuthException(AuthErrorCode.InvalidCredentials, INVALID_CREDENTIALS_MESSAGE);
    }

    await this.upgradePasswordHash(user, password);

    // A lock set by secure-token failures holds even when the institution has
    // switched secure tokens off: only an administrator clears it.
    if (user.locked) {
      await this.audit.record(
        { ...auditBase, type: AuditEventType.AttemptWhileLocked, detail: { step: 'PASSWORD' } },
        context,
      );
      this.metrics.recordLogin(LoginMetricOutcome.UserLocked);
      throw new AuthException(AuthErrorCode.UserLocked, USER_LOCKED_MESSAGE);
    }

    if (!user.secureTokenEnabled) {
      const session = this.sessions.newSession();
      await this.statements.issueSession(
        session,
        user.id,
        { ...auditBase, type: AuditEventType.LoginSucceeded, detail: { method: 'PASSWORD' } },
        context,
      );
      this.metrics.recordLogin(LoginMetricOutcome.Authenticated);

      return {
        status: LoginStatus.Authenticated,
        sessionToken: session.sessionToken,
        expiresAt: session.expiresAt,
      };
    }

    if (await this.lockIfAtThreshold(user, context)) {
      this.metrics.recordLogin(LoginMetricOutcome.UserLocked);
      throw new AuthException(AuthErrorCode.UserLocked, USER_LOCKED_MESSAGE);
    }

    const step = user.credentialId ? ChallengeStep.StepUp : ChallengeStep.Registration;
    const challenge = this.challenges.newChallenge();
    await this.statements.issueChallenge(
      challenge,
      user.id,
      step,
      { ...auditBase, type: AuditEventType.PasswordVerified, detail: { nextStep: step } },
      context,
    );
    this.metrics.recordLogin(
      step === ChallengeStep.StepUp
        ? LoginMetricOutcome.TokenRequired
        : LoginMetricOutcome.TokenRegistrationRequired,
    );

    return {
      status:
        step === ChallengeStep.StepUp
          ? LoginStatus.TokenRequired
          : LoginStatus.TokenRegistrationRequired,
      challengeToken: challenge.challengeToken,
      expiresAt: challenge.expiresAt,
    };
  }

  /**
   * Locks a user whose failed secure-token count already reaches the
   * institution's current threshold, which happens when an administrator
   * lowers the threshold. The UPDATE checks the count and the lock itself, so
   * a concurrent unlock or step-up is not overwritten with a stale value.
   */
  private async lockIfAtThreshold(user: LoginUser, context: RequestContext): Promise<boolean> {
    const threshold = user.lockoutThreshold;
    if (user.failedAttempts < threshold) {
      return false;
    }

    return this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(User)
        .set({ lockedAt: () => 'now()' })
        .where('id = :id AND locked_at IS NULL AND failed_attempts >= :threshold', {
          id: user.id,
          threshold,
        })
        .returning('failed_attempts')
        .execute();
      if (result.affected !== 1) {
        return false;
      }
      const failedAttempts = Number(
        (result.raw as Array<{ failed_attempts: number }>)[0].failed_attempts,
      );
      const invalidated = await this.challenges.invalidateAllForUser(user.id, manager);
      await this.audit.record(
        {
          type: AuditEventType.UserLocked,
          institutionId: user.institutionId,
          actorType: AuditActorType.System,
          targetUserId: user.id,
          reason: 'THRESHOLD_LOWERED',
          detail: { step: 'PASSWORD', failedAttempts, threshold, invalidated },
        },
        context,
        manager,
      );

      return true;
    });
  }

  /**
   * Rehashes the password after a correct login when BCRYPT_COST has changed.
   * The dummy hash for unknown users uses the configured cost, so stored
   * hashes must converge to it for both paths to take the same time.
   */
  private async upgradePasswordHash(user: LoginUser, password: string): Promise<void> {
    if (!this.hasher.needsRehash(user.passwordHash)) {
      return;
    }
    const passwordHash = await this.hasher.hash(password);
    await this.dataSource.getRepository(User).update({ id: user.id }, { passwordHash });
  }
}
