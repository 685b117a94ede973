import { VIP_STATUS_MESSAGES, VipError, VipStatusCode } from '@app/contract';

export type VipErrorStatus = VipError['status'];

/**
 * The simulator's one domain exception: a VIP status code, a message for the
 * caller and an optional detail. Both transports map it, TCP to a VipError
 * object and HTTP to a status code.
 */
export class VipException extends Error {
  constructor(
    readonly status: VipErrorStatus,
    message?: string,
    readonly detail?: string,
  ) {
    super(message ?? VIP_STATUS_MESSAGES[status as VipStatusCode]);
    this.name = 'VipException';
  }

  toVipError(): VipError {
    return this.detail === undefined
      ? { status: this.status, message: this.message }
      : { status: this.status, message: this.message, detail: this.detail };
  }
}
