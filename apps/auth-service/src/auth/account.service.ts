import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, MoreThan } from 'typeorm';

import { AuditActorType, AuditEvent, AuditEventType } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { RequestContext } from '../common/request-context';
import { AuthenticatedSession, SessionsService } from '../sessions/sessions.service';
import { toUserView } from '../users/dto/user.view';
import { IntrospectResponse, MeResponse } from './dto/auth-responses.dto';

/** Audit event types that the user's "last login" view lists as failed attempts. */
const FAILED_ATTEMPT_TYPES = [AuditEventType.SecondFactorFailed, AuditEventType.AttemptWhileLocked];
const MAX_FAILED_ATTEMPTS_LISTED = 100;

/** Session reads for the signed-in user and for other services. */
@Injectable()
export class AccountService {
  private readonly logger = new Logger(AccountService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Returns the user, the login before the current session, and the failed
   * secure-token attempts since that login (all of them when there is none).
   */
  async me(current: AuthenticatedSession): Promise<MeResponse> {
    const previous = await this.sessions.findPreviousLogin(current.session);
    const failures = await this.dataSource.getRepository(AuditEvent).find({
      where: {
        targetUserId: current.user.id,
        type: In(FAILED_ATTEMPT_TYPES),
        ...(previous ? { occurredAt: MoreThan(previous.createdAt) } : {}),
      },
      order: { occurredAt: 'DESC', id: 'DESC' },
      take: MAX_FAILED_ATTEMPTS_LISTED,
    });

    return {
      user: toUserView(current.user),
      previousLogin: previous ? { at: previous.createdAt.toISOString(), ip: previous.ip } : null,
      failedAttemptsSinceLastLogin: failures.map((event) => ({
        at: event.occurredAt.toISOString(),
        ip: event.ip,
        reason: event.reason ?? event.type,
      })),
    };
  }

  async logout(current: AuthenticatedSession, context: RequestContext): Promise<void> {
    await this.sessions.revoke(current.session.id);
    await this.audit.record(
      {
        type: AuditEventType.Logout,
        institutionId: current.user.institutionId,
        actorType: AuditActorType.User,
        actorUserId: current.user.id,
        targetUserId: current.user.id,
      },
      context,
    );
  }

  /**
   * Describes a session token for another service. Any token that is not a
   * live session, including a challenge token, gives `active: false`. A
   * database fault is logged and gives `active: false` too, so callers fail closed.
   */
  async introspect(token: string): Promise<IntrospectResponse> {
    try {
      const found = await this.sessions.authenticate(token);
      if (!found) {
        return { active: false };
      }

      return {
        active: true,
        userId: found.user.id,
        institutionId: found.user.institutionId,
        role: found.user.role,
        expiresAt: found.session.expiresAt.toISOString(),
      };
    } catch (error) {
      this.logger.error({ err: error }, 'Token introspection failed; returning active: false');

      return { active: false };
    }
  }
}
