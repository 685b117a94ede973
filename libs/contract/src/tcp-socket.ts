import type { Socket } from 'node:net';

import { JsonSocket, TcpClientOptions, Transport } from '@nestjs/microservices';

/**
 * Most characters a server connection may hold received but not yet parsed.
 * A longer frame closes the connection. NestJS's default is 128M characters,
 * which let one 100 MB request grow the simulator by 330 MB. Requests are
 * under 1 kB each, so this leaves room for a thousand of them in flight.
 * Replies are not capped this way: a usage report lists every credential.
 */
export const MAX_TCP_REQUEST_BUFFER_CHARS = 1024 * 1024;

/**
 * The NestJS TCP transport's JSON framing, tuned for many small messages in
 * flight on one connection. Both ends of the simulator's TCP API use it.
 *
 * - Nagle's algorithm is off (`setNoDelay`). With it on, a message written
 *   while an earlier one was still unacknowledged waited for the peer's
 *   delayed ACK, which put 41 ms spikes into the 99th percentile under
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

  constructor(socket: Socket, maxBufferSize?: number) {
    super(socket, maxBufferSize === undefined ? undefined : { maxBufferSize });
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

/**
 * The socket of the simulator's TCP server, with the unparsed input capped
 * at MAX_TCP_REQUEST_BUFFER_CHARS. NestJS passes its framing options only to
 * its own JsonSocket, so the cap is set here.
 */
export class ServerJsonSocket extends CoalescingJsonSocket {
  constructor(socket: Socket) {
    super(socket, MAX_TCP_REQUEST_BUFFER_CHARS);
  }

  /**
   * Destroys the connection on a framing error. NestJS only half-closes it,
   * and kept reading and logging one error per further MiB from a peer that
   * went on sending.
   */
  protected override handleDataError(error: unknown): void {
    super.handleDataError(error, { destroy: true });
  }
}

/** Options for a NestJS TCP client of the simulator, with CoalescingJsonSocket. */
export function vipTcpClientOptions(host: string, port: number): TcpClientOptions {
  return { transport: Transport.TCP, options: { host, port, socketClass: CoalescingJsonSocket } };
}
