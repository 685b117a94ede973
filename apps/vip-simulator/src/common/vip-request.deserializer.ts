import { IncomingRequest, ReadPacket } from '@nestjs/microservices';
import { IncomingRequestDeserializer } from '@nestjs/microservices/deserializers';

/** Maximum length of a message ID. The NestJS client writes a UUID. */
export const MAX_MESSAGE_ID_LENGTH = 128;

/** Tells whether a message ID is one the reply can carry back: a short string or a safe integer. */
export function isValidMessageId(id: unknown): id is string | number {
  return (
    (typeof id === 'string' && id.length >= 1 && id.length <= MAX_MESSAGE_ID_LENGTH) ||
    Number.isSafeInteger(id)
  );
}

/**
 * Deserializer of the simulator's TCP messages. NestJS copies a message's
 * `id` into the reply as it came, so an `id` of arrays nested 5,000 levels
 * deep made the reply's `JSON.stringify` overflow the stack and end the
 * process. A message whose `id` is not a short string or a safe integer
 * loses the `id`, and `VipTcpServer` then drops it with the messages that
 * have none.
 */
export class VipRequestDeserializer extends IncomingRequestDeserializer {
  override deserialize(value: unknown): IncomingRequest | ReadPacket {
    const packet = super.deserialize(value) as Partial<IncomingRequest>;
    if (packet.id === undefined || isValidMessageId(packet.id)) {
      return packet as IncomingRequest;
    }

    return { pattern: packet.pattern, data: packet.data };
  }
}
