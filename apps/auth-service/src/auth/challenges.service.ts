import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';

import { AuthConfig } from '../config/auth-config';
import { generateToken, hashToken } from '../common/tokens';
import { Challenge, ChallengeStep } from './challenge.entity';

export interface IssuedChallenge {
  challengeToken: string;
  expiresAt: Date;
}

@Injectable()
export class ChallengesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AuthConfig,
  ) {}

  /** Issues a single-use challenge token for one user and one step. */
  async issue(userId: string, step: ChallengeStep): Promise<IssuedChallenge> {
    const challengeToken = generateToken();
    const expiresAt = new Date(Date.now() + this.config.CHALLENGE_TTL_SECONDS * 1000);
    await this.dataSource.getRepository(Challenge).insert({
      tokenHash: hashToken(challengeToken),
      userId,
      step,
      expiresAt,
    });

    return { challengeToken, expiresAt };
  }

  findByToken(token: string, manager: EntityManager): Promise<Challenge | null> {
    return manager.findOne(Challenge, { where: { tokenHash: hashToken(token) } });
  }

  /** Marks the challenge used. Returns false when another request consumed or ended it first. */
  async consume(challengeId: string, manager: EntityManager): Promise<boolean> {
    const result = await manager.update(
      Challenge,
      { id: challengeId, consumedAt: IsNull(), invalidatedAt: IsNull() },
      { consumedAt: () => 'now()' },
    );

    return result.affected === 1;
  }

  /** Ends every open challenge of a user, as a lock or a reset requires. */
  async invalidateAllForUser(userId: string, manager: EntityManager): Promise<number> {
    const result = await manager.update(
      Challenge,
      { userId, consumedAt: IsNull(), invalidatedAt: IsNull() },
      { invalidatedAt: () => 'now()' },
    );

    return result.affected ?? 0;
  }
}
