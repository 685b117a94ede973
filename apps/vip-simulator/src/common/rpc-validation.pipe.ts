import { RpcException } from '@nestjs/microservices';

import { StrictValidationPipe } from '@app/common';
import { VipError, VipStatus } from '@app/contract';

/**
 * Validation pipe for TCP payloads: the same strict rules as HTTP bodies,
 * failing with VIP status 6001 and a message naming the field and the rule.
 */
export function createRpcValidationPipe(): StrictValidationPipe {
  return new StrictValidationPipe((message) => {
    const error: VipError = { status: VipStatus.InvalidRequest, message };

    return new RpcException(error);
  });
}
