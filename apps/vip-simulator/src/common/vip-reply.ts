import { VIP_STATUS_MESSAGES, VipReply, VipStatus } from '@app/contract';

/** Wraps an operation's data in a successful VIP reply (status 0000). */
export function vipSuccess<T>(data: T): VipReply<T> {
  return { status: VipStatus.Success, message: VIP_STATUS_MESSAGES[VipStatus.Success], data };
}
