import { AddressInfo, Server, Socket, createServer } from 'node:net';

import { JsonSocket, Transport } from '@nestjs/microservices';

import { CoalescingJsonSocket, vipTcpClientOptions } from './tcp-socket';

describe('CoalescingJsonSocket', () => {
  let server: Server;
  let accepted: Promise<Socket>;

  beforeEach(async () => {
    server = createServer();
    accepted = new Promise((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function connectedPair(): Promise<{ sender: CoalescingJsonSocket; receiver: JsonSocket }> {
    const { port } = server.address() as AddressInfo;
    const sender = new CoalescingJsonSocket(new Socket());
    await new Promise<void>((resolve) => {
      sender.netSocket.once('connect', () => resolve());
      sender.connect(port, '127.0.0.1');
    });

    return { sender, receiver: new JsonSocket(await accepted) };
  }

  /** Resolves with the first `count` messages that `receiver` decodes. */
  function collectMessages(receiver: JsonSocket, count: number): Promise<unknown[]> {
    const received: unknown[] = [];

    return new Promise((resolve) =>
      receiver.on('message', (message: unknown) => {
        received.push(message);
        if (received.length === count) {
          resolve(received);
        }
      }),
    );
  }

  it('turns off Nagle’s algorithm', () => {
    const socket = new Socket();
    const setNoDelay = jest.spyOn(socket, 'setNoDelay');

    new CoalescingJsonSocket(socket);

    expect(setNoDelay).toHaveBeenCalledWith(true);
    socket.destroy();
  });

  it('sends one tick in one write', async () => {
    const { sender, receiver } = await connectedPair();
    const writev = jest.spyOn(sender.netSocket as unknown as { _writev: () => void }, '_writev');
    const allReceived = collectMessages(receiver, 3);

    sender.sendMessage({ n: 1, text: 'first' });
    sender.sendMessage({ n: 2, text: 'second, with a non-ASCII letter: ä' });
    sender.sendMessage({ n: 3, text: '#3 holds the separator' });
    const received = await allReceived;

    expect(writev).toHaveBeenCalledTimes(1);
    expect(received).toEqual([
      { n: 1, text: 'first' },
      { n: 2, text: 'second, with a non-ASCII letter: ä' },
      { n: 3, text: '#3 holds the separator' },
    ]);
    sender.end();
    receiver.end();
  });

  it('writes later ticks separately', async () => {
    const { sender, receiver } = await connectedPair();
    const bothReceived = collectMessages(receiver, 2);

    sender.sendMessage({ n: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    sender.sendMessage({ n: 2 });
    const received = await bothReceived;

    expect(received).toEqual([{ n: 1 }, { n: 2 }]);
    expect(sender.netSocket.writableCorked).toBe(0);
    sender.end();
    receiver.end();
  });
});

describe('vipTcpClientOptions', () => {
  it('names the host, the port and the socket class', () => {
    expect(vipTcpClientOptions('127.0.0.1', 7100)).toEqual({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: 7100, socketClass: CoalescingJsonSocket },
    });
  });
});
