import { Injectable, Logger } from '@nestjs/common';
import { DatabaseError, PoolClient } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';

import { AuthenticateReply, VipPattern, VipStatus, VipUserInfo } from '@app/contract';
import { pgPoolOf, runInPgTransaction } from '@app/database';

import { AuditActorType, AuditDetail, AuditEventType } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../common/password-hasher.service';
import { RequestContext } from '../common/request-context';
import { AuthConfig } from '../config/auth-config';
import { AuthErrorCode } from '../errors/auth-error-code';
import { AuthException } from '../errors/auth.exception';
import { AuthMetrics, SecondFactorMetricOutcome } from '../metrics/auth-metrics';
import { IssuedSession, SessionsService } from '../sessions/sessions.service';
import { VipCallResult, VipClient } from '../vip/vip-client.service';
import {
  CodeCheck,
  CountedFailureReason,
  CredentialRejectionReason,
  SignInMethod,
  UnavailableReason,
  classifyCodeCheck,
} from '../vip/vip-outcome';
import { ChallengeStep } from './challenge.entity';
import { ChallengeLookup, ChallengesService } from './challenges.service';
import { KeyedSerialQueue } from './keyed-serial-queue';
import { AttemptUser, ChallengeRef, ChallengeState, LoginStatements } from './login-statements';

/** The result of checking one code + PIN pair, before anything is stored. */
type Evaluation =
  | { kind: 'accepted'; method: SignInMethod; credentialId?: string; pinHash?: string }
  | { kind: 'rejected'; reason: CountedFailureReason; pinCorrect: boolean }
  | { kind: 'credential-rejected'; reason: CredentialRejectionReason }
  | { kind: 'unavailable'; reason: UnavailableReason; vipStatus?: string };

type Evaluator = (user: AttemptUser) => Promise<Evaluation>;

/**
 * Outcome of an attempt's transaction. Errors are thrown, and metrics
 * recorded, only after the transaction commits.
 */
type AttemptOutcome =
  | { kind: 'authenticated'; session: IssuedSession }
  | { kind: 'invalid-challenge' }
  | { kind: 'locked' }
  | { kind: 'failed'; reason: CountedFailureReason; lockedNow: boolean }
  | { kind: 'credential-rejected'; reason: CredentialRejectionReason }
  | { kind: 'unavailable'; reason: UnavailableReason };

export interface RegistrationInput {
  challengeToken: string;
  credentialId: string;
  securityCode: string;
  pin: string;
}

export interface StepUpInput {
  challengeToken: string;
  securityCode: string;
  pin: string;
}

/**
 * Attempts of one user held in this process at once, running or waiting.
 * More get 429 at once. A user has no need for more than a few parallel
 * attempts, and the bound keeps a burst from holding memory.
 */
export const MAX_PENDING_ATTEMPTS_PER_USER = 100;

export const INVALID_CHALLENGE_MESSAGE =
  'challengeToken is invalid, expired or already used; log in again to get a new one';
export const INVALID_SECURITY_CREDENTIALS_MESSAGE =
  'The credential ID, security code or PIN is not valid';
export const USER_LOCKED_MESSAGE =
  'Secure token sign-in is locked after too many failed attempts. ' +
  'Contact your administrator to unlock it.';
export const CREDENTIAL_UNAVAILABLE_MESSAGE =
  'Your secure token credential cannot be used at the moment. Contact your administrator.';
export const ATTEMPT_IN_PROGRESS_MESSAGE =
  'Another secure-token attempt for this user is still being checked; try again in a moment';
export const SERVICE_UNAVAILABLE_MESSAGE =
  'The secure token service is unavailable; nothing was counted, try again shortly';

/**
 * Registration and step-up attempts with lockout.
 *
 * Each attempt runs in one transaction that takes `SELECT ... FOR UPDATE` on
 * the user's row and keeps that lock across the lock check, the PIN check,
 * the VIP call and the counter update. Attempts for one user therefore run one at a time, across
 * every auth-service instance on the database, and no more than the
 * threshold of codes ever reach VIP before the user is locked.
 */
@Injectable()
export class SecondFactorService {
  private readonly logger = new Logger(SecondFactorService.name);
  /**
   * Attempts of one user wait here before they take a database connection,
   * so a burst for one user uses one connection and cannot empty the pool.
   */
  private readonly attemptsPerUser = new KeyedSerialQueue(MAX_PENDING_ATTEMPTS_PER_USER);

  constructor(
    private readonly dataSource: DataSource,
    private readonly statements: LoginStatements,
    private readonly challenges: ChallengesService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly vip: VipClient,
    private readonly config: AuthConfig,
    private readonly metrics: AuthMetrics,
  ) {}

  /**
   * Registers a credential and a PIN. `lookup` is the challenge lookup that
   * AuthThrottlerGuard made for the request, if any.
   */
  async register(
    input: RegistrationInput,
    context: RequestContext,
    lookup?: ChallengeLookup,
  ): Promise<IssuedSession> {
    return this.attempt(input.challengeToken, ChallengeStep.Registration, context, lookup, (user) =>
      this.evaluateRegistration(user, input, context),
    );
  }

  /**
   * Checks a code and the PIN. `lookup` is the challenge lookup that
   * AuthThrottlerGuard made for the request, if any.
   */
  async stepUp(
    input: StepUpInput,
    context: RequestContext,
    lookup?: ChallengeLookup,
  ): Promise<IssuedSession> {
    return this.attempt(input.challengeToken, ChallengeStep.StepUp, context, lookup, (user) =>
      this.evaluateStepUp(user, input, context),
    );
  }

  private async attempt(
    challengeToken: string,
    step: ChallengeStep,
    context: RequestContext,
    lookup: ChallengeLookup | undefined,
    evaluate: Evaluator,
  ): Promise<IssuedSession> {
    const deadline = Date.now() + this.maxWaitMs();
    const found = await this.challenges.findByToken(challengeToken, lookup);
    const runInTransaction = () =>
      runInPgTransaction(pgPoolOf(this.dataSource), (client) =>
        this.runAttempt(client, found, step, context, evaluate, deadline),
      );

    let outcome: AttemptOutcome;
    try {
      // An unknown challenge has no user to wait for; the transaction audits it.
      const queued = found
        ? await this.attemptsPerUser.run(found.userId, deadline, runInTransaction)
        : { kind: 'ran' as const, value: await runInTransaction() };
      if (queued.kind !== 'ran') {
        this.logger.warn(
          { userId: found?.userId, step, reason: queued.kind },
          'Secure-token attempt not started: another attempt for the user is still running',
        );
        throw this.attemptInProgress(step);
      }
      outcome = queued.value;
    } catch (error) {
      if (!isLockTimeout(error)) {
        throw error;
      }
      this.logger.warn({ step }, 'Secure-token attempt gave up waiting for the user row lock');
      throw this.attemptInProgress(step);
    }
    this.recordMetrics(step, outcome);

    switch (outcome.kind) {
      case 'authenticated':
        return outcome.session;
      case 'invalid-challenge':
        throw new AuthException(AuthErrorCode.InvalidChallenge, INVALID_CHALLENGE_MESSAGE);
      case 'locked':
        throw new AuthException(AuthErrorCode.UserLocked, USER_LOCKED_MESSAGE);
      case 'failed':
        throw new AuthException(
          AuthErrorCode.InvalidSecurityCredentials,
          INVALID_SECURITY_CREDENTIALS_MESSAGE,
        );
      case 'credential-rejected':
        throw new AuthException(
          AuthErrorCode.CredentialUnavailable,
          CREDENTIAL_UNAVAILABLE_MESSAGE,
        );
      case 'unavailable':
        throw new AuthException(
          AuthErrorCode.SecureTokenServiceUnavailable,
          SERVICE_UNAVAILABLE_MESSAGE,
        );
    }
  }

  private attemptInProgress(step: ChallengeStep): AuthException {
    this.metrics.recordSecondFactor(step, SecondFactorMetricOutcome.AttemptInProgress);

    return new AuthException(AuthErrorCode.AttemptInProgress, ATTEMPT_IN_PROGRESS_MESSAGE);
  }

  private async runAttempt(
    client: PoolClient,
    found: ChallengeRef | null,
    step: ChallengeStep,
    context: RequestContext,
    evaluate: Evaluator,
    deadline: number,
  ): Promise<AttemptOutcome> {
    if (!found || found.step !== step) {
      await this.auditChallengeRejected(client, found, found ? 'WRONG_STEP' : 'UNKNOWN', context);

      return { kind: 'invalid-challenge' };
    }

    // Attempts of this process already wait in attemptsPerUser, so the row
    // lock is normally free. An attempt on another instance may hold it, and
    // then this one waits for it only until the same deadline. PostgreSQL
    // reads a lock_timeout of 0 as no limit, hence at least 1 ms.
    const lockTimeoutMs = Math.max(1, deadline - Date.now());
    const locked = await this.statements.lockAttempt(client, found.userId, found.id, lockTimeoutMs);
    if (!locked) {
      await this.auditChallengeRejected(client, found, 'UNKNOWN', context);

      return { kind: 'invalid-challenge' };
    }
    const { user, challenge, lockoutThreshold } = locked;
    const auditBase = {
      institutionId: user.institutionId,
      actorType: AuditActorType.User,
      actorUserId: user.id,
      targetUserId: user.id,
    };

    if (user.locked) {
      await this.audit.record(
        { ...auditBase, type: AuditEventType.AttemptWhileLocked, detail: { step } },
        context,
        client,
      );

      return { kind: 'locked' };
    }
    if (user.failedAttempts >= lockoutThreshold) {
      // An administrator lowered the threshold to or below the user's count.
      await this.lockUser(client, user, lockoutThreshold, 'THRESHOLD_LOWERED', context, {
        step,
      });

      return { kind: 'locked' };
    }
    const challengeProblem = this.challengeProblem(challenge, user);
    if (challengeProblem) {
      await this.auditChallengeRejected(client, found, challengeProblem, context);

      return { kind: 'invalid-challenge' };
    }

    const evaluation = await evaluate(user);

    switch (evaluation.kind) {
      case 'unavailable':
        this.logger.warn(
          { userId: user.id, step, reason: evaluation.reason, vipStatus: evaluation.vipStatus },
          'Secure-token attempt not evaluated: VIP unavailable',
        );
        // The challenge stays open: nothing was decided, so the user may retry with it.
        await this.audit.record(
          {
            ...auditBase,
            type: AuditEventType.SecureTokenServiceUnavailable,
            reason: evaluation.reason,
            detail: { step, vipStatus: evaluation.vipStatus ?? null },
          },
          context,
          client,
        );

        return { kind: 'unavailable', reason: evaluation.reason };
      case 'credential-rejected':
        this.logger.warn(
          { userId: user.id, step, reason: evaluation.reason },
          'Secure-token attempt rejected by the credential state at VIP',
        );
        await this.statements.consumeChallenge(client, challenge.id);
        await this.audit.record(
          {
            ...auditBase,
            type: AuditEventType.CredentialRejected,
            reason: evaluation.reason,
            detail: { step },
          },
          context,
          client,
        );

        return { kind: 'credential-rejected', reason: evaluation.reason };
      case 'rejected': {
        await this.statements.consumeChallenge(client, challenge.id);
        const lockedNow = await this.countFailure(
          client,
          user,
          lockoutThreshold,
          step,
          evaluation,
          context,
        );

        return { kind: 'failed', reason: evaluation.reason, lockedNow };
      }
      case 'accepted':
        return step === ChallengeStep.StepUp
          ? this.completeStepUp(client, user, challenge, evaluation, context)
          : this.completeRegistration(client, user, challenge, evaluation, context);
    }
  }

  private recordMetrics(step: ChallengeStep, outcome: AttemptOutcome): void {
    switch (outcome.kind) {
      case 'authenticated':
        this.metrics.recordSecondFactor(step, SecondFactorMetricOutcome.Authenticated);
        break;
      case 'invalid-challenge':
        this.metrics.recordSecondFactor(step, SecondFactorMetricOutcome.InvalidChallenge);
        break;
      case 'locked':
        this.metrics.recordSecondFactor(step, SecondFactorMetricOutcome.UserLocked);
        break;
      case 'failed':
        this.metrics.recordSecondFactor(step, SecondFactorMetricOutcome.Failed, outcome.reason);
        if (outcome.lockedNow) {
          this.metrics.recordLockout();
        }
        break;
      case 'credential-rejected':
        this.metrics.recordSecondFactor(
          step,
          SecondFactorMetricOutcome.CredentialRejected,
          outcome.reason,
        );
        break;
      case 'unavailable':
        this.metrics.recordSecondFactor(
          step,
          SecondFactorMetricOutcome.Unavailable,
          outcome.reason,
        );
        break;
    }
  }

  /**
   * Maximum time an attempt waits for earlier attempts of the same user, in
   * the queue and for the row lock together: two VIP timeouts. The response
   * then comes within about three VIP timeouts plus the bcrypt check.
   */
  private maxWaitMs(): number {
    return this.config.VIP_TIMEOUT_MS * 2;
  }

  /** Returns why a challenge cannot be used now, or null when it can. */
  private challengeProblem(challenge: ChallengeState, user: AttemptUser): string | null {
    if (challenge.invalidated) {
      return 'INVALIDATED';
    }
    if (challenge.consumed) {
      return 'ALREADY_USED';
    }
    if (challenge.expiresAt.getTime() <= Date.now()) {
      return 'EXPIRED';
    }
    // A reset or a completed registration after the challenge was issued changes the step needed.
    const registered = user.credentialId !== null;
    if (registered !== (challenge.step === ChallengeStep.StepUp)) {
      return 'STEP_NO_LONGER_APPLIES';
    }

    return null;
  }

  /** Counts a failed attempt and locks the user at the threshold. Returns true when it locked. */
  private async countFailure(
    client: PoolClient,
    user: AttemptUser,
    threshold: number,
    step: ChallengeStep,
    evaluation: Extract<Evaluation, { kind: 'rejected' }>,
    context: RequestContext,
  ): Promise<boolean> {
    const failedAttempts = await this.statements.countFailure(client, user.id);
    await this.audit.record(
      {
        institutionId: user.institutionId,
        actorType: AuditActorType.User,
        actorUserId: user.id,
        targetUserId: user.id,
        type: AuditEventType.SecondFactorFailed,
        reason: evaluation.reason,
        detail: { step, pinCorrect: evaluation.pinCorrect, failedAttempts },
      },
      context,
      client,
    );

    if (failedAttempts < threshold) {
      return false;
    }
    await this.lockUser(
      client,
      { ...user, failedAttempts },
      threshold,
      'THRESHOLD_REACHED',
      context,
    );

    return true;
  }

  /** Locks the user, ends the user's open challenges and audits the lock. */
  private async lockUser(
    client: PoolClient,
    user: Pick<AttemptUser, 'id' | 'institutionId' | 'failedAttempts'>,
    threshold: number,
    reason: 'THRESHOLD_REACHED' | 'THRESHOLD_LOWERED',
    context: RequestContext,
    extraDetail: AuditDetail = {},
  ): Promise<void> {
    const invalidated = await this.statements.lockUser(client, user.id);
    await this.audit.record(
      {
        type: AuditEventType.UserLocked,
        institutionId: user.institutionId,
        actorType: AuditActorType.System,
        targetUserId: user.id,
        reason,
        detail: { ...extraDetail, failedAttempts: user.failedAttempts, threshold, invalidated },
      },
      context,
      client,
    );
    this.logger.warn(
      { userId: user.id, failedAttempts: user.failedAttempts, threshold, reason },
      'User locked after failed attempts',
    );
  }

  /**
   * Completes a step-up in one statement: consumes the challenge, clears the
   * failure count and stores the session and the LOGIN_SUCCEEDED event.
   */
  private async completeStepUp(
    client: PoolClient,
    user: AttemptUser,
    challenge: ChallengeState,
    evaluation: Extract<Evaluation, { kind: 'accepted' }>,
    context: RequestContext,
  ): Promise<AttemptOutcome> {
    const session = this.sessions.newSession();
    await this.statements.completeStepUp(
      client,
      challenge.id,
      user.id,
      session,
      {
        institutionId: user.institutionId,
        actorType: AuditActorType.User,
        actorUserId: user.id,
        targetUserId: user.id,
        type: AuditEventType.LoginSucceeded,
        detail: { method: ChallengeStep.StepUp, signInMethod: evaluation.method },
      },
      context,
    );

    return {
      kind: 'authenticated',
      session: { sessionToken: session.sessionToken, expiresAt: session.expiresAt },
    };
  }

  private async completeRegistration(
    client: PoolClient,
    user: AttemptUser,
    challenge: ChallengeState,
    evaluation: Extract<Evaluation, { kind: 'accepted' }>,
    context: RequestContext,
  ): Promise<AttemptOutcome> {
    if (evaluation.credentialId === undefined || evaluation.pinHash === undefined) {
      throw new Error('An accepted registration needs the credential ID and the PIN hash');
    }
    const auditBase = {
      institutionId: user.institutionId,
      actorType: AuditActorType.User,
      actorUserId: user.id,
      targetUserId: user.id,
    };
    await this.statements.registerCredential(
      client,
      challenge.id,
      user.id,
      evaluation.credentialId,
      evaluation.pinHash,
      {
        ...auditBase,
        type: AuditEventType.TokenRegistered,
        detail: { credentialId: evaluation.credentialId },
      },
      context,
    );
    // A second statement, so LOGIN_SUCCEEDED gets a later occurred_at than TOKEN_REGISTERED.
    const session = this.sessions.newSession();
    await this.statements.issueSession(
      session,
      user.id,
      {
        ...auditBase,
        type: AuditEventType.LoginSucceeded,
        detail: { method: ChallengeStep.Registration, signInMethod: evaluation.method },
      },
      context,
      client,
    );

    return {
      kind: 'authenticated',
      session: { sessionToken: session.sessionToken, expiresAt: session.expiresAt },
    };
  }

  /**
   * Checks the PIN with bcrypt and the code at VIP, always both, so the time
   * taken does not tell which one was wrong. A valid code with a wrong PIN
   * still uses up that code's time step at VIP (replay protection).
   */
  private async evaluateStepUp(
    user: AttemptUser,
    input: StepUpInput,
    context: RequestContext,
  ): Promise<Evaluation> {
    const [pinCorrect, result] = await Promise.all([
      this.hasher.verify(input.pin, user.pinHash ?? ''),
      this.vip.send<AuthenticateReply>(VipPattern.Authenticate, {
        vipUserId: user.vipUserId,
        code: input.securityCode,
        requestId: context.requestId ?? undefined,
      }),
    ]);

    return combine(classifyAuthentication(result, user.credentialId), pinCorrect);
  }

  /**
   * Creates the VIP user when needed and binds the credential, with the code
   * as proof of possession. The new PIN is hashed at the same time.
   */
  private async evaluateRegistration(
    user: AttemptUser,
    input: RegistrationInput,
    context: RequestContext,
  ): Promise<Evaluation> {
    const [pinHash, codeCheck] = await Promise.all([
      this.hasher.hash(input.pin),
      this.bindAtVip(user, input, context),
    ]);
    const evaluation = combine(codeCheck, true);
    if (evaluation.kind !== 'accepted') {
      return evaluation;
    }
    await this.unbindOtherCredentials(user, input.credentialId, context);

    return { ...evaluation, credentialId: input.credentialId, pinHash };
  }

  /**
   * Unbinds every credential other than `keep` from the user's VIP user. Such
   * bindings are left over from a registration or reset that VIP completed
   * after the auth service had given up on it. Step-up accepts only the
   * registered credential anyway, so a failure here is logged, not raised.
   */
  private async unbindOtherCredentials(
    user: AttemptUser,
    keep: string,
    context: RequestContext,
  ): Promise<void> {
    const requestId = context.requestId ?? undefined;
    const found = await this.vip.send<VipUserInfo>(VipPattern.GetUser, {
      vipUserId: user.vipUserId,
      requestId,
    });
    if (found.kind !== 'success') {
      this.logger.warn(
        { userId: user.id, vipUserId: user.vipUserId, result: found.kind },
        'Leftover VIP bindings not checked: VIP user could not be read',
      );

      return;
    }
    const leftovers = found.data.credentials
      .map((credential) => credential.credentialId)
      .filter((credentialId) => credentialId !== keep);
    for (const credentialId of leftovers) {
      const unbound = await this.vip.send(VipPattern.UnbindCredential, {
        vipUserId: user.vipUserId,
        credentialId,
        requestId,
      });
      this.logger.warn(
        { userId: user.id, vipUserId: user.vipUserId, credentialId, result: unbound.kind },
        'Leftover VIP binding removed at registration',
      );
    }
  }

  private async bindAtVip(
    user: AttemptUser,
    input: RegistrationInput,
    context: RequestContext,
  ): Promise<CodeCheck> {
    const requestId = context.requestId ?? undefined;
    const created = await this.vip.send(VipPattern.CreateUser, {
      vipUserId: user.vipUserId,
      requestId,
    });
    const userExists =
      created.kind === 'vip-error' && created.status === VipStatus.UserAlreadyExists;
    if (created.kind !== 'success' && !userExists) {
      return classifyCodeCheck(created);
    }

    const bound = await this.vip.send(VipPattern.BindCredential, {
      vipUserId: user.vipUserId,
      credentialId: input.credentialId,
      code: input.securityCode,
      requestId,
    });
    if (bound.kind === 'vip-error' && bound.status === VipStatus.CredentialAlreadyBound) {
      // Left over from a registration whose database commit failed after VIP
      // bound the credential. Binding checked no code, so check it now, and
      // only a code of this credential proves possession.
      const authenticated = await this.vip.send<AuthenticateReply>(VipPattern.Authenticate, {
        vipUserId: user.vipUserId,
        code: input.securityCode,
        requestId,
      });

      return classifyAuthentication(authenticated, input.credentialId);
    }

    return classifyCodeCheck(bound);
  }

  private async auditChallengeRejected(
    client: PoolClient,
    challenge: ChallengeRef | null,
    reason: string,
    context: RequestContext,
  ): Promise<void> {
    const institutionId = challenge
      ? await this.statements.findInstitutionOfUser(client, challenge.userId)
      : null;
    await this.audit.record(
      {
        type: AuditEventType.ChallengeRejected,
        institutionId,
        actorType: AuditActorType.Anonymous,
        targetUserId: institutionId !== null ? challenge?.userId : null,
        reason,
      },
      context,
      client,
    );
  }
}

/** PostgreSQL SQLSTATE lock_not_available, raised when lock_timeout expires. */
const LOCK_NOT_AVAILABLE = '55P03';

/** Tells whether a statement failed on lock_timeout, from pg directly or through TypeORM. */
function isLockTimeout(error: unknown): boolean {
  if (error instanceof QueryFailedError) {
    return (error.driverError as { code?: string }).code === LOCK_NOT_AVAILABLE;
  }

  return error instanceof DatabaseError && error.code === LOCK_NOT_AVAILABLE;
}

/**
 * Classifies an Authenticate reply for a user whose registered credential is
 * `credentialId`. VIP accepts a code of any ENABLED credential bound to the
 * VIP user, so a code of another bound credential counts as a failure. A
 * temporary code names no credential and is accepted.
 */
function classifyAuthentication(
  result: VipCallResult<AuthenticateReply>,
  credentialId: string | null,
): CodeCheck {
  if (result.kind !== 'success') {
    return classifyCodeCheck(result);
  }
  if (result.data.usedTemporaryCode) {
    return { kind: 'accepted', method: SignInMethod.TemporaryCode };
  }
  if (result.data.credentialId !== credentialId) {
    return { kind: 'rejected', reason: CountedFailureReason.UnregisteredCredential };
  }

  return { kind: 'accepted', method: SignInMethod.Credential };
}

/** Combines the VIP code check with the PIN check into one attempt result. */
function combine(codeCheck: CodeCheck, pinCorrect: boolean): Evaluation {
  switch (codeCheck.kind) {
    case 'accepted':
      return pinCorrect
        ? { kind: 'accepted', method: codeCheck.method ?? SignInMethod.Credential }
        : { kind: 'rejected', reason: CountedFailureReason.WrongPin, pinCorrect };
    case 'rejected':
      return { kind: 'rejected', reason: codeCheck.reason, pinCorrect };
    case 'credential-rejected':
    case 'unavailable':
      return codeCheck;
  }
}
