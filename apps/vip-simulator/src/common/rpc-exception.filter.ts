import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { Observable, throwError } from 'rxjs';

import { errorLogFields } from '@app/common';
import { VipError, VipStatus, isVipError } from '@app/contract';

import { isDatabaseUnavailableError } from '@app/database';
import { commandOf } from './rpc-logging.interceptor';
import { VipException } from './vip.exception';

/**
 * Turns every error of a TCP handler into a `{ status, message, detail? }`
 * object. Without this filter NestJS sends any error that is not an
 * RpcException as "Internal server error", and the caller cannot tell a wrong
 * code from a database outage.
 */
@Catch()
export class VipRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(VipRpcExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const rpc = host.switchToRpc();
    const payload = rpc.getData<{ requestId?: unknown } | undefined>();
    const requestId = typeof payload?.requestId === 'string' ? payload.requestId : undefined;
    const rawPattern = (rpc.getContext() as { getPattern?: () => string })?.getPattern?.();
    const pattern = rawPattern === undefined ? undefined : commandOf(rawPattern);
    const error = this.toVipError(exception, requestId, pattern);

    return throwError(() => error);
  }

  private toVipError(exception: unknown, requestId?: string, pattern?: string): VipError {
    if (exception instanceof VipException) {
      return exception.toVipError();
    }
    if (exception instanceof RpcException && isVipError(exception.getError())) {
      return exception.getError() as VipError;
    }
    if (isDatabaseUnavailableError(exception)) {
      this.logger.error({ requestId, pattern, err: exception }, 'PostgreSQL is unreachable');

      return {
        status: VipStatus.ServiceUnavailable,
        message: 'VIP service is temporarily unavailable: its database cannot be reached',
        detail: 'retry later',
      };
    }
    // errorLogFields reduces a database error to its SQLSTATE, table and
    // constraint, because PostgreSQL's detail can quote a whole row.
    this.logger.error(
      { requestId, pattern, ...errorLogFields(exception) },
      'Unexpected error in a TCP handler',
    );

    return {
      status: VipStatus.InternalError,
      message: 'Internal error in the VIP service; the request was not processed',
      detail: requestId ? `request id ${requestId}` : undefined,
    };
  }
}
