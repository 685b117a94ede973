import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { RpcException, TcpContext } from '@nestjs/microservices';
import { PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import { Observable, tap } from 'rxjs';

import { resolveRequestId } from '@app/common';
import { isVipError } from '@app/contract';

import { TcpMetrics } from './tcp-metrics';
import { VipException } from './vip.exception';

/** Returns the `cmd` of a serialised `{ cmd }` pattern, or the pattern text itself. */
export function commandOf(pattern: string): string {
  try {
    const parsed = JSON.parse(pattern) as { cmd?: unknown };

    return typeof parsed.cmd === 'string' ? parsed.cmd : pattern;
  } catch {
    return pattern;
  }
}

/** Returns the VIP status an error will leave with, or "unexpected" for other errors. */
function vipStatusOf(error: unknown): string {
  if (error instanceof VipException) {
    return error.status;
  }
  if (error instanceof RpcException && isVipError(error.getError())) {
    return (error.getError() as { status: string }).status;
  }

  return 'unexpected';
}

/**
 * Runs each TCP handler with a pino child logger that carries the request id
 * (from the payload's `requestId`, else a new UUID) and the pattern, so every
 * log line written while handling the message names them. Writes one line per
 * message with its outcome and duration, and records both in the metrics.
 */
@Injectable()
export class RpcLoggingInterceptor implements NestInterceptor {
  constructor(private readonly metrics: TcpMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    const payload = rpc.getData<{ requestId?: unknown } | undefined>();
    const pattern = commandOf(rpc.getContext<TcpContext>().getPattern());
    const requestId = resolveRequestId(payload?.requestId);
    // A child logger serialises its bindings through the redaction rules, which
    // is wasted work per message when the level is silent and nothing is written.
    const root = PinoLogger.root;
    const logger = root.isLevelEnabled('fatal') ? root.child({ requestId, pattern }) : root;
    const startedAt = performance.now();
    const elapsedSeconds = () => (performance.now() - startedAt) / 1000;

    return new Observable((subscriber) =>
      storage.run(new Store(logger), () =>
        next
          .handle()
          .pipe(
            tap({
              next: () => {
                const seconds = elapsedSeconds();
                this.metrics.record(pattern, '0000', seconds);
                logger.info({ durationMs: Math.round(seconds * 1000) }, 'TCP request handled');
              },
              error: (error: unknown) => {
                const seconds = elapsedSeconds();
                const status = vipStatusOf(error);
                this.metrics.record(pattern, status, seconds);
                logger.info(
                  { durationMs: Math.round(seconds * 1000), status },
                  'TCP request rejected',
                );
              },
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}
