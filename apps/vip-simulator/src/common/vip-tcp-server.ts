import { Logger } from '@nestjs/common';
import { BaseRpcContext, ReadPacket, ServerTCP } from '@nestjs/microservices';

/**
 * The NestJS TCP server with one change: a message without an `id` is not
 * run. NestJS treats such a message as an event and runs the handler of its
 * pattern with no reply, so a `vip.credential.provision` sent that way would
 * store a credential whose secret is never returned. Every simulator operation
 * is a request that needs its reply, so such a message is logged and dropped.
 */
export class VipTcpServer extends ServerTCP {
  private readonly eventLogger = new Logger('VipTcpServer');

  override async handleEvent(
    pattern: string,
    _packet: ReadPacket,
    _context: BaseRpcContext,
  ): Promise<void> {
    this.eventLogger.warn(
      { pattern },
      'TCP message without an id dropped: every operation needs an id for its reply',
    );
  }
}
