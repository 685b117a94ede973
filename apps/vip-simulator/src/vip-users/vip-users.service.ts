import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

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
import { CredentialEntity } from '../credentials/credential.entity';
import { statusRejectingValidation } from '../credentials/credential-state-machine';
import { CredentialValidationService } from '../credentials/credential-validation.service';
import { CredentialsService } from '../credentials/credentials.service';
import { ReportsService } from '../reports/reports.service';
import { AuthenticationAcceptor } from './authentication-acceptor';
import { BoundCredentialsReader } from './bound-credentials-reader';
import { CredentialBindingEntity } from './credential-binding.entity';
import {
  ClearTemporaryCodeReply,
  SetTemporaryCodeOptions,
  TemporaryCodesService,
} from './temporary-codes.service';
import { VipUserEntity } from './vip-user.entity';

function enabledOf(credentials: CredentialEntity[]): CredentialEntity[] {
  return credentials.filter((credential) => credential.state === CredentialState.Enabled);
}

/** Precedence of the rejecting states when several of a user's credentials cannot validate. */
const REJECTION_PRIORITY = [
  CredentialState.Locked,
  CredentialState.Disabled,
  CredentialState.Inactive,
  CredentialState.New,
];

/** Outcome of checking a code against a user's ENABLED credentials. */
/** A credential whose code was accepted, and whether that cleared a temporary code. */
interface AcceptedCredential {
  credential: CredentialEntity;
  clearedTemporaryCode: boolean;
}

interface CredentialAttempt {
  accepted?: AcceptedCredential;
  /** A credential whose code matched but whose step was already used. */
  replayed?: { credential: CredentialEntity; step: number };
  /** The code matched a credential only inside the wider sync window. */
  outOfSync: boolean;
}

/** VIP users, their credential bindings, authentication and temporary security codes. */
@Injectable()
export class VipUsersService {
  private readonly logger = new Logger(VipUsersService.name);

  constructor(
    @InjectRepository(VipUserEntity) private readonly users: Repository<VipUserEntity>,
    @InjectRepository(CredentialBindingEntity)
    private readonly bindings: Repository<CredentialBindingEntity>,
    @InjectRepository(CredentialEntity)
    private readonly credentialRows: Repository<CredentialEntity>,
    private readonly credentials: CredentialsService,
    private readonly validation: CredentialValidationService,
    private readonly reports: ReportsService,
    private readonly temporaryCodeService: TemporaryCodesService,
    private readonly acceptor: AuthenticationAcceptor,
    private readonly boundCredentialsReader: BoundCredentialsReader,
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
    const temporaryCode = await this.temporaryCodeService.findActive(vipUserId);

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
    const credential = await this.validation.findOrFail(credentialId);
    if (await this.bindings.existsBy({ vipUserId, credentialId })) {
      throw new VipException(
        VipStatus.CredentialAlreadyBound,
        undefined,
        `${credentialId} to ${vipUserId}`,
      );
    }
    if (credential.state !== CredentialState.New) {
      this.validation.assertCanValidate(credential);
    }

    const match = this.validation.matchCode(credential, code, Date.now());
    if (match.kind !== 'match') {
      await this.validation.recordFailures([credential], vipUserId, 'BIND');
      throw match.kind === 'out-of-sync'
        ? new VipException(VipStatus.OutOfSync, undefined, credentialId)
        : new VipException(VipStatus.InvalidSecurityCode, undefined, credentialId);
    }
    const accepted = await this.validation.acceptStep(credentialId, match.step, [
      CredentialState.New,
      CredentialState.Enabled,
    ]);
    if (!accepted) {
      await this.reports.record([
        this.event('BIND', vipUserId, credential, ValidationOutcome.Replayed),
      ]);
      await this.validation.throwWhyNotAccepted(credentialId, match.step);
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
    await this.validation.findOrFail(credentialId);
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
   * A credential-state status (4993, 4994, 4995, 4996) or 6007 is returned
   * only when the user has neither an ENABLED credential nor an active
   * temporary code. Otherwise a wrong code is 6009, so that the caller counts
   * guesses at a temporary code like any other wrong code.
   */
  async authenticate(
    vipUserId: string,
    code: string,
    requestId?: string,
  ): Promise<AuthenticateReply> {
    let credentials = await this.boundCredentialsReader.read(vipUserId);
    if (credentials.length === 0) {
      // A binding exists only for an existing user, so the user is looked up only without one.
      await this.findUserOrFail(vipUserId);
    }
    const nowMs = Date.now();

    let attempt = await this.tryEnabledCredentials(vipUserId, enabledOf(credentials), code, nowMs);
    if (!attempt.accepted && attempt.replayed) {
      // A matched code is also refused when an unbind, a state change or a
      // resync committed after the read. The rows are read again, so that
      // only a true replay is reported as one.
      credentials = await this.boundCredentialsReader.read(vipUserId);
      attempt = await this.tryEnabledCredentials(vipUserId, enabledOf(credentials), code, nowMs);
    }
    const enabled = enabledOf(credentials);
    if (attempt.accepted) {
      return this.succeedWithCredential(vipUserId, attempt.accepted, requestId);
    }
    if (await this.temporaryCodeService.consume(vipUserId, code)) {
      return this.succeedWithTemporaryCode(vipUserId, requestId);
    }

    if (attempt.replayed) {
      const { credential, step } = attempt.replayed;
      await this.reports.record([
        this.event('AUTHENTICATE', vipUserId, credential, ValidationOutcome.Replayed),
      ]);
      await this.validation.throwWhyNotAccepted(credential.credentialId, step);
    }
    const temporaryCode = await this.temporaryCodeService.findActive(vipUserId);
    if (temporaryCode) {
      await this.reports.record([
        {
          operation: 'AUTHENTICATE',
          vipUserId,
          credentialId: null,
          credentialType: 'TEMPORARY_CODE',
          outcome: ValidationOutcome.InvalidCode,
        },
      ]);
    } else {
      await this.throwIfNoCredentialCanValidate(vipUserId, credentials);
    }

    const locked = await this.validation.recordFailures(enabled, vipUserId, 'AUTHENTICATE');
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

  async setTemporaryCode(
    vipUserId: string,
    options: SetTemporaryCodeOptions,
    requestId?: string,
  ): Promise<TemporaryCodeReply> {
    await this.findUserOrFail(vipUserId);

    return this.temporaryCodeService.set(vipUserId, options, requestId);
  }

  async clearTemporaryCode(
    vipUserId: string,
    requestId?: string,
  ): Promise<ClearTemporaryCodeReply> {
    await this.findUserOrFail(vipUserId);

    return this.temporaryCodeService.clear(vipUserId, requestId);
  }

  /**
   * Checks the code against each ENABLED credential and accepts the first
   * match whose step is later than the credential's replay mark.
   */
  private async tryEnabledCredentials(
    vipUserId: string,
    enabled: CredentialEntity[],
    code: string,
    nowMs: number,
  ): Promise<CredentialAttempt> {
    const attempt: CredentialAttempt = { outOfSync: false };

    for (const credential of enabled) {
      const match = this.validation.matchCode(credential, code, nowMs);
      if (match.kind === 'out-of-sync') {
        attempt.outOfSync = true;
      }
      if (match.kind !== 'match') {
        continue;
      }
      const acceptance = await this.acceptor.accept({
        vipUserId,
        credentialId: credential.credentialId,
        step: match.step,
        driftSteps: credential.driftSteps,
      });
      if (acceptance.accepted) {
        return { ...attempt, accepted: { credential, ...acceptance } };
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

  private succeedWithCredential(
    vipUserId: string,
    { credential, clearedTemporaryCode }: AcceptedCredential,
    requestId?: string,
  ): AuthenticateReply {
    if (clearedTemporaryCode) {
      this.logger.log(
        { requestId, vipUserId },
        'Temporary security code cleared by a credential success',
      );
    }
    this.logger.log(
      { requestId, vipUserId, credentialId: credential.credentialId },
      'User authenticated',
    );

    return { vipUserId, credentialId: credential.credentialId, usedTemporaryCode: false };
  }

  /**
   * Throws 6007 when the user has no credential, and the state's status when
   * no bound credential is ENABLED. Neither counts as a failed attempt.
   */
  private async throwIfNoCredentialCanValidate(
    vipUserId: string,
    credentials: CredentialEntity[],
  ): Promise<void> {
    if (credentials.length === 0) {
      throw new VipException(
        VipStatus.CredentialNotBound,
        'No credential is bound to the user',
        vipUserId,
      );
    }
    const relevant = credentials.filter(
      (credential) => credential.state !== CredentialState.Enabled,
    );
    if (relevant.length < credentials.length) {
      return;
    }
    const state = REJECTION_PRIORITY.find((candidate) =>
      relevant.some((credential) => credential.state === candidate),
    );
    const status = state ? statusRejectingValidation(state) : null;
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
