import { CredentialState, CredentialType, DisableReason, ValidationOutcome } from './enums';

/** Every successful TCP reply: VIP status 0000 and the operation's data. */
export interface VipReply<T> {
  status: '0000';
  message: string;
  data: T;
}

export interface PingReply {
  service: 'vip-simulator';
  time: string;
}

export interface CredentialInfo {
  credentialId: string;
  type: CredentialType;
  state: CredentialState;
  disabledReason: DisableReason | null;
  failedAttempts: number;
  lastValidatedAt: string | null;
  boundUserIds: string[];
  createdAt: string;
}

/** Returned once, when a credential is provisioned; the secret is never returned again. */
export interface ProvisionedCredential extends CredentialInfo {
  secret: string;
  otpauthUri: string;
}

export interface CurrentCode {
  credentialId: string;
  code: string;
  timeStep: number;
  validFrom: string;
  validUntil: string;
}

export interface VipUserInfo {
  vipUserId: string;
  createdAt: string;
  credentials: Array<Pick<CredentialInfo, 'credentialId' | 'type' | 'state' | 'disabledReason'>>;
  temporaryCode: { expiresAt: string; oneTime: boolean } | null;
}

export interface AuthenticateReply {
  vipUserId: string;
  /** The credential that matched, or null when a temporary code matched. */
  credentialId: string | null;
  usedTemporaryCode: boolean;
}

export interface BindReply {
  vipUserId: string;
  credential: CredentialInfo;
}

export interface TemporaryCodeReply {
  vipUserId: string;
  /** The temporary code itself; returned to the VIP Manager administrator who set it. */
  code: string;
  expiresAt: string;
  oneTime: boolean;
}

export interface UsageReportRow {
  day: string;
  credentialType: CredentialType | 'TEMPORARY_CODE';
  outcome: ValidationOutcome;
  count: number;
}

export interface UsageReport {
  from: string;
  to: string;
  rows: UsageReportRow[];
  credentials: Array<{
    credentialId: string;
    type: CredentialType;
    lastValidatedAt: string | null;
  }>;
}
