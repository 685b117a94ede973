import { Controller, UseFilters, UsePipes, applyDecorators } from '@nestjs/common';

import { VipRpcExceptionFilter } from './rpc-exception.filter';
import { createRpcValidationPipe } from './rpc-validation.pipe';

/**
 * Marks a controller of TCP message handlers: payloads are validated with the
 * strict pipe (6001 on failure) and every error leaves as a VIP error object.
 */
export function RpcController(): ClassDecorator {
  return applyDecorators(
    Controller(),
    UsePipes(createRpcValidationPipe()),
    UseFilters(new VipRpcExceptionFilter()),
  );
}
