/**
 * Status codes carried by every VIP reply. Codes that the Symantec VIP User
 * Services API defines keep their VIP value; the simulator's own additions are
 * marked as such and documented in docs/vip-simulator.md.
 */
export const VipStatus = {
  Success: '0000',
  /** Simulator addition: a request field is missing or breaks its rule. */
  InvalidRequest: '6001',
  UserAlreadyExists: '6002',
  UserNotFound: '6003',
  CredentialNotFound: '6004',
  CredentialNotBound: '6007',
  /** User authentication failed: the code matched none of the user's credentials. */
  AuthenticationFailed: '6009',
  /** Simulator addition: a credential with this ID already exists. */
  CredentialAlreadyExists: '6011',
  /** Simulator addition: the state change is not allowed from the current state. */
  StateTransitionNotAllowed: '6013',
  CredentialAlreadyBound: '6026',
  OutOfSync: '604A',
  /** Security code is invalid for this credential. */
  InvalidSecurityCode: '49B5',
  /** Simulator addition: the code's time step is at or before the last accepted one. */
  SecurityCodeReplayed: '49B6',
  CredentialDisabled: '4993',
  CredentialLocked: '4994',
  CredentialNew: '4995',
  CredentialInactive: '4996',
  /** Simulator addition: the simulator's database is unreachable. */
  ServiceUnavailable: '6500',
  /** Simulator addition: an unexpected fault; the caller must fail closed. */
  InternalError: '6501',
} as const;

export type VipStatusCode = (typeof VipStatus)[keyof typeof VipStatus];

export const VIP_STATUS_MESSAGES: Record<VipStatusCode, string> = {
  '0000': 'Success',
  '6001': 'Invalid request',
  '6002': 'User already exists',
  '6003': 'User not found',
  '6004': 'Credential not found',
  '6007': 'Credential is not bound to the user',
  '6009': 'Authentication failed',
  '6011': 'Credential already exists',
  '6013': 'State change not allowed from the current credential state',
  '6026': 'Credential is already bound to the user',
  '604A': 'Credential is out of sync',
  '49B5': 'Security code is invalid',
  '49B6': 'Security code was already used',
  '4993': 'Credential is disabled',
  '4994': 'Credential is locked',
  '4995': 'Credential is new and not yet activated',
  '4996': 'Credential is inactive',
  '6500': 'VIP service is temporarily unavailable',
  '6501': 'Internal error in the VIP service',
};

/** The error object that crosses the TCP transport inside an RpcException. */
export interface VipError {
  status: Exclude<VipStatusCode, '0000'>;
  message: string;
  detail?: string;
}

/** Tells whether a value received from the transport is a VIP error object. */
export function isVipError(value: unknown): value is VipError {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const status = (value as { status?: unknown }).status;

  return (
    typeof status === 'string' && status !== '0000' && Object.hasOwn(VIP_STATUS_MESSAGES, status)
  );
}
