import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';

import { AuthConfig } from '../config/auth-config';
import { generateToken, hashToken } from '../common/tokens';
import { User } from '../users/user.entity';
import { Session } from './session.entity';

export interface IssuedSession {
  sessionToken: string;
  expiresAt: Date;
}

/** A new session token and the values that store it. */
export interface NewSession extends IssuedSession {
  tokenHash: string;
}

export interface AuthenticatedSession {
  session: Session;
  user: User;
}

@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AuthConfig,
  ) {}

  /**
   * Generates a session token and its expiry time, without storing anything.
   * Only the token's SHA-256 (`tokenHash`) is ever stored.
   */
  newSession(): NewSession {
    const sessionToken = generateToken();

    return {
      sessionToken,
      tokenHash: hashToken(sessionToken),
      expiresAt: new Date(Date.now() + this.config.SESSION_TTL_SECONDS * 1000),
    };
  }

  /** Returns the live session and its user for a bearer token, or null. */
  async authenticate(token: string): Promise<AuthenticatedSession | null> {
    const session = await this.dataSource.getRepository(Session).findOne({
      where: { tokenHash: hashToken(token), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    });
    if (!session) {
      return null;
    }
    const user = await this.dataSource.getRepository(User).findOneBy({ id: session.userId });

    return user ? { session, user } : null;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.dataSource
      .getRepository(Session)
      .update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  /** Ends every open session of a user; returns how many were ended. */
  async revokeAllForUser(userId: string, manager: EntityManager): Promise<number> {
    const result = await manager.update(
      Session,
      { userId, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );

    return result.affected ?? 0;
  }

  /** Finds the user's last session created before the given one: the "previous login". */
  async findPreviousLogin(current: Session): Promise<Session | null> {
    const table = this.dataSource.getMetadata(Session).tablePath;

    // Compares stored timestamps in SQL: a JavaScript Date would drop the microseconds.
    return this.dataSource
      .getRepository(Session)
      .createQueryBuilder('s')
      .where('s.user_id = :userId', { userId: current.userId })
      .andWhere('s.id <> :currentId', { currentId: current.id })
      .andWhere(`s.created_at < (SELECT c.created_at FROM ${table} c WHERE c.id = :currentId)`)
      .orderBy('s.created_at', 'DESC')
      .limit(1)
      .getOne();
  }
}
