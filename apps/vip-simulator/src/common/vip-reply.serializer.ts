import { Logger } from '@nestjs/common';
import { OutgoingResponse, Serializer } from '@nestjs/microservices';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';

import { VipError, VipStatus } from '@app/contract';

/** The error sent for a message whose pattern names no operation of the simulator. */
export const UNKNOWN_PATTERN_ERROR: VipError = {
  status: VipStatus.InvalidRequest,
  message:
    'unknown pattern: no operation of the VIP simulator has this pattern (docs/vip-simulator.md lists them)',
};

/**
 * Serializer of the simulator's TCP replies. It passes every reply on as it
 * is, except the one NestJS's TCP server writes itself when no handler
 * matches a message's pattern: that reply carries a bare string, and it
 * becomes a VIP error object like every other failure. Such a message never
 * reaches the handlers, their interceptor or their filter, so it is logged
 * here.
 */
export class VipReplySerializer implements Serializer<OutgoingResponse, OutgoingResponse> {
  private readonly logger = new Logger('VipTcpServer');

  serialize(packet: OutgoingResponse): OutgoingResponse {
    if (packet.err !== NO_MESSAGE_HANDLER) {
      return packet;
    }
    this.logger.warn(
      { messageId: packet.id, status: UNKNOWN_PATTERN_ERROR.status },
      'TCP request rejected: unknown pattern',
    );

    return { ...packet, err: UNKNOWN_PATTERN_ERROR };
  }
}
