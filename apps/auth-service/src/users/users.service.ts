import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, QueryFailedError } from 'typeorm';

import { PasswordHasher } from '../common/password-hasher.service';
import { AuthErrorCode } from '../errors/auth-error-code';
import { AuthException } from '../errors/auth.exception';
import { User, UserRole } from './user.entity';

export interface NewUser {
  institutionId: string;
  username: string;
  password: string;
  role: UserRole;
}

/** PostgreSQL SQLSTATE for a unique constraint violation. */
const UNIQUE_VIOLATION = '23505';

/** Tells whether a query failed on the named unique constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) {
    return false;
  }
  const driverError = error.driverError as { code?: string; constraint?: string };

  return driverError.code === UNIQUE_VIOLATION && driverError.constraint === constraint;
}

/**
 * Generates a VIP user ID: "tm-" and a random UUID. It identifies the user at
 * VIP and in VIP Manager, and never changes, even when the username would.
 */
export function generateVipUserId(): string {
  return `tm-${randomUUID()}`;
}

@Injectable()
export class UsersService {
  constructor(private readonly hasher: PasswordHasher) {}

  /** Inserts a user; the username must already be normalised. */
  async create(input: NewUser, manager: EntityManager): Promise<User> {
    // The unique constraint still decides under concurrency; this check only
    // keeps the common case out of the database error log.
    if (await manager.existsBy(User, { username: input.username })) {
      throw usernameTaken(input.username);
    }
    const passwordHash = await this.hasher.hash(input.password);
    const user = manager.create(User, {
      institutionId: input.institutionId,
      username: input.username,
      passwordHash,
      role: input.role,
      vipUserId: generateVipUserId(),
    });
    try {
      return await manager.save(user);
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_key')) {
        throw usernameTaken(input.username);
      }
      throw error;
    }
  }
}

function usernameTaken(username: string): AuthException {
  return new AuthException(
    AuthErrorCode.UsernameTaken,
    `username "${username}" is already in use; choose another`,
  );
}
