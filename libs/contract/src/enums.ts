export enum CredentialType {
  Mobile = 'MOBILE',
  Desktop = 'DESKTOP',
  Hardware = 'HARDWARE',
}

export enum CredentialState {
  New = 'NEW',
  Enabled = 'ENABLED',
  Disabled = 'DISABLED',
  Locked = 'LOCKED',
  Inactive = 'INACTIVE',
}

export enum CredentialAction {
  Activate = 'ACTIVATE',
  Deactivate = 'DEACTIVATE',
  Enable = 'ENABLE',
  Disable = 'DISABLE',
  Unlock = 'UNLOCK',
}

/** Reasons VIP Manager offers when a credential is disabled. */
export enum DisableReason {
  Lost = 'LOST',
  Stolen = 'STOLEN',
  Damaged = 'DAMAGED',
  Unspecified = 'UNSPECIFIED',
}

/** Outcomes recorded for each validation, used by the usage report. */
export enum ValidationOutcome {
  Success = 'SUCCESS',
  InvalidCode = 'INVALID_CODE',
  Replayed = 'REPLAYED',
  CredentialRefused = 'CREDENTIAL_REFUSED',
  TemporaryCodeSuccess = 'TEMPORARY_CODE_SUCCESS',
}

/**
 * Credential ID prefixes. SYMC and SYDC are issued for mobile and desktop
 * apps; SYHW is this simulator's prefix for hardware keychain tokens; VSMT and
 * VSST are legacy mobile and desktop prefixes accepted on import only.
 */
export const CREDENTIAL_PREFIXES: Record<CredentialType, string> = {
  [CredentialType.Mobile]: 'SYMC',
  [CredentialType.Desktop]: 'SYDC',
  [CredentialType.Hardware]: 'SYHW',
};

export const LEGACY_CREDENTIAL_PREFIXES: Record<string, CredentialType> = {
  VSMT: CredentialType.Mobile,
  VSST: CredentialType.Desktop,
};
