import { randomInt } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';

import { TemporaryCodeReply } from '@app/contract';

import { SimulatorConfig } from '../config/simulator-config';
import { SIMULATOR_CONFIG } from '../config/simulator-config.provider';
import { TemporaryCodeEntity } from './temporary-code.entity';
import { TemporaryCodeHasher } from './temporary-code-hasher';

export interface SetTemporaryCodeOptions {
  code?: string;
  expiresInSeconds?: number;
  oneTime?: boolean;
}

/** Reply of a clear request: whether a temporary code was set. */
export interface ClearTemporaryCodeReply {
  vipUserId: string;
  cleared: boolean;
}

/**
 * Temporary security codes that a VIP Manager administrator gives a user who
 * cannot use a credential. Callers check that the user exists.
 */
@Injectable()
export class TemporaryCodesService {
  private readonly logger = new Logger(TemporaryCodesService.name);

  constructor(
    @InjectRepository(TemporaryCodeEntity)
    private readonly temporaryCodes: Repository<TemporaryCodeEntity>,
    @Inject(SIMULATOR_CONFIG) private readonly config: SimulatorConfig,
    private readonly hasher: TemporaryCodeHasher,
  ) {}

  /** Returns the user's code if it has not expired. */
  findActive(vipUserId: string): Promise<TemporaryCodeEntity | null> {
    return this.temporaryCodes.findOneBy({ vipUserId, expiresAt: MoreThan(new Date()) });
  }

  /** Sets or replaces the user's temporary security code, storing only its hash. */
  async set(
    vipUserId: string,
    options: SetTemporaryCodeOptions,
    requestId?: string,
  ): Promise<TemporaryCodeReply> {
    const code = options.code ?? randomInt(0, 1_000_000).toString().padStart(6, '0');
    const lifetimeSeconds = options.expiresInSeconds ?? this.config.VIP_TEMP_CODE_DEFAULT_SECONDS;
    const expiresAt = new Date(Date.now() + lifetimeSeconds * 1000);
    const oneTime = options.oneTime ?? false;

    await this.temporaryCodes.upsert(
      { vipUserId, codeHash: this.hasher.hash(vipUserId, code), expiresAt, oneTime },
      ['vipUserId'],
    );
    this.logger.log({ requestId, vipUserId, expiresAt, oneTime }, 'Temporary security code set');

    return { vipUserId, code, expiresAt: expiresAt.toISOString(), oneTime };
  }

  async clear(vipUserId: string, requestId?: string): Promise<ClearTemporaryCodeReply> {
    const result = await this.temporaryCodes.delete({ vipUserId });
    const cleared = (result.affected ?? 0) > 0;
    this.logger.log({ requestId, vipUserId, cleared }, 'Temporary security code cleared');

    return { vipUserId, cleared };
  }

  /**
   * Checks a code against the user's unexpired temporary code. A one-time
   * code is deleted by the same statement that matches it, so only one of
   * several concurrent uses wins.
   */
  async consume(vipUserId: string, code: string): Promise<boolean> {
    const codeHash = this.hasher.hash(vipUserId, code);
    const result = await this.temporaryCodes
      .createQueryBuilder()
      .delete()
      .from(TemporaryCodeEntity)
      .where('vip_user_id = :vipUserId AND code_hash = :codeHash', { vipUserId, codeHash })
      .andWhere('expires_at > now() AND one_time')
      .returning(['vip_user_id'])
      .execute();
    if (result.affected === 1) {
      return true;
    }

    return this.temporaryCodes
      .createQueryBuilder('temporary')
      .where('temporary.vip_user_id = :vipUserId AND temporary.code_hash = :codeHash', {
        vipUserId,
        codeHash,
      })
      .andWhere('temporary.expires_at > now() AND NOT temporary.one_time')
      .getExists();
  }
}
