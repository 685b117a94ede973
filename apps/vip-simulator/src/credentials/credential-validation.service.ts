import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { CredentialState, ValidationOutcome, VipStatus } from '@app/contract';

import { VipException } from '../common/vip.exception';
import { SimulatorConfig } from '../config/simulator-config';
import { SIMULATOR_CONFIG } from '../config/simulator-config.provider';
import { ReportsService } from '../reports/reports.service';
import { SecretCipher } from '../totp/secret-cipher';
import { findMatchingStep, timeStepAt } from '../totp/totp';
import { CredentialEntity } from './credential.entity';
import { statusRejectingValidation } from './credential-state-machine';

/** Result of checking a code against one credential, before any counter changes. */
export type CodeMatch =
  { kind: 'match'; step: number } | { kind: 'out-of-sync'; step: number } | { kind: 'no-match' };

/**
 * Validates codes against credentials and keeps their counters: the replay
 * mark, the failure count and the lock. Every counter change is one SQL
 * statement, so concurrent requests and several instances stay consistent.
 */
@Injectable()
export class CredentialValidationService {
  private readonly logger = new Logger(CredentialValidationService.name);

  constructor(
    @InjectRepository(CredentialEntity)
    private readonly credentials: Repository<CredentialEntity>,
    @Inject(SIMULATOR_CONFIG) private readonly config: SimulatorConfig,
    private readonly cipher: SecretCipher,
    private readonly reports: ReportsService,
  ) {}

  async findOrFail(credentialId: string): Promise<CredentialEntity> {
    const credential = await this.credentials.findOneBy({ credentialId });
    if (!credential) {
      throw new VipException(VipStatus.CredentialNotFound, undefined, credentialId);
    }

    return credential;
  }

  /** Throws the state's VIP status unless the credential is ENABLED. */
  assertCanValidate(credential: CredentialEntity): void {
    const status = statusRejectingValidation(credential.state);
    if (status !== null) {
      throw new VipException(status, undefined, credential.credentialId);
    }
  }

  decryptSecret(credential: CredentialEntity): Buffer {
    return this.cipher.decrypt(
      {
        iv: credential.secretIv,
        ciphertext: credential.secretCiphertext,
        authTag: credential.secretAuthTag,
      },
      credential.credentialId,
    );
  }

  /**
   * Checks a code around the credential's clock without changing anything. A
   * code inside the validation window matches. A code outside it but inside
   * the sync window means the credential is out of sync.
   */
  matchCode(credential: CredentialEntity, code: string, nowMs: number): CodeMatch {
    const secret = this.decryptSecret(credential);
    const center = timeStepAt(nowMs) + credential.driftSteps;
    const step = findMatchingStep(secret, code, center, this.config.VIP_WINDOW_STEPS);
    if (step !== null) {
      return { kind: 'match', step };
    }
    const farStep = findMatchingStep(secret, code, center, this.config.VIP_SYNC_WINDOW_STEPS);

    return farStep === null ? { kind: 'no-match' } : { kind: 'out-of-sync', step: farStep };
  }

  /**
   * Marks `step` as accepted if it is later than the last accepted step and
   * the credential is in one of `states`. The check and the change are one
   * UPDATE, so of several concurrent requests with one code exactly one wins.
   * Also resets the failure count and moves NEW to ENABLED. Returns false
   * when nothing was updated.
   */
  async acceptStep(
    credentialId: string,
    step: number,
    states: CredentialState[],
    extra: Partial<Pick<CredentialEntity, 'driftSteps'>> = {},
  ): Promise<boolean> {
    const result = await this.credentials
      .createQueryBuilder()
      .update(CredentialEntity)
      .set({
        ...extra,
        lastAcceptedStep: step,
        failedAttempts: 0,
        lastValidatedAt: () => 'now()',
        state: () =>
          `CASE WHEN state = '${CredentialState.New}' THEN '${CredentialState.Enabled}' ELSE state END`,
      })
      .where('credential_id = :credentialId', { credentialId })
      .andWhere('state IN (:...states)', { states })
      .andWhere('last_accepted_step < :step', { step })
      .returning(['credential_id'])
      .execute();

    return result.affected === 1;
  }

  /** Throws why acceptStep returned false: the state's status, or 49B6 for a replayed code. */
  async throwWhyNotAccepted(credentialId: string, step: number): Promise<never> {
    const current = await this.findOrFail(credentialId);
    const rejection = statusRejectingValidation(current.state);
    if (rejection !== null && current.state !== CredentialState.New) {
      throw new VipException(rejection, undefined, credentialId);
    }
    throw new VipException(
      VipStatus.SecurityCodeReplayed,
      'Security code was already used: its time step is at or before the last accepted one',
      `${credentialId} step ${step}`,
    );
  }

  /**
   * Counts one failed validation on each ENABLED credential in one UPDATE and
   * locks those that reach the threshold. Returns the IDs of newly locked credentials.
   */
  async recordFailures(
    credentials: CredentialEntity[],
    vipUserId: string | null,
    operation: 'AUTHENTICATE' | 'BIND' | 'SYNCHRONIZE',
    outcome: ValidationOutcome = ValidationOutcome.InvalidCode,
  ): Promise<string[]> {
    const enabled = credentials.filter(
      (credential) => credential.state === CredentialState.Enabled,
    );
    await this.reports.record(
      credentials.map((credential) => ({
        operation,
        vipUserId,
        credentialId: credential.credentialId,
        credentialType: credential.type,
        outcome,
      })),
    );
    if (enabled.length === 0) {
      return [];
    }
    const threshold = this.config.VIP_LOCK_THRESHOLD;

    // Plain SQL, because TypeORM's update result leaves the RETURNING
    // column credential_id undefined in `raw`.
    const rows = (await this.credentials.query(
      `UPDATE ${this.credentials.metadata.tablePath}
          SET failed_attempts = failed_attempts + 1,
              state = CASE WHEN failed_attempts + 1 >= $2 THEN $3 ELSE state END
        WHERE credential_id = ANY($1::varchar[]) AND state = $4
       RETURNING credential_id, state`,
      [
        enabled.map((credential) => credential.credentialId),
        threshold,
        CredentialState.Locked,
        CredentialState.Enabled,
      ],
    )) as [Array<{ credential_id: string; state: string }>, number];

    const locked = rows[0]
      .filter((row) => row.state === CredentialState.Locked)
      .map((row) => row.credential_id);
    for (const credentialId of locked) {
      this.logger.warn(
        { vipUserId, credentialId, threshold },
        'Credential locked after failed validations',
      );
    }

    return locked;
  }
}
