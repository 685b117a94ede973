import { ExecutionContext, createParamDecorator } from '@nestjs/common';

/** Injects the id that pino-http assigned to the current HTTP request. */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<{ id?: unknown }>();

  return typeof request.id === 'string' ? request.id : undefined;
});
