import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';

import { entityFromRow, entitySelectList } from '@app/database';

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

  /**
   * Returns the live session and its user for a bearer token, or null. One
   * plain statement reads both, because every authenticated request runs it.
   */
  async authenticate(token: string): Promise<AuthenticatedSession | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${entitySelectList(this.dataSource, Session, 's', 's_')},
              ${entitySelectList(this.dataSource, User, 'u', 'u_')}
         FROM ${this.dataSource.getMetadata(Session).tablePath} s
         JOIN ${this.dataSource.getMetadata(User).tablePath} u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
      [hashToken(token)],
    )) as Array<Record<string, unknown>>;
    if (rows.length === 0) {
      return null;
    }

    return {
      session: entityFromRow(this.dataSource, Session, rows[0], 's_'),
      user: entityFromRow(this.dataSource, User, rows[0], 'u_'),
    };
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
