import { VipStatus, VipStatusCode } from '@app/contract';

import { VipCallResult, VipTransportFailure } from './vip-client.service';

/** Audit reasons for a second-factor attempt that counts as a failed guess. */
export enum CountedFailureReason {
  InvalidCode = 'INVALID_CODE',
  ReplayedCode = 'REPLAYED_CODE',
  OutOfSync = 'OUT_OF_SYNC',
  CredentialNotFound = 'CREDENTIAL_NOT_FOUND',
  WrongPin = 'WRONG_PIN',
  /** The code is valid for a credential bound to the VIP user, but not for the registered one. */
  UnregisteredCredential = 'UNREGISTERED_CREDENTIAL',
}

/** Proof of possession at step-up: the registered credential or a VIP temporary code. */
export enum SignInMethod {
  Credential = 'CREDENTIAL',
  TemporaryCode = 'TEMPORARY_CODE',
}

/** Audit reasons for a rejection caused by the credential's own state, which is never counted. */
export enum CredentialRejectionReason {
  CredentialDisabled = 'CREDENTIAL_DISABLED',
  CredentialLocked = 'CREDENTIAL_LOCKED',
  CredentialNew = 'CREDENTIAL_NEW',
  CredentialInactive = 'CREDENTIAL_INACTIVE',
  VipUserNotFound = 'VIP_USER_NOT_FOUND',
  CredentialNotBound = 'CREDENTIAL_NOT_BOUND',
}

/** Audit reasons for a call that VIP could not evaluate: never counted, and the response is 503. */
export enum UnavailableReason {
  Timeout = 'VIP_TIMEOUT',
  Unreachable = 'VIP_UNREACHABLE',
  UnexpectedReply = 'VIP_UNEXPECTED_REPLY',
  VipDatabaseUnavailable = 'VIP_DATABASE_UNAVAILABLE',
  VipInternalError = 'VIP_INTERNAL_ERROR',
  VipRejectedRequest = 'VIP_REJECTED_REQUEST',
  UnexpectedStatus = 'VIP_UNEXPECTED_STATUS',
}

const TRANSPORT_FAILURE_REASONS: Record<VipTransportFailure, UnavailableReason> = {
  [VipTransportFailure.Timeout]: UnavailableReason.Timeout,
  [VipTransportFailure.Unreachable]: UnavailableReason.Unreachable,
  [VipTransportFailure.UnexpectedReply]: UnavailableReason.UnexpectedReply,
};

/** Outcome of a security-code check at VIP for the user's attempt. */
export type CodeCheck =
  | { kind: 'accepted'; method?: SignInMethod }
  | { kind: 'rejected'; reason: CountedFailureReason }
  | { kind: 'credential-rejected'; reason: CredentialRejectionReason }
  | { kind: 'unavailable'; reason: UnavailableReason; vipStatus?: string };

/**
 * Classifies the result of a VIP call that checks a security code
 * (Authenticate or BindCredential). This is the one place where VIP status
 * codes become attempt outcomes. Anything not listed fails closed as
 * `unavailable`, which is never counted as a wrong code.
 */
export function classifyCodeCheck(result: VipCallResult<unknown>): CodeCheck {
  if (result.kind === 'success') {
    return { kind: 'accepted' };
  }
  if (result.kind === 'transport-failure') {
    return { kind: 'unavailable', reason: TRANSPORT_FAILURE_REASONS[result.failure] };
  }

  return classifyVipStatus(result.status);
}

function classifyVipStatus(status: Exclude<VipStatusCode, '0000'>): CodeCheck {
  switch (status) {
    case VipStatus.AuthenticationFailed:
    case VipStatus.InvalidSecurityCode:
      return { kind: 'rejected', reason: CountedFailureReason.InvalidCode };
    case VipStatus.SecurityCodeReplayed:
      return { kind: 'rejected', reason: CountedFailureReason.ReplayedCode };
    case VipStatus.OutOfSync:
      return { kind: 'rejected', reason: CountedFailureReason.OutOfSync };
    case VipStatus.CredentialNotFound:
      return { kind: 'rejected', reason: CountedFailureReason.CredentialNotFound };
    case VipStatus.CredentialDisabled:
      return { kind: 'credential-rejected', reason: CredentialRejectionReason.CredentialDisabled };
    case VipStatus.CredentialLocked:
      return { kind: 'credential-rejected', reason: CredentialRejectionReason.CredentialLocked };
    case VipStatus.CredentialNew:
      return { kind: 'credential-rejected', reason: CredentialRejectionReason.CredentialNew };
    case VipStatus.CredentialInactive:
      return { kind: 'credential-rejected', reason: CredentialRejectionReason.CredentialInactive };
    case VipStatus.UserNotFound:
      return { kind: 'credential-rejected', reason: CredentialRejectionReason.VipUserNotFound };
    case VipStatus.CredentialNotBound:
      return { kind: 'credential-rejected', reason: CredentialRejectionReason.CredentialNotBound };
    case VipStatus.ServiceUnavailable:
      return unavailable(UnavailableReason.VipDatabaseUnavailable, status);
    case VipStatus.InternalError:
      return unavailable(UnavailableReason.VipInternalError, status);
    case VipStatus.InvalidRequest:
      return unavailable(UnavailableReason.VipRejectedRequest, status);
    case VipStatus.UserAlreadyExists:
    case VipStatus.CredentialAlreadyExists:
    case VipStatus.StateTransitionNotAllowed:
    case VipStatus.CredentialAlreadyBound:
      return unavailable(UnavailableReason.UnexpectedStatus, status);
    default:
      return assertNever(status);
  }
}

function unavailable(reason: UnavailableReason, vipStatus: string): CodeCheck {
  return { kind: 'unavailable', reason, vipStatus };
}

function assertNever(status: never): never {
  throw new Error(`Unmapped VIP status: ${String(status)}`);
}
