import { JsonSocket } from '@nestjs/microservices';

/**
 * The NestJS TCP transport's JSON framing, with the replies written in one
 * event-loop tick sent in one system call. The first reply of a tick corks
 * the socket and the next tick uncorks it, so Node hands all of them to one
 * `writev`. Replies to a group of requests that finish together, as after a
 * shared SQL statement, then cost one write instead of one each. The bytes on
 * the wire are the same as with `JsonSocket`.
 */
export class CoalescingJsonSocket extends JsonSocket {
  private corked = false;

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
