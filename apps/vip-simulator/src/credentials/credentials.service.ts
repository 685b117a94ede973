import { randomBytes } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import {
  CredentialAction,
  CredentialInfo,
  CredentialState,
  CredentialType,
  CurrentCode,
  DisableReason,
  ProvisionedCredential,
  ValidationOutcome,
  VipStatus,
} from '@app/contract';

import { VipException } from '../common/vip.exception';
import { SIMULATOR_CONFIG } from '../config/simulator-config.provider';
import { SimulatorConfig } from '../config/simulator-config';
import { ReportsService } from '../reports/reports.service';
import { decodeBase32, encodeBase32 } from '../totp/base32';
import { SecretCipher } from '../totp/secret-cipher';
import {
  TIME_STEP_SECONDS,
  computeTotpForStep,
  findConsecutiveSteps,
  timeStepAt,
} from '../totp/totp';
import { CredentialBindingEntity } from '../vip-users/credential-binding.entity';
import { CredentialEntity } from './credential.entity';
import { buildOtpauthUri, credentialTypeOfId, generateCredentialId } from './credential-ids';
import { TRANSITIONS } from './credential-state-machine';
import { CredentialValidationService } from './credential-validation.service';

/** Bytes of a TOTP secret, as VIP issues them. */
export const SECRET_BYTES = 20;

const ID_ATTEMPTS = 5;

/** Result of checking a code against one credential, before any counter changes. */
export type CodeMatch =
  { kind: 'match'; step: number } | { kind: 'out-of-sync'; step: number } | { kind: 'no-match' };

/** Issues credentials, computes their codes and changes their state. */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);

  constructor(
    @InjectRepository(CredentialEntity)
    private readonly credentials: Repository<CredentialEntity>,
    @InjectRepository(CredentialBindingEntity)
    private readonly bindings: Repository<CredentialBindingEntity>,
    @Inject(SIMULATOR_CONFIG) private readonly config: SimulatorConfig,
    private readonly cipher: SecretCipher,
    private readonly reports: ReportsService,
    private readonly validation: CredentialValidationService,
  ) {}

  /** Issues a credential in state NEW with a fresh 20-byte secret, returned this once. */
  async provision(type: CredentialType, requestId?: string): Promise<ProvisionedCredential> {
    const secret = randomBytes(SECRET_BYTES);

    for (let attempt = 1; attempt <= ID_ATTEMPTS; attempt++) {
      const credentialId = generateCredentialId(type);
      const inserted = await this.insert(credentialId, type, secret);
      if (inserted) {
        this.logger.log({ requestId, credentialId, type }, 'Credential provisioned');

        return this.withSecret(inserted, secret);
      }
    }
    throw new VipException(
      VipStatus.InternalError,
      `could not find a free ${type} credential ID after ${ID_ATTEMPTS} attempts`,
    );
  }

  /** Imports an existing token, such as a legacy VSMT or VSST credential, in state NEW. */
  async importCredential(
    credentialId: string,
    secretBase32: string,
    requestId?: string,
  ): Promise<CredentialInfo> {
    const type = credentialTypeOfId(credentialId);
    if (type === null) {
      throw new VipException(
        VipStatus.InvalidRequest,
        'credentialId must start with SYMC, SYDC, SYHW, VSMT or VSST',
      );
    }
    const secret = decodeImportedSecret(secretBase32);
    const inserted = await this.insert(credentialId, type, secret);
    if (!inserted) {
      throw new VipException(VipStatus.CredentialAlreadyExists, undefined, credentialId);
    }
    this.logger.log({ requestId, credentialId, type }, 'Credential imported');

    return this.describe(inserted);
  }

  async get(credentialId: string): Promise<CredentialInfo> {
    return this.describe(await this.validation.findOrFail(credentialId));
  }

  /**
   * Computes the code the token shows at `at` (default now). Tokens in every
   * state show codes. A token resynchronised with a drift shows the code of
   * its own clock, `driftSteps` steps off the simulator's, as the
   * authentication expects it.
   */
  async currentCode(credentialId: string, at?: string): Promise<CurrentCode> {
    const credential = await this.validation.findOrFail(credentialId);
    const wallStep = timeStepAt(at === undefined ? Date.now() : Date.parse(at));
    const step = wallStep + credential.driftSteps;
    if (wallStep < 0 || step < 0) {
      throw new VipException(
        VipStatus.InvalidRequest,
        'at must not be before 1970-01-01T00:00:00Z',
      );
    }
    const stepMs = TIME_STEP_SECONDS * 1000;

    return {
      credentialId,
      code: computeTotpForStep(this.validation.decryptSecret(credential), step),
      timeStep: step,
      validFrom: new Date(wallStep * stepMs).toISOString(),
      validUntil: new Date((wallStep + 1) * stepMs).toISOString(),
    };
  }

  /** Applies a state-change action atomically, so concurrent changes cannot both apply. */
  async changeState(
    credentialId: string,
    action: CredentialAction,
    reason: DisableReason | undefined,
    requestId?: string,
  ): Promise<CredentialInfo> {
    if (action === CredentialAction.Disable && reason === undefined) {
      throw new VipException(
        VipStatus.InvalidRequest,
        'reason is required when action is DISABLE (LOST, STOLEN, DAMAGED or UNSPECIFIED)',
      );
    }
    if (action !== CredentialAction.Disable && reason !== undefined) {
      throw new VipException(
        VipStatus.InvalidRequest,
        'reason is allowed only with action DISABLE',
      );
    }
    const transition = TRANSITIONS[action];

    const result = await this.credentials
      .createQueryBuilder()
      .update(CredentialEntity)
      .set({ state: transition.to, disabledReason: reason ?? null, failedAttempts: 0 })
      .where('credential_id = :credentialId', { credentialId })
      .andWhere('state IN (:...from)', { from: transition.from })
      .returning(['credential_id'])
      .execute();

    const credential = await this.validation.findOrFail(credentialId);
    if (result.affected === 0) {
      throw new VipException(
        VipStatus.StateTransitionNotAllowed,
        `${action} is not allowed for a credential in state ${credential.state}`,
        `${action} is allowed from ${transition.from.join(', ')}`,
      );
    }
    this.logger.log(
      { requestId, credentialId, action, state: credential.state },
      'Credential state changed',
    );

    return this.describe(credential);
  }

  /**
   * Resynchronises a drifting token with two consecutive codes found inside
   * the wider sync window, and stores the measured drift so that later codes
   * are checked around the token's clock.
   */
  async synchronize(
    credentialId: string,
    code1: string,
    code2: string,
    requestId?: string,
  ): Promise<CredentialInfo> {
    const credential = await this.validation.findOrFail(credentialId);
    this.validation.assertCanValidate(credential);
    const nowStep = timeStepAt(Date.now());
    const secondStep = findConsecutiveSteps(
      this.validation.decryptSecret(credential),
      code1,
      code2,
      nowStep + credential.driftSteps,
      this.config.VIP_SYNC_WINDOW_STEPS,
    );

    if (secondStep === null) {
      await this.validation.recordFailures([credential], null, 'SYNCHRONIZE');
      throw new VipException(
        VipStatus.InvalidSecurityCode,
        'the two codes are not consecutive codes of this credential within the sync window',
      );
    }
    const accepted = await this.validation.acceptStep(
      credentialId,
      secondStep,
      [CredentialState.Enabled],
      {
        driftSteps: secondStep - nowStep,
      },
    );
    if (!accepted) {
      await this.validation.throwWhyNotAccepted(credentialId, secondStep);
    }
    await this.reports.record([
      {
        operation: 'SYNCHRONIZE',
        vipUserId: null,
        credentialId,
        credentialType: credential.type,
        outcome: ValidationOutcome.Success,
      },
    ]);
    this.logger.log(
      { requestId, credentialId, driftSteps: secondStep - nowStep },
      'Credential synchronised',
    );

    return this.get(credentialId);
  }

  async describe(credential: CredentialEntity): Promise<CredentialInfo> {
    const bindings = await this.bindings.find({
      where: { credentialId: credential.credentialId },
      order: { vipUserId: 'ASC' },
    });

    return {
      credentialId: credential.credentialId,
      type: credential.type,
      state: credential.state,
      disabledReason: credential.disabledReason,
      failedAttempts: credential.failedAttempts,
      lastValidatedAt: credential.lastValidatedAt?.toISOString() ?? null,
      boundUserIds: bindings.map((binding) => binding.vipUserId),
      createdAt: credential.createdAt.toISOString(),
    };
  }

  private async insert(
    credentialId: string,
    type: CredentialType,
    secret: Buffer,
  ): Promise<CredentialEntity | null> {
    const encrypted = this.cipher.encrypt(secret, credentialId);
    const result = await this.credentials
      .createQueryBuilder()
      .insert()
      .into(CredentialEntity)
      .values({
        credentialId,
        type,
        state: CredentialState.New,
        disabledReason: null,
        secretIv: encrypted.iv,
        secretCiphertext: encrypted.ciphertext,
        secretAuthTag: encrypted.authTag,
      })
      .orIgnore()
      .returning(['credential_id'])
      .execute();

    if ((result.raw as unknown[]).length === 0) {
      return null;
    }

    return this.validation.findOrFail(credentialId);
  }

  private async withSecret(
    credential: CredentialEntity,
    secret: Buffer,
  ): Promise<ProvisionedCredential> {
    const secretBase32 = encodeBase32(secret);

    return {
      ...(await this.describe(credential)),
      secret: secretBase32,
      otpauthUri: buildOtpauthUri(this.config.VIP_ISSUER, credential.credentialId, secretBase32),
    };
  }
}

/**
 * Decodes an imported base32 secret. A length of 1, 3 or 6 characters past a
 * multiple of 8, or a last character whose unused bits are not zero, decodes
 * to no whole number of bytes, and the decoder throws.
 */
function decodeImportedSecret(secretBase32: string): Buffer {
  try {
    return decodeBase32(secretBase32.replace(/=+$/, ''));
  } catch {
    throw new VipException(
      VipStatus.InvalidRequest,
      'secret must be base32 that decodes to whole bytes (RFC 4648); check its length and its last character',
    );
  }
}
