import { VIP_STATUS_MESSAGES, VipStatus, VipStatusCode } from '@app/contract';

import { VipTransportFailure } from './vip-client.service';
import { classifyCodeCheck } from './vip-outcome';

type ErrorStatus = Exclude<VipStatusCode, '0000'>;

function vipError(status: ErrorStatus) {
  return { kind: 'vip-error' as const, status, message: VIP_STATUS_MESSAGES[status] };
}

describe('classifyCodeCheck', () => {
  it('accepts a successful reply', () => {
    expect(classifyCodeCheck({ kind: 'success', data: {} })).toEqual({ kind: 'accepted' });
  });

  it.each([
    [VipStatus.AuthenticationFailed, 'INVALID_CODE'],
    [VipStatus.InvalidSecurityCode, 'INVALID_CODE'],
    [VipStatus.SecurityCodeReplayed, 'REPLAYED_CODE'],
    [VipStatus.OutOfSync, 'OUT_OF_SYNC'],
    [VipStatus.CredentialNotFound, 'CREDENTIAL_NOT_FOUND'],
  ] as Array<[ErrorStatus, string]>)('counts VIP %s as a failed guess (%s)', (status, reason) => {
    expect(classifyCodeCheck(vipError(status))).toEqual({ kind: 'rejected', reason });
  });

  it.each([
    [VipStatus.CredentialDisabled, 'CREDENTIAL_DISABLED'],
    [VipStatus.CredentialLocked, 'CREDENTIAL_LOCKED'],
    [VipStatus.CredentialNew, 'CREDENTIAL_NEW'],
    [VipStatus.CredentialInactive, 'CREDENTIAL_INACTIVE'],
    [VipStatus.UserNotFound, 'VIP_USER_NOT_FOUND'],
    [VipStatus.CredentialNotBound, 'CREDENTIAL_NOT_BOUND'],
  ] as Array<[ErrorStatus, string]>)(
    'treats VIP %s as a credential rejection (%s)',
    (status, reason) => {
      expect(classifyCodeCheck(vipError(status))).toEqual({ kind: 'credential-rejected', reason });
    },
  );

  it.each([
    [VipStatus.ServiceUnavailable, 'VIP_DATABASE_UNAVAILABLE'],
    [VipStatus.InternalError, 'VIP_INTERNAL_ERROR'],
    [VipStatus.InvalidRequest, 'VIP_REJECTED_REQUEST'],
    [VipStatus.UserAlreadyExists, 'VIP_UNEXPECTED_STATUS'],
    [VipStatus.CredentialAlreadyExists, 'VIP_UNEXPECTED_STATUS'],
    [VipStatus.StateTransitionNotAllowed, 'VIP_UNEXPECTED_STATUS'],
    [VipStatus.CredentialAlreadyBound, 'VIP_UNEXPECTED_STATUS'],
  ] as Array<[ErrorStatus, string]>)('fails closed on VIP %s (%s)', (status, reason) => {
    expect(classifyCodeCheck(vipError(status))).toMatchObject({ kind: 'unavailable', reason });
  });

  it.each(Object.values(VipTransportFailure))('fails closed on transport failure %s', (failure) => {
    const check = classifyCodeCheck({ kind: 'transport-failure', failure, message: 'x' });

    expect(check).toEqual({ kind: 'unavailable', reason: failure });
  });

  it('classifies every VIP error status of the contract', () => {
    const statuses = Object.keys(VIP_STATUS_MESSAGES).filter((status) => status !== '0000');

    for (const status of statuses) {
      expect(() => classifyCodeCheck(vipError(status as ErrorStatus))).not.toThrow();
    }
  });
});
