import { Controller, UseFilters, UseInterceptors, UsePipes, applyDecorators } from '@nestjs/common';

import { VipRpcExceptionFilter } from './rpc-exception.filter';
import { RpcLoggingInterceptor } from './rpc-logging.interceptor';
import { createRpcValidationPipe } from './rpc-validation.pipe';

/**
 * Marks a controller of TCP message handlers: payloads are validated with the
 * strict pipe (6001 on failure), each message is logged with its request id,
 * and every error leaves as a VIP error object.
 */
export function RpcController(): ClassDecorator {
  return applyDecorators(
    Controller(),
    UsePipes(createRpcValidationPipe()),
    UseInterceptors(RpcLoggingInterceptor),
    UseFilters(new VipRpcExceptionFilter()),
  );
}
