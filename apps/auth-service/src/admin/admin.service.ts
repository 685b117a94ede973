import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { CredentialInfo, VipPattern, VipStatus, VipUserInfo } from '@app/contract';

import { AuditActorType, AuditEventType } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { AuditQueryService } from '../audit/audit-query.service';
import { ChallengesService } from '../auth/challenges.service';
import { AuthConfig } from '../config/auth-config';
import { RequestContext } from '../common/request-context';
import { AuthErrorCode } from '../errors/auth-error-code';
import { AuthException } from '../errors/auth.exception';
import {
  SecureTokenSettingsView,
  toSecureTokenSettingsView,
} from '../institutions/dto/institution.view';
import { Institution } from '../institutions/institution.entity';
import { SessionsService } from '../sessions/sessions.service';
import { UserView, toUserView } from '../users/dto/user.view';
import { User, authenticationStatusOf } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { VipCallResult, VipClient } from '../vip/vip-client.service';
import { AuditEventQueryDto, CreateUserDto, UpdateSecureTokenDto } from './dto/admin-requests.dto';
import {
  AuditEventPageView,
  AuthenticationSettingsView,
  CREDENTIAL_STATE_UNAVAILABLE,
  ResetCredentialView,
  toAuditEventView,
} from './dto/admin-responses.dto';

/** VIP statuses after which a credential counts as unbound: the binding is already gone. */
const ALREADY_UNBOUND = new Set<string>([
  VipStatus.CredentialNotBound,
  VipStatus.UserNotFound,
  VipStatus.CredentialNotFound,
]);

const DEFAULT_AUDIT_PAGE_SIZE = 50;

/**
 * FI administrator actions. Every method takes the acting administrator and
 * works only inside that administrator's institution: a user of another
 * institution is reported as not found.
 */
@Injectable()
export class AdminService {
  private readonly logger = new Logger(AdminService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AuthConfig,
    private readonly users: UsersService,
    private readonly challenges: ChallengesService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly auditQuery: AuditQueryService,
    private readonly vip: VipClient,
  ) {}

  async getSecureTokenSettings(admin: User): Promise<SecureTokenSettingsView> {
    const institution = await this.dataSource
      .getRepository(Institution)
      .findOneByOrFail({ id: admin.institutionId });

    return toSecureTokenSettingsView(institution);
  }

  async updateSecureTokenSettings(
    admin: User,
    update: UpdateSecureTokenDto,
    context: RequestContext,
  ): Promise<SecureTokenSettingsView> {
    return this.dataSource.transaction(async (manager) => {
      const institution = await manager.findOneOrFail(Institution, {
        where: { id: admin.institutionId },
        lock: { mode: 'pessimistic_write' },
      });
      if (update.enabled && !institution.secureTokenProvisionedAt) {
        throw new AuthException(
          AuthErrorCode.SecureTokenNotProvisioned,
          'Secure tokens are not provisioned for this institution. Log a support case to ' +
            'have them provisioned, then enable them.',
        );
      }

      const auditBase = {
        institutionId: institution.id,
        actorType: AuditActorType.User,
        actorUserId: admin.id,
      };
      if (update.enabled !== institution.secureTokenEnabled) {
        institution.secureTokenEnabled = update.enabled;
        await this.audit.record(
          {
            ...auditBase,
            type: update.enabled
              ? AuditEventType.SecureTokenEnabled
              : AuditEventType.SecureTokenDisabled,
          },
          context,
          manager,
        );
      }
      const threshold = update.lockoutThreshold;
      if (threshold !== undefined && threshold !== institution.lockoutThreshold) {
        await this.audit.record(
          {
            ...auditBase,
            type: AuditEventType.LockoutThresholdChanged,
            detail: { from: institution.lockoutThreshold, to: threshold },
          },
          context,
          manager,
        );
        institution.lockoutThreshold = threshold;
      }
      await manager.save(institution);

      return toSecureTokenSettingsView(institution);
    });
  }

  async createUser(admin: User, input: CreateUserDto, context: RequestContext): Promise<UserView> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.create(
        { institutionId: admin.institutionId, ...input },
        manager,
      );
      await this.audit.record(
        {
          type: AuditEventType.UserCreated,
          institutionId: admin.institutionId,
          actorType: AuditActorType.User,
          actorUserId: admin.id,
          targetUserId: user.id,
          detail: { username: user.username, role: user.role },
        },
        context,
        manager,
      );

      return toUserView(user);
    });
  }

  async listUsers(admin: User): Promise<UserView[]> {
    const users = await this.dataSource
      .getRepository(User)
      .find({ where: { institutionId: admin.institutionId }, order: { username: 'ASC' } });

    return users.map(toUserView);
  }

  async getAuthenticationSettings(
    admin: User,
    userId: string,
  ): Promise<AuthenticationSettingsView> {
    const user = await this.findUserOf(admin, userId, this.dataSource.manager);

    return {
      userId: user.id,
      username: user.username,
      userAuthenticationStatus: authenticationStatusOf(user),
      credentialState: await this.readCredentialState(user),
      credentialId: user.credentialId,
      vipUserId: user.vipUserId,
      failedAttempts: user.failedAttempts,
      lockedAt: user.lockedAt?.toISOString() ?? null,
    };
  }

  /** Clears the lock and the failure count; with resetRegistration, resets the credential too. */
  async unlock(
    admin: User,
    userId: string,
    resetRegistration: boolean,
    context: RequestContext,
  ): Promise<ResetCredentialView> {
    if (resetRegistration) {
      return this.resetCredential(admin, userId, context, AuditEventType.UserUnlocked);
    }
    await this.dataSource.transaction(async (manager) => {
      const user = await this.findUserOf(admin, userId, manager, true);
      await manager.update(User, { id: user.id }, { lockedAt: null, failedAttempts: 0 });
      await this.audit.record(
        {
          type: AuditEventType.UserUnlocked,
          institutionId: admin.institutionId,
          actorType: AuditActorType.User,
          actorUserId: admin.id,
          targetUserId: user.id,
          detail: { wasLocked: user.lockedAt !== null, resetRegistration: false },
        },
        context,
        manager,
      );
    });

    return { ...(await this.getAuthenticationSettings(admin, userId)), vipUnbindPending: false };
  }

  /**
   * Clears the registration, the PIN, the lock and the failure count, ends
   * the user's challenges and sessions, and audits the reset, all in one
   * transaction. Then unbinds every credential bound to the user's VIP user.
   * The user registers again at the next login.
   *
   * The reset succeeds also when VIP cannot be reached: the response then has
   * `vipUnbindPending: true`, the failure is audited, and the user's next
   * registration removes the leftover bindings. A second reset is harmless.
   */
  async resetCredential(
    admin: User,
    userId: string,
    context: RequestContext,
    eventType: AuditEventType = AuditEventType.CredentialReset,
  ): Promise<ResetCredentialView> {
    const auditBase = {
      institutionId: admin.institutionId,
      actorType: AuditActorType.User,
      actorUserId: admin.id,
      targetUserId: userId,
    };
    const user = await this.dataSource.transaction(async (manager) => {
      const found = await this.findUserOf(admin, userId, manager, true);
      await manager.update(
        User,
        { id: found.id },
        {
          credentialId: null,
          pinHash: null,
          registeredAt: null,
          lockedAt: null,
          failedAttempts: 0,
        },
      );
      const challengesEnded = await this.challenges.invalidateAllForUser(found.id, manager);
      const sessionsEnded = await this.sessions.revokeAllForUser(found.id, manager);
      await this.audit.record(
        {
          ...auditBase,
          type: eventType,
          detail: {
            credentialId: found.credentialId,
            wasLocked: found.lockedAt !== null,
            resetRegistration: true,
            challengesEnded,
            sessionsEnded,
          },
        },
        context,
        manager,
      );

      return found;
    });

    const failure = await this.unbindAllAtVip(user, context);
    if (failure) {
      this.logger.warn(
        { userId, adminId: admin.id, vipUserId: user.vipUserId, reason: failure },
        'Credential reset saved, but VIP could not unbind the credentials yet',
      );
      await this.audit.record(
        {
          ...auditBase,
          type: AuditEventType.SecureTokenServiceUnavailable,
          reason: failure,
          detail: { action: eventType, vipUnbindPending: true },
        },
        context,
      );
    }

    return {
      ...(await this.getAuthenticationSettings(admin, userId)),
      vipUnbindPending: failure !== null,
    };
  }

  /**
   * Unbinds every credential bound to the user's VIP user, as GetUser lists
   * them. Returns null when none is left bound, else why VIP could not do it.
   */
  private async unbindAllAtVip(user: User, context: RequestContext): Promise<string | null> {
    const requestId = context.requestId ?? undefined;
    const found = await this.vip.send<VipUserInfo>(VipPattern.GetUser, {
      vipUserId: user.vipUserId,
      requestId,
    });
    if (found.kind === 'vip-error' && found.status === VipStatus.UserNotFound) {
      return null;
    }
    if (found.kind !== 'success') {
      return vipFailureReason(found);
    }

    for (const { credentialId } of found.data.credentials) {
      const unbound = await this.vip.send(VipPattern.UnbindCredential, {
        vipUserId: user.vipUserId,
        credentialId,
        requestId,
      });
      const alreadyUnbound = unbound.kind === 'vip-error' && ALREADY_UNBOUND.has(unbound.status);
      if (unbound.kind !== 'success' && !alreadyUnbound) {
        return vipFailureReason(unbound);
      }
    }

    return null;
  }

  vipManagerUrl(): { url: string } {
    return { url: this.config.VIP_MANAGER_URL };
  }

  async auditEvents(admin: User, query: AuditEventQueryDto): Promise<AuditEventPageView> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from.getTime() > to.getTime()) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: `from (${query.from}) must not be after to (${query.to})`,
      });
    }
    if (query.userId) {
      await this.findUserOf(admin, query.userId, this.dataSource.manager);
    }
    const page = await this.auditQuery.findPage({
      institutionId: admin.institutionId,
      targetUserId: query.userId,
      type: query.type,
      from,
      to,
      limit: query.limit ?? DEFAULT_AUDIT_PAGE_SIZE,
      cursor: query.cursor,
    });

    return { items: page.items.map(toAuditEventView), nextCursor: page.nextCursor };
  }

  private async findUserOf(
    admin: User,
    userId: string,
    manager: EntityManager,
    forUpdate = false,
  ): Promise<User> {
    const user = await manager.findOne(User, {
      where: { id: userId, institutionId: admin.institutionId },
      ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!user) {
      throw new AuthException(AuthErrorCode.UserNotFound, `user ${userId} not found`);
    }

    return user;
  }

  /** Reads the credential's state at VIP, or returns UNAVAILABLE when the call fails. */
  private async readCredentialState(user: User): Promise<string | null> {
    if (!user.credentialId) {
      return null;
    }
    const result = await this.vip.send<CredentialInfo>(VipPattern.GetCredential, {
      credentialId: user.credentialId,
    });
    if (result.kind === 'success') {
      return result.data.state;
    }
    this.logger.warn(
      { userId: user.id, credentialId: user.credentialId, result: result.kind },
      'Credential state could not be read from VIP',
    );

    return CREDENTIAL_STATE_UNAVAILABLE;
  }
}

/** Audit reason for a VIP call that did not succeed. */
function vipFailureReason(result: Exclude<VipCallResult<unknown>, { kind: 'success' }>): string {
  return result.kind === 'vip-error' ? `VIP_STATUS_${result.status}` : result.failure;
}
