import { randomInt } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';

import {
  AuthenticateReply,
  BindReply,
  CredentialState,
  TemporaryCodeReply,
  ValidationOutcome,
  VipStatus,
  VipUserInfo,
} from '@app/contract';

import { VipException } from '../common/vip.exception';
import { SIMULATOR_CONFIG } from '../config/simulator-config.provider';
import { SimulatorConfig } from '../config/simulator-config';
import { CredentialEntity } from '../credentials/credential.entity';
import { statusRefusingValidation } from '../credentials/credential-state-machine';
import { CredentialsService } from '../credentials/credentials.service';
import { ReportsService } from '../reports/reports.service';
import { CredentialBindingEntity } from './credential-binding.entity';
import { TemporaryCodeEntity } from './temporary-code.entity';
import { TemporaryCodeHasher } from './temporary-code-hasher';
import { VipUserEntity } from './vip-user.entity';

/** Precedence of the rejecting states when several of a user's credentials cannot validate. */
const REJECTION_PRIORITY = [
  CredentialState.Locked,
  CredentialState.Disabled,
  CredentialState.Inactive,
  CredentialState.New,
];

export interface SetTemporaryCodeOptions {
  code?: string;
  expiresInSeconds?: number;
  oneTime?: boolean;
}

/** Outcome of checking a code against a user's ENABLED credentials. */
interface CredentialAttempt {
  accepted?: CredentialEntity;
  /** A credential whose code matched but whose step was already used. */
  replayed?: { credential: CredentialEntity; step: number };
  /** The code matched a credential only inside the wider sync window. */
  outOfSync: boolean;
}

/** Reply of a clear request: whether a temporary code was set. */
export interface ClearTemporaryCodeReply {
  vipUserId: string;
  cleared: boolean;
}

/** VIP users, their credential bindings, authentication and temporary security codes. */
@Injectable()
export class VipUsersService {
  private readonly logger = new Logger(VipUsersService.name);

  constructor(
    @InjectRepository(VipUserEntity) private readonly users: Repository<VipUserEntity>,
    @InjectRepository(CredentialBindingEntity)
    private readonly bindings: Repository<CredentialBindingEntity>,
    @InjectRepository(TemporaryCodeEntity)
    private readonly temporaryCodes: Repository<TemporaryCodeEntity>,
    @InjectRepository(CredentialEntity)
    private readonly credentialRows: Repository<CredentialEntity>,
    @Inject(SIMULATOR_CONFIG) private readonly config: SimulatorConfig,
    private readonly credentials: CredentialsService,
    private readonly reports: ReportsService,
    private readonly hasher: TemporaryCodeHasher,
  ) {}

  async create(vipUserId: string, requestId?: string): Promise<VipUserInfo> {
    const result = await this.users
      .createQueryBuilder()
      .insert()
      .into(VipUserEntity)
      .values({ vipUserId })
      .orIgnore()
      .returning(['vip_user_id'])
      .execute();
    if ((result.raw as unknown[]).length === 0) {
      throw new VipException(VipStatus.UserAlreadyExists, undefined, vipUserId);
    }
    this.logger.log({ requestId, vipUserId }, 'VIP user created');

    return this.get(vipUserId);
  }

  async get(vipUserId: string): Promise<VipUserInfo> {
    const user = await this.findUserOrFail(vipUserId);
    const credentials = await this.boundCredentials(vipUserId);
    const temporaryCode = await this.temporaryCodes.findOneBy({
      vipUserId,
      expiresAt: MoreThan(new Date()),
    });

    return {
      vipUserId,
      createdAt: user.createdAt.toISOString(),
      credentials: credentials.map((credential) => ({
        credentialId: credential.credentialId,
        type: credential.type,
        state: credential.state,
        disabledReason: credential.disabledReason,
      })),
      temporaryCode: temporaryCode
        ? { expiresAt: temporaryCode.expiresAt.toISOString(), oneTime: temporaryCode.oneTime }
        : null,
    };
  }

  /**
   * Binds a credential to a user after proof of possession: the code must be
   * valid and not replayed. The first bind moves a NEW credential to ENABLED.
   */
  async bind(
    vipUserId: string,
    credentialId: string,
    code: string,
    requestId?: string,
  ): Promise<BindReply> {
    await this.findUserOrFail(vipUserId);
    const credential = await this.credentials.findOrFail(credentialId);
    if (await this.bindings.existsBy({ vipUserId, credentialId })) {
      throw new VipException(
        VipStatus.CredentialAlreadyBound,
        undefined,
        `${credentialId} to ${vipUserId}`,
      );
    }
    if (credential.state !== CredentialState.New) {
      this.credentials.assertCanValidate(credential);
    }

    const match = this.credentials.matchCode(credential, code, Date.now());
    if (match.kind !== 'match') {
      await this.credentials.recordFailures([credential], vipUserId, 'BIND');
      throw match.kind === 'out-of-sync'
        ? new VipException(VipStatus.OutOfSync, undefined, credentialId)
        : new VipException(VipStatus.InvalidSecurityCode, undefined, credentialId);
    }
    const accepted = await this.credentials.acceptStep(credentialId, match.step, [
      CredentialState.New,
      CredentialState.Enabled,
    ]);
    if (!accepted) {
      await this.reports.record([
        this.event('BIND', vipUserId, credential, ValidationOutcome.Replayed),
      ]);
      await this.credentials.throwWhyNotAccepted(credentialId, match.step);
    }

    const inserted = await this.bindings
      .createQueryBuilder()
      .insert()
      .into(CredentialBindingEntity)
      .values({ vipUserId, credentialId })
      .orIgnore()
      .returning(['credential_id'])
      .execute();
    if ((inserted.raw as unknown[]).length === 0) {
      throw new VipException(
        VipStatus.CredentialAlreadyBound,
        undefined,
        `${credentialId} to ${vipUserId}`,
      );
    }
    await this.reports.record([
      this.event('BIND', vipUserId, credential, ValidationOutcome.Success),
    ]);
    this.logger.log({ requestId, vipUserId, credentialId }, 'Credential bound');

    return { vipUserId, credential: await this.credentials.get(credentialId) };
  }

  async unbind(vipUserId: string, credentialId: string, requestId?: string): Promise<VipUserInfo> {
    await this.findUserOrFail(vipUserId);
    await this.credentials.findOrFail(credentialId);
    const result = await this.bindings.delete({ vipUserId, credentialId });
    if (!result.affected) {
      throw new VipException(
        VipStatus.CredentialNotBound,
        undefined,
        `${credentialId} and ${vipUserId}`,
      );
    }
    this.logger.log({ requestId, vipUserId, credentialId }, 'Credential unbound');

    return this.get(vipUserId);
  }

  /**
   * Authenticates a user with a code from any ENABLED bound credential, or
   * with the user's temporary security code. A wrong code counts one failure
   * on every ENABLED bound credential, but a replayed code counts nothing.
   */
  async authenticate(
    vipUserId: string,
    code: string,
    requestId?: string,
  ): Promise<AuthenticateReply> {
    await this.findUserOrFail(vipUserId);
    const credentials = await this.boundCredentials(vipUserId);
    const enabled = credentials.filter(
      (credential) => credential.state === CredentialState.Enabled,
    );
    const nowMs = Date.now();

    const attempt = await this.tryEnabledCredentials(enabled, code, nowMs);
    if (attempt.accepted) {
      return this.succeedWithCredential(vipUserId, attempt.accepted, requestId);
    }
    if (await this.consumeTemporaryCode(vipUserId, code)) {
      return this.succeedWithTemporaryCode(vipUserId, requestId);
    }

    if (attempt.replayed) {
      const { credential, step } = attempt.replayed;
      await this.reports.record([
        this.event('AUTHENTICATE', vipUserId, credential, ValidationOutcome.Replayed),
      ]);
      await this.credentials.throwWhyNotAccepted(credential.credentialId, step);
    }
    await this.throwIfNoCredentialCanValidate(vipUserId, credentials, code, nowMs);

    const locked = await this.credentials.recordFailures(enabled, vipUserId, 'AUTHENTICATE');
    this.logger.log({ requestId, vipUserId, locked }, 'User authentication failed');
    if (attempt.outOfSync) {
      throw new VipException(
        VipStatus.OutOfSync,
        undefined,
        'resynchronise the credential with two consecutive codes',
      );
    }
    throw new VipException(
      VipStatus.AuthenticationFailed,
      undefined,
      locked.length > 0 ? `locked ${locked.join(', ')}` : undefined,
    );
  }

  /** Sets or replaces the user's temporary security code, storing only its hash. */
  async setTemporaryCode(
    vipUserId: string,
    options: SetTemporaryCodeOptions,
    requestId?: string,
  ): Promise<TemporaryCodeReply> {
    await this.findUserOrFail(vipUserId);
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

  async clearTemporaryCode(
    vipUserId: string,
    requestId?: string,
  ): Promise<ClearTemporaryCodeReply> {
    await this.findUserOrFail(vipUserId);
    const result = await this.temporaryCodes.delete({ vipUserId });
    const cleared = (result.affected ?? 0) > 0;
    this.logger.log({ requestId, vipUserId, cleared }, 'Temporary security code cleared');

    return { vipUserId, cleared };
  }

  /**
   * Checks the code against each ENABLED credential and accepts the first
   * match whose step is later than the credential's replay mark.
   */
  private async tryEnabledCredentials(
    enabled: CredentialEntity[],
    code: string,
    nowMs: number,
  ): Promise<CredentialAttempt> {
    const attempt: CredentialAttempt = { outOfSync: false };

    for (const credential of enabled) {
      const match = this.credentials.matchCode(credential, code, nowMs);
      if (match.kind === 'out-of-sync') {
        attempt.outOfSync = true;
      }
      if (match.kind !== 'match') {
        continue;
      }
      const accepted = await this.credentials.acceptStep(credential.credentialId, match.step, [
        CredentialState.Enabled,
      ]);
      if (accepted) {
        return { ...attempt, accepted: credential };
      }
      attempt.replayed = { credential, step: match.step };
    }

    return attempt;
  }

  private async succeedWithTemporaryCode(
    vipUserId: string,
    requestId?: string,
  ): Promise<AuthenticateReply> {
    await this.reports.record([
      {
        operation: 'AUTHENTICATE',
        vipUserId,
        credentialId: null,
        credentialType: 'TEMPORARY_CODE',
        outcome: ValidationOutcome.TemporaryCodeSuccess,
      },
    ]);
    this.logger.log({ requestId, vipUserId }, 'User authenticated with a temporary security code');

    return { vipUserId, credentialId: null, usedTemporaryCode: true };
  }

  private async succeedWithCredential(
    vipUserId: string,
    credential: CredentialEntity,
    requestId?: string,
  ): Promise<AuthenticateReply> {
    // A real credential works again, so the stand-in code is no longer needed.
    await this.temporaryCodes.delete({ vipUserId });
    await this.reports.record([
      this.event('AUTHENTICATE', vipUserId, credential, ValidationOutcome.Success),
    ]);
    this.logger.log(
      { requestId, vipUserId, credentialId: credential.credentialId },
      'User authenticated',
    );

    return { vipUserId, credentialId: credential.credentialId, usedTemporaryCode: false };
  }

  /**
   * Checks the temporary code. A one-time code is deleted by the same
   * statement that matches it, so only one of several concurrent uses wins.
   */
  private async consumeTemporaryCode(vipUserId: string, code: string): Promise<boolean> {
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

  /**
   * Throws 6007 when the user has no credential, and the state's status when
   * no bound credential is ENABLED or the code belongs to a credential that
   * cannot validate. None of these count as a failed attempt.
   */
  private async throwIfNoCredentialCanValidate(
    vipUserId: string,
    credentials: CredentialEntity[],
    code: string,
    nowMs: number,
  ): Promise<void> {
    if (credentials.length === 0) {
      throw new VipException(
        VipStatus.CredentialNotBound,
        'No credential is bound to the user',
        vipUserId,
      );
    }
    const notEnabled = credentials.filter(
      (credential) => credential.state !== CredentialState.Enabled,
    );
    const enabledCount = credentials.length - notEnabled.length;
    const relevant =
      enabledCount === 0
        ? notEnabled
        : notEnabled.filter(
            (credential) => this.credentials.matchCode(credential, code, nowMs).kind === 'match',
          );
    if (relevant.length === 0) {
      return;
    }
    const state = REJECTION_PRIORITY.find((candidate) =>
      relevant.some((credential) => credential.state === candidate),
    );
    const status = state ? statusRefusingValidation(state) : null;
    if (status) {
      await this.reports.record(
        relevant.map((credential) =>
          this.event('AUTHENTICATE', vipUserId, credential, ValidationOutcome.CredentialRefused),
        ),
      );
      throw new VipException(
        status,
        undefined,
        relevant.map((credential) => credential.credentialId).join(', '),
      );
    }
  }

  private async findUserOrFail(vipUserId: string): Promise<VipUserEntity> {
    const user = await this.users.findOneBy({ vipUserId });
    if (!user) {
      throw new VipException(VipStatus.UserNotFound, undefined, vipUserId);
    }

    return user;
  }

  private async boundCredentials(vipUserId: string): Promise<CredentialEntity[]> {
    return this.credentialRows
      .createQueryBuilder('credential')
      .innerJoin(
        CredentialBindingEntity,
        'binding',
        'binding.credential_id = credential.credential_id AND binding.vip_user_id = :vipUserId',
        { vipUserId },
      )
      .orderBy('credential.credential_id')
      .getMany();
  }

  private event(
    operation: 'AUTHENTICATE' | 'BIND',
    vipUserId: string,
    credential: CredentialEntity,
    outcome: ValidationOutcome,
  ) {
    return {
      operation,
      vipUserId,
      credentialId: credential.credentialId,
      credentialType: credential.type,
      outcome,
    };
  }
}
