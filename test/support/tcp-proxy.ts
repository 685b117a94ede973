import { Server, Socket, createServer, connect } from 'node:net';

import { findFreePort } from '@app/database';

/** How the proxy treats traffic from the client to the target. */
export type ProxyMode =
  | { kind: 'forward' }
  /** Holds every client chunk this long before forwarding it. */
  | { kind: 'delay'; ms: number }
  /** Closes the connection as soon as the client sends anything. */
  | { kind: 'cut' };

/**
 * A TCP proxy on 127.0.0.1 for fault injection between the auth service and
 * the VIP simulator: it can stop listening, delay requests or cut a
 * connection in the middle of a request, and start again on the same port.
 */
export class TcpProxy {
  mode: ProxyMode = { kind: 'forward' };
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(await findFreePort(), targetPort);
    await proxy.listen();

    return proxy;
  }

  async listen(): Promise<void> {
    const server = createServer((client) => this.handle(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Stops listening and drops every open connection, as a stopped server would. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private handle(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);

    upstream.on('data', (chunk) => client.write(chunk));
    client.on('data', (chunk) => {
      const mode = this.mode;
      if (mode.kind === 'cut') {
        closeBoth();
      } else if (mode.kind === 'delay') {
        setTimeout(() => upstream.write(chunk), mode.ms);
      } else {
        upstream.write(chunk);
      }
    });
  }
}
