import type { Socket } from 'node:net';

import { JsonSocket, TcpClientOptions, Transport } from '@nestjs/microservices';

/**
 * The NestJS TCP transport's JSON framing, tuned for many small messages in
 * flight on one connection. Both ends of the simulator's TCP API use it.
 *
 * - Nagle's algorithm is off (`setNoDelay`). With it on, a message written
 *   while an earlier one was still unacknowledged waited for the peer's
 *   delayed ACK, up to 40 ms on Linux, which set the 99th percentile under
 *   concurrent load.
 * - Messages written in one event-loop tick leave in one system call. The
 *   first message of a tick corks the socket and the next tick uncorks it, so
 *   Node hands all of them to one `writev`. Replies to a group of requests
 *   that finish together, as after a shared SQL statement, or requests sent
 *   by concurrent callers, then cost one write instead of one each.
 *
 * The bytes on the wire are the same as with `JsonSocket`.
 */
export class CoalescingJsonSocket extends JsonSocket {
  private corked = false;

  constructor(socket: Socket) {
    super(socket);
    socket.setNoDelay(true);
  }

  protected override handleSend(message: unknown, callback?: (error?: unknown) => void): void {
    if (!this.corked) {
      this.corked = true;
      this.netSocket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.netSocket.uncork();
      });
    }
    super.handleSend(message, callback);
  }
}

/** Options for a NestJS TCP client of the simulator, with the socket above. */
export function vipTcpClientOptions(host: string, port: number): TcpClientOptions {
  return { transport: Transport.TCP, options: { host, port, socketClass: CoalescingJsonSocket } };
}
