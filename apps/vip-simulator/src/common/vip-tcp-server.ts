import { Logger } from '@nestjs/common';
import { BaseRpcContext, ReadPacket, ServerTCP } from '@nestjs/microservices';

/** Maximum length of a dropped message's pattern in the log line. */
const LOGGED_PATTERN_LENGTH = 100;

/**
 * The NestJS TCP server with one change: a message without a valid `id` is
 * not run (see VipRequestDeserializer for what is valid). NestJS treats such a message as an event and runs the handler of its
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
      { pattern: String(pattern).slice(0, LOGGED_PATTERN_LENGTH) },
      'TCP message without a valid id dropped: every operation needs a string or integer id for its reply',
    );
  }
}
