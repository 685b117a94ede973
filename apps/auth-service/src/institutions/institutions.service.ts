import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AuditActorType, AuditEventType } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { AuthConfig } from '../config/auth-config';
import { RequestContext } from '../common/request-context';
import { AuthErrorCode } from '../errors/auth-error-code';
import { AuthException } from '../errors/auth.exception';
import { User, UserRole } from '../users/user.entity';
import { UsersService, isUniqueViolation } from '../users/users.service';
import { CreateInstitutionDto } from './dto/create-institution.dto';
import { Institution } from './institution.entity';

export interface CreatedInstitution {
  institution: Institution;
  admin: User;
}

/** Operator actions on institutions. */
@Injectable()
export class InstitutionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AuthConfig,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  /** Creates an institution with secure tokens off and its first administrator. */
  async create(input: CreateInstitutionDto, context: RequestContext): Promise<CreatedInstitution> {
    return this.dataSource.transaction(async (manager) => {
      let institution: Institution;
      try {
        institution = await manager.save(
          manager.create(Institution, {
            name: input.name,
            lockoutThreshold: this.config.DEFAULT_LOCKOUT_THRESHOLD,
          }),
        );
      } catch (error) {
        if (isUniqueViolation(error, 'institutions_name_key')) {
          throw new AuthException(
            AuthErrorCode.InstitutionNameTaken,
            `an institution named "${input.name}" already exists`,
          );
        }
        throw error;
      }
      const admin = await this.users.create(
        {
          institutionId: institution.id,
          username: input.adminUsername,
          password: input.adminPassword,
          role: UserRole.Admin,
        },
        manager,
      );

      const operator = { institutionId: institution.id, actorType: AuditActorType.Operator };
      await this.audit.record(
        {
          ...operator,
          type: AuditEventType.InstitutionCreated,
          detail: { name: institution.name },
        },
        context,
        manager,
      );
      await this.audit.record(
        {
          ...operator,
          type: AuditEventType.UserCreated,
          targetUserId: admin.id,
          detail: { username: admin.username, role: admin.role },
        },
        context,
        manager,
      );

      return { institution, admin };
    });
  }

  list(): Promise<Institution[]> {
    return this.dataSource.getRepository(Institution).find({ order: { createdAt: 'ASC' } });
  }

  /**
   * Records that the support case for secure tokens is complete, so the
   * institution's administrators may enable them. Provisioning happens once.
   */
  async provisionSecureToken(
    institutionId: string,
    supportCaseReference: string,
    context: RequestContext,
  ): Promise<Institution> {
    return this.dataSource.transaction(async (manager) => {
      const institution = await manager.findOne(Institution, {
        where: { id: institutionId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!institution) {
        throw new AuthException(
          AuthErrorCode.InstitutionNotFound,
          `institution ${institutionId} not found`,
        );
      }
      if (institution.secureTokenProvisionedAt) {
        throw new AuthException(
          AuthErrorCode.SecureTokenAlreadyProvisioned,
          `secure tokens were already provisioned for this institution under support case ` +
            `${institution.supportCaseReference}`,
        );
      }
      institution.secureTokenProvisionedAt = new Date();
      institution.supportCaseReference = supportCaseReference;
      await manager.save(institution);
      await this.audit.record(
        {
          type: AuditEventType.SecureTokenProvisioned,
          institutionId,
          actorType: AuditActorType.Operator,
          detail: { supportCaseReference },
        },
        context,
        manager,
      );

      return institution;
    });
  }
}
