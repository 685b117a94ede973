import { HttpStatus } from '@nestjs/common';

import { MappedHttpError } from '@app/common';

import { VipErrorStatus, VipException } from './vip.exception';

/** HTTP status and stable error code for one VIP error status. */
export interface HttpMapping {
  statusCode: HttpStatus;
  code: string;
}

/**
 * Maps every VIP error status to an HTTP status and an error code. The switch
 * is exhaustive: a new VIP status fails to compile until it is mapped here.
 */
export function httpMappingForVipStatus(status: VipErrorStatus): HttpMapping {
  switch (status) {
    case '6001':
      return { statusCode: HttpStatus.BAD_REQUEST, code: 'VALIDATION_FAILED' };
    case '6002':
      return { statusCode: HttpStatus.CONFLICT, code: 'USER_ALREADY_EXISTS' };
    case '6003':
      return { statusCode: HttpStatus.NOT_FOUND, code: 'USER_NOT_FOUND' };
    case '6004':
      return { statusCode: HttpStatus.NOT_FOUND, code: 'CREDENTIAL_NOT_FOUND' };
    case '6007':
      return { statusCode: HttpStatus.CONFLICT, code: 'CREDENTIAL_NOT_BOUND' };
    case '6009':
      return { statusCode: HttpStatus.UNAUTHORIZED, code: 'AUTHENTICATION_FAILED' };
    case '6011':
      return { statusCode: HttpStatus.CONFLICT, code: 'CREDENTIAL_ALREADY_EXISTS' };
    case '6013':
      return { statusCode: HttpStatus.CONFLICT, code: 'STATE_CHANGE_NOT_ALLOWED' };
    case '6026':
      return { statusCode: HttpStatus.CONFLICT, code: 'CREDENTIAL_ALREADY_BOUND' };
    case '604A':
      return { statusCode: HttpStatus.UNAUTHORIZED, code: 'CREDENTIAL_OUT_OF_SYNC' };
    case '49B5':
      return { statusCode: HttpStatus.UNAUTHORIZED, code: 'INVALID_SECURITY_CODE' };
    case '49B6':
      return { statusCode: HttpStatus.UNAUTHORIZED, code: 'SECURITY_CODE_REPLAYED' };
    case '4993':
      return { statusCode: HttpStatus.FORBIDDEN, code: 'CREDENTIAL_DISABLED' };
    case '4994':
      return { statusCode: HttpStatus.FORBIDDEN, code: 'CREDENTIAL_LOCKED' };
    case '4995':
      return { statusCode: HttpStatus.FORBIDDEN, code: 'CREDENTIAL_NEW' };
    case '4996':
      return { statusCode: HttpStatus.FORBIDDEN, code: 'CREDENTIAL_INACTIVE' };
    case '6500':
      return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: 'SERVICE_UNAVAILABLE' };
    case '6501':
      return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL_ERROR' };
  }
}

/** Maps VipException for the shared HTTP error filter and adds the VIP status to the body. */
export function mapVipExceptionToHttp(exception: unknown): MappedHttpError | undefined {
  if (!(exception instanceof VipException)) {
    return undefined;
  }
  const { statusCode, code } = httpMappingForVipStatus(exception.status);

  return {
    statusCode,
    code,
    message: exception.message,
    extra: { status: exception.status, detail: exception.detail },
  };
}
