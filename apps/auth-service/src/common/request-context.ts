import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { Request } from 'express';

/** Facts about the HTTP request that audit events record. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

const MAX_USER_AGENT_LENGTH = 512;

export function requestContextOf(request: Request): RequestContext {
  const userAgent = request.headers['user-agent'];
  const requestId = (request as Request & { id?: unknown }).id;

  return {
    ip: request.ip ?? request.socket.remoteAddress ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null,
    requestId: typeof requestId === 'string' ? requestId : null,
  };
}

/** Injects the RequestContext of the current HTTP request. */
export const RequestMeta = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestContext =>
    requestContextOf(context.switchToHttp().getRequest<Request>()),
);
