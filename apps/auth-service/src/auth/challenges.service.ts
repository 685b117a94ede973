import { ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import { Request } from 'express';
import { EntityManager, IsNull } from 'typeorm';

import { AuthConfig } from '../config/auth-config';
import { generateToken, hashToken } from '../common/tokens';
import { Challenge } from './challenge.entity';
import { ChallengeRef, LoginStatements, NewChallenge } from './login-statements';

/**
 * The result of a challenge lookup by token that AuthThrottlerGuard made for
 * a request. The handler reuses it instead of reading the row again, which is
 * safe because a challenge's ID, user and step never change.
 */
export interface ChallengeLookup {
  challengeToken: string;
  challenge: ChallengeRef | null;
}

type RequestWithChallengeLookup = Request & { challengeLookup?: ChallengeLookup };

/** Keeps a challenge lookup on the request for ChallengeLookupOf. */
export function keepChallengeLookup(request: Request, lookup: ChallengeLookup): void {
  (request as RequestWithChallengeLookup).challengeLookup = lookup;
}

/** Injects the ChallengeLookup kept on the request, or undefined when the guard made none. */
export const ChallengeLookupOf = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ChallengeLookup | undefined =>
    context.switchToHttp().getRequest<RequestWithChallengeLookup>().challengeLookup,
);

@Injectable()
export class ChallengesService {
  constructor(
    private readonly statements: LoginStatements,
    private readonly config: AuthConfig,
  ) {}

  /**
   * Generates a challenge token and its expiry time, without storing anything.
   * Only the token's SHA-256 (`tokenHash`) is ever stored.
   */
  newChallenge(): NewChallenge {
    const challengeToken = generateToken();

    return {
      challengeToken,
      tokenHash: hashToken(challengeToken),
      expiresAt: new Date(Date.now() + this.config.CHALLENGE_TTL_SECONDS * 1000),
    };
  }

  /**
   * Finds a challenge by its token, or null. `lookup` is an earlier result
   * for the same request, used when it is for the same token.
   */
  async findByToken(token: string, lookup?: ChallengeLookup): Promise<ChallengeRef | null> {
    if (lookup?.challengeToken === token) {
      return lookup.challenge;
    }

    return this.statements.findChallenge(hashToken(token));
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
