import { ApiProperty } from '@nestjs/swagger';

import { Institution } from '../institution.entity';

export class SecureTokenSettingsView {
  @ApiProperty({ description: 'Whether the operator has provisioned secure tokens' })
  provisioned: boolean;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  provisionedAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  supportCaseReference: string | null;

  @ApiProperty({ description: 'Whether users must use a secure token at login' })
  enabled: boolean;

  @ApiProperty({ description: 'Consecutive failed secure-token attempts that lock a user' })
  lockoutThreshold: number;
}

export class InstitutionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: SecureTokenSettingsView })
  secureToken: SecureTokenSettingsView;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export function toSecureTokenSettingsView(institution: Institution): SecureTokenSettingsView {
  return {
    provisioned: institution.secureTokenProvisionedAt !== null,
    provisionedAt: institution.secureTokenProvisionedAt?.toISOString() ?? null,
    supportCaseReference: institution.supportCaseReference,
    enabled: institution.secureTokenEnabled,
    lockoutThreshold: institution.lockoutThreshold,
  };
}

export function toInstitutionView(institution: Institution): InstitutionView {
  return {
    id: institution.id,
    name: institution.name,
    secureToken: toSecureTokenSettingsView(institution),
    createdAt: institution.createdAt.toISOString(),
  };
}
